#include "api/review_routes.hpp"

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/json/assessment_json.hpp"
#include "api/json/body.hpp"
#include "api/json/paging.hpp"
#include "api/json/review_json.hpp"
#include "api/query.hpp"
#include "domain/common/error.hpp"

namespace coco::api {
namespace {

domain::AssessmentId AssessmentOf(const Request& request) {
  return domain::AssessmentId::Parse(request.PathParam("id"));
}

// The paging query of a list taking only `limit` and `cursor`, judged by the use case once it has
// decided the caller may see the list.
domain::Parsed<domain::PageRequest> PageQuery(const Request& request) {
  return Parse([&] {
    RejectUnknownQuery(request, {"limit", "cursor"});
    return json::PageFromQuery(request);
  });
}

template <typename T, typename ToJson>
Response PageOf(const domain::PageResult<T>& page, ToJson to_json) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(to_json(item));
  return json::Ok(json::PageJson(std::move(items), page.next));
}

void AddDecisionRoutes(Router& router, domain::ReviewService* reviews) {
  router.Add(Method::kPut, "/assessments/{id}/responses/{requirement_id}/review",
             Access::kAuthenticated, Body::kJson, [reviews](Request& request) {
               const auto id = AssessmentOf(request);
               const auto response = reviews->Review(
                   ActorOf(request), id, request.PathParam("requirement_id"), Parse([&] {
                     RejectUnknownQuery(request, {});
                     return json::ReadReview(request);
                   }),
                   IfMatchVersion(request));
               return json::OkTagged(json::ResponseJson(response), response.version);
             });

  router.Add(Method::kPost, "/assessments/{id}/responses/{requirement_id}/reopen",
             Access::kAuthenticated, Body::kNone, [reviews](Request& request) {
               RejectUnknownQuery(request, {});
               const auto response =
                   reviews->Reopen(ActorOf(request), AssessmentOf(request),
                                   request.PathParam("requirement_id"), IfMatchVersion(request));
               return json::OkTagged(json::ResponseJson(response), response.version);
             });

  // The decisions that take one text field.
  using TextMove = domain::Assessment (domain::ReviewService::*)(
      const domain::Actor&, const domain::AssessmentId&, const domain::Parsed<std::string>&,
      std::optional<long long>);
  const std::tuple<const char*, const char*, TextMove> text_moves[] = {
      {"/assessments/{id}/request-changes", "summary", &domain::ReviewService::RequestChanges},
      {"/assessments/{id}/reject", "reason", &domain::ReviewService::Reject},
      {"/assessments/{id}/suspend", "reason", &domain::ReviewService::Suspend},
  };
  for (const auto& [path, field, move] : text_moves) {
    router.Add(Method::kPost, path, Access::kAuthenticated, Body::kJson,
               [reviews, field = std::string(field), move = move](Request& request) {
                 const auto assessment =
                     (reviews->*move)(ActorOf(request), AssessmentOf(request), Parse([&] {
                                        RejectUnknownQuery(request, {});
                                        return json::ReadText(request, field);
                                      }),
                                      IfMatchVersion(request));
                 return json::OkTagged(json::AssessmentJson(assessment, ActorOf(request).principal),
                                       assessment.version);
               });
  }

  router.Add(Method::kPost, "/assessments/{id}/approve", Access::kAuthenticated, Body::kJson,
             [reviews](Request& request) {
               const auto assessment =
                   reviews->Approve(ActorOf(request), AssessmentOf(request), Parse([&] {
                                      RejectUnknownQuery(request, {});
                                      return json::ReadApproval(request);
                                    }),
                                    IfMatchVersion(request));
               return json::OkTagged(json::AssessmentJson(assessment, ActorOf(request).principal),
                                     assessment.version);
             });

  router.Add(Method::kPost, "/assessments/{id}/lift", Access::kAuthenticated, Body::kNone,
             [reviews](Request& request) {
               RejectUnknownQuery(request, {});
               const auto assessment =
                   reviews->Lift(ActorOf(request), AssessmentOf(request), IfMatchVersion(request));
               return json::OkTagged(json::AssessmentJson(assessment, ActorOf(request).principal),
                                     assessment.version);
             });

  router.Add(Method::kPost, "/assessments/{id}/comments", Access::kAuthenticated, Body::kJson,
             Creates::kYes, [reviews](Request& request) {
               const auto id = AssessmentOf(request);
               const auto comment = reviews->AddComment(ActorOf(request), id, Parse([&] {
                                                          RejectUnknownQuery(request, {});
                                                          return json::ReadComment(request);
                                                        }));
               Response response = json::Ok(json::CommentJson(comment), 201);
               response.WithHeader("Location", "/assessments/" + id.str() + "/comments");
               return response;
             });

  router.Add(Method::kGet, "/assessments/{id}/comments", Access::kAuthenticated, Body::kNone,
             [reviews](Request& request) {
               return PageOf(
                   reviews->Comments(ActorOf(request), AssessmentOf(request), PageQuery(request)),
                   json::CommentJson);
             });
}

void AddTriggerRoutes(Router& router, domain::TriggerService* triggers) {
  router.Add(Method::kPost, "/services/{id}/triggers", Access::kAuthenticated, Body::kJson,
             Creates::kYes, [triggers](Request& request) {
               const auto service = domain::ServiceId::Parse(request.PathParam("id"));
               const auto trigger = triggers->Record(ActorOf(request), service, Parse([&] {
                                                       RejectUnknownQuery(request, {});
                                                       return json::ReadTrigger(request);
                                                     }));
               Response response = json::Ok(json::TriggerJson(trigger), 201);
               response.WithHeader("Location", "/services/" + service.str() + "/triggers");
               return response;
             });

  router.Add(Method::kGet, "/services/{id}/triggers", Access::kAuthenticated, Body::kNone,
             [triggers](Request& request) {
               return PageOf(triggers->List(ActorOf(request),
                                            domain::ServiceId::Parse(request.PathParam("id")),
                                            PageQuery(request)),
                             json::TriggerJson);
             });
}

void AddActionRoutes(Router& router, domain::RemediationService* actions) {
  router.Add(
      Method::kGet, "/actions", Access::kAuthenticated, Body::kNone, [actions](Request& request) {
        const auto filter = Parse([&] {
          RejectUnknownQuery(request,
                             {"supplier", "assessment", "state", "overdue", "limit", "cursor"});
          domain::ActionFilter filter;
          if (auto text = request.Query("supplier"))
            filter.supplier = domain::SupplierId::Parse(*text);
          if (auto text = request.Query("assessment")) {
            filter.assessment = domain::AssessmentId::Parse(*text);
          }
          if (auto text = request.Query("state")) {
            filter.state = domain::TryParseActionState(*text);
            if (!filter.state) {
              throw domain::InvalidArgument("unknown action state", "invalid_query")
                  .WithDetail({"query/state", "invalid_enum", "state is open, done or verified"});
            }
          }
          filter.overdue = QueryBool(request, "overdue");
          return filter;
        });
        const auto page = actions->List(ActorOf(request), filter,
                                        Parse([&] { return json::PageFromQuery(request); }));
        const auto today = actions->Today();
        return PageOf(page, [today](const domain::RemediationAction& action) {
          return json::ActionJson(action, today);
        });
      });

  router.Add(Method::kGet, "/actions/{id}", Access::kAuthenticated, Body::kNone,
             [actions](Request& request) {
               RejectUnknownQuery(request, {});
               const auto action =
                   actions->Get(ActorOf(request), domain::ActionId::Parse(request.PathParam("id")));
               return json::OkTagged(json::ActionJson(action, actions->Today()), action.version);
             });

  router.Add(Method::kPost, "/actions/{id}/complete", Access::kAuthenticated, Body::kJson,
             [actions](Request& request) {
               const auto action = actions->Complete(
                   ActorOf(request), domain::ActionId::Parse(request.PathParam("id")), Parse([&] {
                     RejectUnknownQuery(request, {});
                     return json::ReadCompletion(request);
                   }),
                   IfMatchVersion(request));
               return json::OkTagged(json::ActionJson(action, actions->Today()), action.version);
             });

  router.Add(Method::kPost, "/actions/{id}/verify", Access::kAuthenticated, Body::kNone,
             [actions](Request& request) {
               RejectUnknownQuery(request, {});
               const auto action = actions->Verify(ActorOf(request),
                                                   domain::ActionId::Parse(request.PathParam("id")),
                                                   IfMatchVersion(request));
               return json::OkTagged(json::ActionJson(action, actions->Today()), action.version);
             });

  router.Add(Method::kPost, "/actions/{id}/reopen", Access::kAuthenticated, Body::kJson,
             [actions](Request& request) {
               const auto action = actions->Reopen(
                   ActorOf(request), domain::ActionId::Parse(request.PathParam("id")), Parse([&] {
                     RejectUnknownQuery(request, {});
                     return json::ReadText(request, "reason");
                   }),
                   IfMatchVersion(request));
               return json::OkTagged(json::ActionJson(action, actions->Today()), action.version);
             });
}

void AddExceptionRoutes(Router& router, domain::RiskExceptionService* exceptions) {
  router.Add(Method::kPost, "/assessments/{id}/exceptions", Access::kAuthenticated, Body::kJson,
             Creates::kYes, [exceptions](Request& request) {
               const auto id = AssessmentOf(request);
               const auto exception = exceptions->Add(ActorOf(request), id, Parse([&] {
                                                        RejectUnknownQuery(request, {});
                                                        return json::ReadException(request);
                                                      }));
               Response response = json::OkTagged(
                   json::ExceptionJson(exception, exceptions->Today()), exception.version, 201);
               response.WithHeader("Location", "/assessments/" + id.str() + "/exceptions");
               return response;
             });

  router.Add(Method::kGet, "/assessments/{id}/exceptions", Access::kAuthenticated, Body::kNone,
             [exceptions](Request& request) {
               const auto page =
                   exceptions->List(ActorOf(request), AssessmentOf(request), PageQuery(request));
               const auto today = exceptions->Today();
               return PageOf(page, [today](const domain::RiskException& exception) {
                 return json::ExceptionJson(exception, today);
               });
             });

  router.Add(Method::kGet, "/suppliers/{id}/exceptions", Access::kAuthenticated, Body::kNone,
             [exceptions](Request& request) {
               const auto page = exceptions->ListForSupplier(
                   ActorOf(request), domain::SupplierId::Parse(request.PathParam("id")),
                   PageQuery(request));
               const auto today = exceptions->Today();
               return PageOf(page, [today](const domain::RiskException& exception) {
                 return json::ExceptionJson(exception, today);
               });
             });

  // Across suppliers, soonest to expire first; `state` and `expiring_before` are judged by the
  // use case as of today (RiskException::StateOn).
  router.Add(
      Method::kGet, "/exceptions", Access::kAuthenticated, Body::kNone,
      [exceptions](Request& request) {
        const auto filter = Parse([&] {
          RejectUnknownQuery(request, {"supplier", "state", "expiring_before", "limit", "cursor"});
          domain::ExceptionFilter filter;
          if (auto supplier = QueryUuid(request, "supplier"))
            filter.supplier = domain::SupplierId(*supplier);
          if (auto text = request.Query("state")) {
            filter.state = domain::TryParseExceptionState(*text);
            if (!filter.state) {
              throw domain::InvalidArgument("unknown exception state", "invalid_query")
                  .WithDetail(
                      {"query/state", "invalid_enum", "state is active, expired or revoked"});
            }
          }
          filter.expiring_before = QueryDate(request, "expiring_before");
          return filter;
        });
        const auto page = exceptions->ListAcrossSuppliers(
            ActorOf(request), filter, Parse([&] { return json::PageFromQuery(request); }));
        const auto today = exceptions->Today();
        return PageOf(page, [today](const domain::RiskException& exception) {
          return json::ExceptionJson(exception, today);
        });
      });

  router.Add(Method::kPost, "/exceptions/{id}/revoke", Access::kAuthenticated, Body::kNone,
             [exceptions](Request& request) {
               RejectUnknownQuery(request, {});
               const auto exception = exceptions->Revoke(
                   ActorOf(request), domain::ExceptionId::Parse(request.PathParam("id")),
                   IfMatchVersion(request));
               return json::OkTagged(json::ExceptionJson(exception, exceptions->Today()),
                                     exception.version);
             });
}

}  // namespace

void AddReviewRoutes(Router& router, domain::ReviewService* reviews,
                     domain::RemediationService* actions, domain::RiskExceptionService* exceptions,
                     domain::TriggerService* triggers) {
  AddDecisionRoutes(router, reviews);
  AddTriggerRoutes(router, triggers);
  AddActionRoutes(router, actions);
  AddExceptionRoutes(router, exceptions);
}

}  // namespace coco::api
