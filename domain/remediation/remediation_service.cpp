#include "domain/remediation/remediation_service.hpp"

#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::domain {
namespace {

Error WrongState(const RemediationAction& action, std::string_view move, std::string_view from) {
  return FailedPrecondition("cannot " + std::string(move) + " an action that is " +
                                std::string(ToString(action.state)) + " (only from " +
                                std::string(from) + ")",
                            "action_state")
      .WithField("current_state", std::string(ToString(action.state)));
}

AuditEntry EntryFor(const RemediationAction& action, std::string name) {
  AuditEntry audit{std::move(name), "action", action.id.str(), action.supplier_id, {}};
  audit.detail.Set("state", ToString(action.state))
      .Set("assessment_id", action.assessment_id.str())
      .Set("requirement_id", action.requirement_id);
  return audit;
}

}  // namespace

RemediationAction RemediationService::Get(const Actor& actor, const ActionId& id) {
  auto action = actions_.Find(id);
  if (!action) throw NotFound("no such action");
  AuthorizeFound(actor.principal, Permission::kReadAssessment, action->supplier_id,
                 "no such action");
  return *action;
}

void RemediationService::AuthorizeVerifier(const Actor& actor, const ActionId& id) {
  const auto action = Get(actor, id);
  Authorize(actor.principal, Permission::kReview, action.supplier_id);
}

PageResult<RemediationAction> RemediationService::List(const Actor& actor,
                                                       const Parsed<ActionFilter>& parsed_filter,
                                                       const Parsed<PageRequest>& page) {
  Authorize(actor.principal, Permission::kReadAssessment);
  ActionFilter filter = parsed_filter.Value();
  const PageRequest& position = page.Value();
  if (!NarrowToOwnSupplier(actor.principal, filter.supplier)) return {};
  filter.today = clock_.Today();
  return actions_.List(filter, position);
}

RemediationAction RemediationService::Complete(const Actor& actor, const ActionId& id,
                                               const Parsed<CompletionRequest>& request,
                                               std::optional<long long> expected_version) {
  const auto current = Get(actor, id);
  Authorize(actor.principal, Permission::kCompleteAction, current.supplier_id);
  const CompletionRequest& completion = request.Value();
  const std::string& note = completion.note;
  const std::vector<EvidenceId>& evidence_ids = completion.evidence_ids;
  auto problems = ForeignEvidence([this](const EvidenceId& file) { return evidence_.Find(file); },
                                  current.supplier_id, evidence_ids);
  if (!problems.empty()) {
    throw InvalidArgument("the completion is invalid: " + problems.front().detail, "invalid_body")
        .WithDetails(std::move(problems));
  }
  const auto now = clock_.NowMicros();
  return actions_.Update(id, expected_version, actor, [&](RemediationAction& action) {
    if (action.state != ActionState::kOpen) throw WrongState(action, "complete", "open");
    action.state = ActionState::kDone;
    action.completion = ActionCompletion{note, evidence_ids, now, actor.principal.user_id};
    AuditEntry audit = EntryFor(action, "action.complete");
    std::vector<std::string> files;
    for (const auto& file : evidence_ids) files.push_back(file.str());
    audit.detail.Set("evidence_ids", files);
    return audit;
  });
}

RemediationAction RemediationService::Verify(const Actor& actor, const ActionId& id,
                                             std::optional<long long> expected_version) {
  AuthorizeVerifier(actor, id);
  const auto now = clock_.NowMicros();
  return actions_.Update(id, expected_version, actor, [&](RemediationAction& action) {
    if (action.state != ActionState::kDone) throw WrongState(action, "verify", "done");
    action.state = ActionState::kVerified;
    action.verified_at = now;
    action.verified_by = actor.principal.user_id;
    return EntryFor(action, "action.verify");
  });
}

RemediationAction RemediationService::Reopen(const Actor& actor, const ActionId& id,
                                             const Parsed<std::string>& parsed_reason,
                                             std::optional<long long> expected_version) {
  AuthorizeVerifier(actor, id);
  const std::string& reason = parsed_reason.Value();
  return actions_.Update(id, expected_version, actor, [&](RemediationAction& action) {
    if (action.state == ActionState::kOpen) throw WrongState(action, "reopen", "done or verified");
    action.state = ActionState::kOpen;
    action.completion.reset();
    action.verified_at.reset();
    action.verified_by.reset();
    action.reopen_reason = reason;
    return EntryFor(action, "action.reopen");
  });
}

}  // namespace coco::domain
