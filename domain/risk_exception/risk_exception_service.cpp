#include "domain/risk_exception/risk_exception_service.hpp"

#include "domain/assessment/assessment_service.hpp"
#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"
#include "domain/identity/authorization.hpp"
#include "domain/review/decision.hpp"

namespace coco::domain {

RiskException RiskExceptionService::Add(const Actor& actor, const AssessmentId& id,
                                        const Parsed<NewRiskException>& request) {
  VisibleAssessment(assessments_, actor, id, Permission::kManageExceptions);
  const NewRiskException& wanted = request.Value();
  const std::string& requirement_id = wanted.requirement_id;
  const std::string& reason = wanted.reason;
  const Date expires_on = wanted.expires_on;
  const Date today = clock_.Today();
  const Date latest = today.AddMonthsClamped(12);
  if (!(today < expires_on) || latest < expires_on) {
    throw InvalidArgument(
        "an exception expires after today and within 12 months (by " + latest.ToString() + ")",
        "invalid_expires_on")
        .WithDetail({"expires_on", "out_of_range",
                     "between " + today.AddDays(1).ToString() + " and " + latest.ToString()});
  }
  const auto now = clock_.NowMicros();
  return exceptions_.Add(
      id, actor, [&](const Assessment& assessment, const std::vector<RiskException>& existing) {
        if (!AcceptsExceptions(assessment.state)) {
          throw FailedPrecondition(
              "exceptions are added to submitted, in-review, changes-requested "
              "or approved assessments, not to one that is " +
                  std::string(ToString(assessment.state)),
              "illegal_transition")
              .WithField("current_state", std::string(ToString(assessment.state)));
        }
        const Response* response = assessment.FindResponse(requirement_id);
        if (response == nullptr) {
          throw InvalidArgument("this assessment has no response for that requirement",
                                "unknown_requirement")
              .WithDetail({"requirement_id", "unknown_requirement",
                           "not one of the assessment's responses"});
        }
        if (response->level != Level::kMust) {
          throw InvalidArgument("exceptions are for MUST requirements; a SHOULD needs none",
                                "not_must")
              .WithDetail({"requirement_id", "not_must", "the requirement is a SHOULD"});
        }
        if (!NeedsCover(*response)) {
          throw InvalidArgument(
              "exceptions are for MUST requirements answered partially_met or "
              "not_met",
              "not_fully_met")
              .WithDetail({"requirement_id", "not_fully_met",
                           "the response is not answered partially_met or not_met"});
        }
        if (const RiskException* other = ActiveExceptionFor(existing, requirement_id, today)) {
          throw AlreadyExists(
              "an active exception already covers " + requirement_id + "; revoke it first",
              "exception_exists")
              .WithField("exception_id", other->id.str());
        }
        RiskException exception{ExceptionId(ids_.NewId()),
                                assessment.id,
                                assessment.supplier_id,
                                assessment.service_id,
                                assessment.standard,
                                requirement_id,
                                reason,
                                actor.principal.user_id,
                                now,
                                expires_on};
        AuditEntry audit{
            "exception.add", "exception", exception.id.str(), assessment.supplier_id, {}};
        audit.detail.Set("assessment_id", assessment.id.str())
            .Set("requirement_id", requirement_id)
            .Set("expires_on", expires_on.ToString());
        return std::pair{exception, audit};
      });
}

PageResult<RiskException> RiskExceptionService::List(const Actor& actor, const AssessmentId& id,
                                                     const Parsed<PageRequest>& page) {
  VisibleAssessment(assessments_, actor, id);
  return exceptions_.List(id, page.Value());
}

PageResult<RiskException> RiskExceptionService::ListForSupplier(const Actor& actor,
                                                                const SupplierId& supplier,
                                                                const Parsed<PageRequest>& page) {
  // Authorised against the id first: another supplier's id is 404 whether or not it exists.
  Authorize(actor.principal, Permission::kReadAssessment, supplier);
  auto listed = exceptions_.ListBySupplier(supplier, page.Value());
  if (!listed) throw NotFound("no such supplier");
  return std::move(*listed);
}

PageResult<RiskException> RiskExceptionService::ListAcrossSuppliers(
    const Actor& actor, const Parsed<ExceptionFilter>& parsed_filter,
    const Parsed<PageRequest>& page) {
  Authorize(actor.principal, Permission::kReadAssessment);
  ExceptionFilter filter = parsed_filter.Value();
  const PageRequest& position = page.Value();
  if (!NarrowToOwnSupplier(actor.principal, filter.supplier)) return {};
  // Expiring soon is said of active exceptions only: with another state nothing is both.
  std::optional<ExceptionState> wanted = filter.state;
  if (filter.expiring_before) {
    if (wanted && *wanted != ExceptionState::kActive) return {};
    wanted = ExceptionState::kActive;
  }
  ExceptionQuery query{filter.supplier, filter.expiring_before, {}};
  if (wanted) {
    const Date today = clock_.Today();
    query.keep = [today, state = *wanted](const RiskException& exception) {
      return exception.StateOn(today) == state;
    };
  }
  return exceptions_.ListByExpiry(query, position);
}

RiskException RiskExceptionService::Revoke(const Actor& actor, const ExceptionId& id,
                                           std::optional<long long> expected_version) {
  const auto current = exceptions_.Find(id);
  if (!current) throw NotFound("no such exception");
  AuthorizeFound(actor.principal, Permission::kReadAssessment, current->supplier_id,
                 "no such exception");
  Authorize(actor.principal, Permission::kManageExceptions, current->supplier_id);
  return exceptions_.Update(id, expected_version, actor, [&](RiskException& exception) {
    if (exception.revoked_at) {
      throw FailedPrecondition("this exception was already revoked", "already_revoked");
    }
    // Taken under the assessment's lock, so it orders with an approval's decision time.
    exception.revoked_at = clock_.NowMicros();
    exception.revoked_by = actor.principal.user_id;
    AuditEntry audit{
        "exception.revoke", "exception", exception.id.str(), exception.supplier_id, {}};
    audit.detail.Set("assessment_id", exception.assessment_id.str())
        .Set("requirement_id", exception.requirement_id);
    return audit;
  });
}

}  // namespace coco::domain
