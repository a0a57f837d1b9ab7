#include "api/assessment_routes.hpp"

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

using json::AssessmentJson;
using json::ResponseJson;

std::optional<domain::StandardKey> StandardFromQuery(const Request& request) {
  const auto text = request.Query("standard");
  if (!text) return std::nullopt;
  if (auto key = domain::TryParseStandardKey(*text)) return key;
  throw domain::InvalidArgument("unknown standard", "invalid_query")
      .WithDetail({"query/standard", "invalid_enum",
                   "standard is COCO, OFFSHORING, CRYPTOGRAPHY or SUPPLIER"});
}

// Any assessment state; the review queue narrows it further in the domain.
std::optional<domain::AssessmentState> StateFromQuery(const Request& request) {
  const auto text = request.Query("state");
  if (!text) return std::nullopt;
  if (auto state = domain::TryParseAssessmentState(*text)) return state;
  throw domain::InvalidArgument("unknown state", "invalid_query")
      .WithDetail({"query/state", "invalid_enum", "not an assessment state"});
}

}  // namespace

void AddAssessmentRoutes(Router& router, domain::AssessmentService* assessments) {
  router.Add(Method::kPost, "/services/{id}/assessments", Access::kAuthenticated, Body::kJson,
             Creates::kYes, [assessments](Request& request) {
               const auto service = domain::ServiceId::Parse(request.PathParam("id"));
               const auto assessment = assessments->Start(ActorOf(request), service, Parse([&] {
                                                            RejectUnknownQuery(request, {});
                                                            return json::ReadNewAssessment(request);
                                                          }));
               Response response = json::OkTagged(
                   AssessmentJson(assessment, ActorOf(request).principal), assessment.version, 201);
               response.WithHeader("Location", "/assessments/" + assessment.id.str());
               return response;
             });

  router.Add(Method::kGet, "/assessments", Access::kAuthenticated, Body::kNone,
             [assessments](Request& request) {
               RejectUnknownQuery(request,
                                  {"supplier", "service", "standard", "state", "limit", "cursor"});
               domain::AssessmentFilter filter;
               if (auto text = request.Query("supplier"))
                 filter.supplier = domain::SupplierId::Parse(*text);
               if (auto text = request.Query("service"))
                 filter.service = domain::ServiceId::Parse(*text);
               filter.standard = StandardFromQuery(request);
               filter.state = StateFromQuery(request);
               const auto page =
                   assessments->List(ActorOf(request), filter, json::PageFromQuery(request));
               nlohmann::json items = nlohmann::json::array();
               for (const auto& assessment : page.items)
                 items.push_back(json::AssessmentSummaryJson(assessment));
               return json::Ok(json::PageJson(std::move(items), page.next));
             });

  router.Add(Method::kGet, "/assessments/{id}", Access::kAuthenticated, Body::kNone,
             [assessments](Request& request) {
               RejectUnknownQuery(request, {});
               const auto assessment = assessments->Get(
                   ActorOf(request), domain::AssessmentId::Parse(request.PathParam("id")));
               return json::OkTagged(AssessmentJson(assessment, ActorOf(request).principal),
                                     assessment.version);
             });

  router.Add(Method::kPut, "/assessments/{id}/responses/{requirement_id}", Access::kAuthenticated,
             Body::kJson, [assessments](Request& request) {
               const auto id = domain::AssessmentId::Parse(request.PathParam("id"));
               const auto response = assessments->Answer(
                   ActorOf(request), id, request.PathParam("requirement_id"), Parse([&] {
                     RejectUnknownQuery(request, {});
                     return json::ReadResponseUpdate(request);
                   }),
                   IfMatchVersion(request));
               return json::OkTagged(ResponseJson(response), response.version);
             });

  // The lifecycle moves that take no body: same shape, one registration each.
  using Move = domain::Assessment (domain::AssessmentService::*)(
      const domain::Actor&, const domain::AssessmentId&, std::optional<long long>);
  const std::pair<const char*, Move> moves[] = {
      {"/assessments/{id}/submit", &domain::AssessmentService::Submit},
      {"/assessments/{id}/withdraw", &domain::AssessmentService::Withdraw},
      {"/assessments/{id}/claim", &domain::AssessmentService::Claim},
      {"/assessments/{id}/release", &domain::AssessmentService::Release},
  };
  for (const auto& [path, move] : moves) {
    router.Add(Method::kPost, path, Access::kAuthenticated, Body::kNone,
               [assessments, move = move](Request& request) {
                 RejectUnknownQuery(request, {});
                 const auto assessment = (assessments->*move)(
                     ActorOf(request), domain::AssessmentId::Parse(request.PathParam("id")),
                     IfMatchVersion(request));
                 return json::OkTagged(AssessmentJson(assessment, ActorOf(request).principal),
                                       assessment.version);
               });
  }

  router.Add(Method::kGet, "/review-queue", Access::kAuthenticated, Body::kNone,
             [assessments](Request& request) {
               RejectUnknownQuery(request, {"standard", "supplier", "state", "limit", "cursor"});
               domain::QueueFilter filter;
               if (auto text = request.Query("supplier"))
                 filter.supplier = domain::SupplierId::Parse(*text);
               filter.standard = StandardFromQuery(request);
               filter.state = StateFromQuery(request);
               const auto page =
                   assessments->ReviewQueue(ActorOf(request), filter, json::PageFromQuery(request));
               nlohmann::json items = nlohmann::json::array();
               for (const auto& item : page.items) {
                 nlohmann::json line = json::AssessmentSummaryJson(item.assessment);
                 line["must_answered"] = item.must_answered;
                 line["must_not_met"] = item.must_not_met;
                 items.push_back(std::move(line));
               }
               return json::Ok(json::PageJson(std::move(items), page.next));
             });
}

}  // namespace coco::api
