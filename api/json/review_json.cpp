#include "api/json/review_json.hpp"

#include <nlohmann/json.hpp>

#include "api/json/body.hpp"

namespace coco::api::json {
namespace {

constexpr std::size_t kTextLimit = 5000;

std::vector<domain::Condition> ReadConditions(ObjectReader& body) {
  std::vector<domain::Condition> conditions;
  const nlohmann::json* list = body.Raw("conditions", false, nlohmann::json::value_t::array);
  if (list == nullptr) return conditions;
  if (list->size() > 100) {
    body.Problem(body.Pointer("conditions"), "too_many_items", "at most 100 conditions");
    return conditions;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string pointer = body.Pointer("conditions") + "/" + std::to_string(i);
    const nlohmann::json& item = (*list)[i];
    if (!item.is_object()) {
      body.Problem(pointer, "invalid_type", "a condition is an object");
      continue;
    }
    std::vector<domain::ErrorDetail> problems;
    ObjectReader reader(item, pointer, &problems);
    auto requirement = reader.String("requirement_id", true, 20);
    auto description = reader.String("description", true, kTextLimit);
    auto due = reader.Date("due_date", true);
    reader.Finish();
    for (auto& problem : problems) body.Problem(problem.field, problem.code, problem.detail);
    if (requirement && description && due) conditions.push_back({*requirement, *description, *due});
  }
  return conditions;
}

}  // namespace

domain::StandardKey ReadNewAssessment(const Request& request) {
  ObjectReader body(request);
  auto standard = body.Enum("standard", true, {"COCO", "OFFSHORING", "CRYPTOGRAPHY", "SUPPLIER"});
  body.Finish();
  return *domain::TryParseStandardKey(*standard);
}

domain::ResponseUpdate ReadResponseUpdate(const Request& request) {
  ObjectReader body(request);
  auto answer = body.Enum("answer", true, {"met", "partially_met", "not_met", "not_applicable"});
  auto justification = body.String("justification", false, 10000, 0);
  auto files = body.UuidArray("evidence_ids", false, 50);
  std::optional<domain::Remediation> remediation;
  if (const nlohmann::json* object =
          body.Raw("remediation", false, nlohmann::json::value_t::object)) {
    std::vector<domain::ErrorDetail> problems;
    ObjectReader reader(*object, body.Pointer("remediation"), &problems);
    auto plan = reader.String("plan", true, 5000);
    auto due = reader.Date("due_date", true);
    reader.Finish();
    for (auto& problem : problems) body.Problem(problem.field, problem.code, problem.detail);
    if (plan && due) remediation = domain::Remediation{*plan, *due};
  }
  body.Finish();
  domain::ResponseUpdate update{
      *domain::TryParseAnswer(*answer), justification.value_or(""), {}, remediation};
  if (files) {
    for (const auto& id : *files) update.evidence_ids.push_back(domain::EvidenceId::Parse(id));
  }
  return update;
}

domain::VerdictRequest ReadReview(const Request& request) {
  ObjectReader body(request);
  auto verdict = body.Enum("verdict", true, {"accepted", "rejected", "query"});
  auto comment = body.String("comment", false, kTextLimit);
  body.Finish();
  return {*domain::TryParseVerdict(*verdict), comment};
}

std::string ReadText(const Request& request, const std::string& name) {
  ObjectReader body(request);
  auto text = body.String(name, true, kTextLimit);
  body.Finish();
  return *text;
}

domain::ApprovalRequest ReadApproval(const Request& request) {
  ObjectReader body(request);
  domain::ApprovalRequest approval;
  approval.valid_until = body.Date("valid_until", false);
  approval.conditions = ReadConditions(body);
  body.Finish();
  return approval;
}

domain::NewComment ReadComment(const Request& request) {
  ObjectReader body(request);
  auto text = body.String("body", true, 10000);
  auto internal = body.Bool("internal", false);
  body.Finish();
  return {*text, internal.value_or(false)};
}

domain::NewTrigger ReadTrigger(const Request& request) {
  ObjectReader body(request);
  auto kind = body.Enum("kind", true, domain::TriggerKindNames());
  auto occurred_on = body.Date("occurred_on", true);
  auto note = body.String("note", false, kTextLimit, 0);
  body.Finish();
  return {*domain::TryParseTriggerKind(*kind), *occurred_on, note.value_or("")};
}

domain::CompletionRequest ReadCompletion(const Request& request) {
  ObjectReader body(request);
  auto note = body.String("note", true, kTextLimit);
  auto files = body.UuidArray("evidence_ids", false, 50);
  body.Finish();
  domain::CompletionRequest completion{*note, {}};
  for (const auto& file : files.value_or(std::vector<std::string>{})) {
    completion.evidence_ids.push_back(domain::EvidenceId::Parse(file));
  }
  return completion;
}

domain::NewRiskException ReadException(const Request& request) {
  ObjectReader body(request);
  auto requirement = body.String("requirement_id", true, 20);
  auto reason = body.String("reason", true, kTextLimit);
  auto expires_on = body.Date("expires_on", true);
  body.Finish();
  return {*requirement, *reason, *expires_on};
}

}  // namespace coco::api::json
