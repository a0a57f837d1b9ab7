#include "api/service_routes.hpp"

#include "api/context.hpp"
#include "api/json/body.hpp"
#include "api/json/paging.hpp"
#include "api/json/service_json.hpp"
#include "api/query.hpp"

namespace coco::api {

void AddServiceRoutes(Router& router, domain::ServiceService* services) {
  router.Add(Method::kPost, "/suppliers/{id}/services", Access::kAuthenticated, Body::kJson,
             Creates::kYes, [services](Request& request) {
               const auto supplier = domain::SupplierId::Parse(request.PathParam("id"));
               const auto service = services->Create(ActorOf(request), supplier, Parse([&] {
                                                       RejectUnknownQuery(request, {});
                                                       return json::ReadNewService(request);
                                                     }));
               Response response = json::Ok(json::ServiceJson(service), 201);
               response.WithHeader("ETag", EntityTag(service.version));
               response.WithHeader("Location", "/services/" + service.id.str());
               return response;
             });

  router.Add(Method::kGet, "/suppliers/{id}/services", Access::kAuthenticated, Body::kNone,
             [services](Request& request) {
               RejectUnknownQuery(request, {"limit", "cursor"});
               const auto supplier = domain::SupplierId::Parse(request.PathParam("id"));
               const auto page =
                   services->List(ActorOf(request), supplier, json::PageFromQuery(request));
               nlohmann::json items = nlohmann::json::array();
               for (const auto& service : page.items) items.push_back(json::ServiceJson(service));
               return json::Ok(json::PageJson(std::move(items), page.next));
             });

  router.Add(Method::kGet, "/services/{id}", Access::kAuthenticated, Body::kNone,
             [services](Request& request) {
               RejectUnknownQuery(request, {});
               const auto service = services->Get(
                   ActorOf(request), domain::ServiceId::Parse(request.PathParam("id")));
               Response response = json::Ok(json::ServiceJson(service));
               response.WithHeader("ETag", EntityTag(service.version));
               return response;
             });

  router.Add(Method::kPatch, "/services/{id}", Access::kAuthenticated, Body::kJson,
             [services](Request& request) {
               const auto id = domain::ServiceId::Parse(request.PathParam("id"));
               const auto service = services->Patch(ActorOf(request), id, Parse([&] {
                                                      RejectUnknownQuery(request, {});
                                                      return json::ReadServicePatch(request);
                                                    }),
                                                    IfMatchVersion(request));
               Response response = json::Ok(json::ServiceJson(service));
               response.WithHeader("ETag", EntityTag(service.version));
               return response;
             });

  router.Add(Method::kGet, "/services/{id}/required-standards", Access::kAuthenticated, Body::kNone,
             [services](Request& request) {
               RejectUnknownQuery(request, {});
               const auto id = domain::ServiceId::Parse(request.PathParam("id"));
               nlohmann::json items = nlohmann::json::array();
               for (const auto& required : services->RequiredStandards(ActorOf(request), id)) {
                 items.push_back(json::RequiredStandardJson(required));
               }
               return json::Ok({{"service_id", id.str()}, {"items", std::move(items)}});
             });
}

}  // namespace coco::api
