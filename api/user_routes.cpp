#include "api/user_routes.hpp"

#include "api/context.hpp"
#include "api/json/body.hpp"
#include "api/json/paging.hpp"
#include "api/json/user_json.hpp"
#include "api/query.hpp"

namespace coco::api {
namespace {

Response UserResponse(const domain::User& user, int status = 200) {
  Response response = json::Ok(json::UserJson(user), status);
  response.WithHeader("ETag", EntityTag(user.version));
  return response;
}

}  // namespace

void AddUserRoutes(Router& router, domain::UserService* users) {
  router.Add(Method::kPost, "/users", Access::kAuthenticated, Body::kJson, Creates::kYes,
             [users](Request& request) {
               const auto user = users->Create(ActorOf(request), Parse([&] {
                                                 RejectUnknownQuery(request, {});
                                                 return json::ReadNewUser(request);
                                               }));
               Response response = UserResponse(user, 201);
               response.WithHeader("Location", "/users/" + user.id.str());
               return response;
             });

  router.Add(Method::kGet, "/users", Access::kAuthenticated, Body::kNone,
             [users](Request& request) {
               RejectUnknownQuery(request, {"limit", "cursor"});
               const auto page = users->List(ActorOf(request), json::PageFromQuery(request));
               nlohmann::json items = nlohmann::json::array();
               for (const auto& user : page.items) items.push_back(json::UserJson(user));
               return json::Ok(json::PageJson(std::move(items), page.next));
             });

  router.Add(Method::kGet, "/users/{id}", Access::kAuthenticated, Body::kNone,
             [users](Request& request) {
               RejectUnknownQuery(request, {});
               return UserResponse(
                   users->Get(ActorOf(request), domain::UserId::Parse(request.PathParam("id"))));
             });

  // Who am I: the caller's user and the token it called with, for any role.
  router.Add(Method::kGet, "/me", Access::kAuthenticated, Body::kNone, [users](Request& request) {
    RejectUnknownQuery(request, {});
    Response response = json::Ok(json::CallerJson(users->Me(ActorOf(request))));
    response.WithHeader("Cache-Control", "no-store");
    return response;
  });

  router.Add(
      Method::kPatch, "/users/{id}", Access::kAuthenticated, Body::kJson,
      [users](Request& request) {
        // Any user id is judged only once the caller is known to manage users.
        return UserResponse(users->Patch(
            ActorOf(request), Parse([&] { return domain::UserId::Parse(request.PathParam("id")); }),
            domain::UserPatchFields{json::TopLevelNames(request)}, Parse([&] {
              RejectUnknownQuery(request, {});
              return json::ReadUserPatch(request);
            }),
            IfMatchVersion(request)));
      });

  router.Add(Method::kPost, "/users/{id}/disable", Access::kAuthenticated, Body::kNone,
             [users](Request& request) {
               RejectUnknownQuery(request, {});
               return UserResponse(users->Disable(ActorOf(request),
                                                  domain::UserId::Parse(request.PathParam("id"))));
             });

  router.Add(Method::kPost, "/tokens", Access::kAuthenticated, Body::kJson, Creates::kYes,
             [users](Request& request) {
               RejectUnknownQuery(request, {});
               const auto issued =
                   users->CreateToken(ActorOf(request), json::ReadNewToken(request));
               nlohmann::json body = json::TokenJson(issued.token);
               body["secret"] = issued.secret;
               Response response = json::Ok(body, 201);
               response.WithHeader("Cache-Control", "no-store");
               return response;
             });

  router.Add(
      Method::kGet, "/tokens", Access::kAuthenticated, Body::kNone, [users](Request& request) {
        RejectUnknownQuery(request, {"user_id", "limit", "cursor"});
        std::optional<domain::UserId> user;
        if (auto text = request.Query("user_id")) user = domain::UserId::Parse(*text);
        const auto page = users->ListTokens(ActorOf(request), user, json::PageFromQuery(request));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& token : page.items) items.push_back(json::TokenJson(token));
        return json::Ok(json::PageJson(std::move(items), page.next));
      });

  router.Add(Method::kDelete, "/tokens/{id}", Access::kAuthenticated, Body::kNone,
             [users](Request& request) {
               RejectUnknownQuery(request, {});
               users->RevokeToken(ActorOf(request),
                                  domain::TokenId::Parse(request.PathParam("id")));
               return Response{204, "", "", {}};
             });
}

}  // namespace coco::api
