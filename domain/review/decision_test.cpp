// Pure unit tests of the review side's rules (domain/review/decision.hpp, review.hpp): no I/O.
#include "domain/review/decision.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/remediation/remediation_action.hpp"
#include "domain/risk_exception/risk_exception.hpp"
#include "domain/trigger/trigger.hpp"
#include "tests/support/dates.hpp"

namespace coco::domain {
namespace {

const UserId kAssessor = UserId::Parse("11111111-1111-4111-8111-111111111111");
const UserId kRiskOwner = UserId::Parse("22222222-2222-4222-8222-222222222222");

using test::D;

// Midnight UTC of `day` plus `seconds`.
std::chrono::system_clock::time_point At(Date day, int seconds = 0) {
  return std::chrono::system_clock::time_point(day.days()) + std::chrono::seconds(seconds);
}

Response MakeResponse(const std::string& requirement, Level level, std::optional<Answer> answer,
                      std::optional<Verdict> verdict = Verdict::kAccepted) {
  Response response;
  response.requirement_id = requirement;
  response.level = level;
  response.answer = answer;
  if (verdict) response.review = Review{*verdict, std::nullopt, kAssessor, At(D("2026-01-01"))};
  return response;
}

// SUP-01 MUST not_met and SUP-03 MUST partially_met need cover; the rest do not.
Assessment MakeAssessment() {
  Assessment assessment{AssessmentId::Parse("33333333-3333-4333-8333-333333333333"),
                        ServiceId::Parse("44444444-4444-4444-8444-444444444444"),
                        SupplierId::Parse("55555555-5555-4555-8555-555555555555"),
                        StandardKey::kSupplier,
                        "1.0",
                        AssessmentState::kInReview,
                        "profile-hash",
                        UserId::Parse("88888888-8888-4888-8888-888888888888"),
                        At(D("2026-01-01")),
                        std::nullopt,
                        1,
                        {}};
  assessment.responses = {
      MakeResponse("SUP-01", Level::kMust, Answer::kNotMet),
      MakeResponse("SUP-02", Level::kMust, Answer::kMet),
      MakeResponse("SUP-03", Level::kMust, Answer::kPartiallyMet),
      MakeResponse("SUP-04", Level::kMust, Answer::kNotApplicable),
      MakeResponse("COCO-15", Level::kShould, Answer::kNotMet),
  };
  return assessment;
}

RiskException MakeException(const std::string& requirement, Date expires_on,
                            std::optional<std::chrono::system_clock::time_point> revoked_at = {}) {
  RiskException exception{ExceptionId::Parse("66666666-6666-4666-8666-666666666666"),
                          AssessmentId::Parse("33333333-3333-4333-8333-333333333333"),
                          SupplierId::Parse("55555555-5555-4555-8555-555555555555"),
                          ServiceId::Parse("44444444-4444-4444-8444-444444444444"),
                          StandardKey::kSupplier,
                          requirement,
                          "accepted risk",
                          kRiskOwner,
                          At(D("2026-01-01")),
                          expires_on};
  if (revoked_at) {
    exception.revoked_at = revoked_at;
    exception.revoked_by = kRiskOwner;
  }
  return exception;
}

RemediationAction MakeAction(Date due_date, ActionState state) {
  RemediationAction action{ActionId::Parse("77777777-7777-4777-8777-777777777777"),
                           AssessmentId::Parse("33333333-3333-4333-8333-333333333333"),
                           SupplierId::Parse("55555555-5555-4555-8555-555555555555"),
                           ServiceId::Parse("44444444-4444-4444-8444-444444444444"),
                           StandardKey::kSupplier,
                           "SUP-01",
                           "put it right",
                           due_date};
  action.state = state;
  return action;
}

// The fixed calendar of the approval tests: today, and the latest valid_until the caller allows.
const Date kToday = D("2026-03-10");
const Date kLatest = D("2027-03-31");

Condition Cover(const std::string& requirement, Date due) { return {requirement, "fix it", due}; }
std::vector<Condition> CoverAll(Date due = D("2026-06-30")) {
  return {Cover("SUP-01", due), Cover("SUP-03", due)};
}

// Runs `call`, which must throw: returns the error (or fails the test and returns a dummy).
Error Thrown(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error was thrown";
  return Error(ErrorKind::kInternal, "none", "none");
}

Error ApprovalError(const Assessment& assessment, const std::vector<Condition>& conditions,
                    const std::vector<RiskException>& exceptions, Date valid_until,
                    Date latest = kLatest) {
  return Thrown(
      [&] { CheckApproval(assessment, conditions, exceptions, kToday, valid_until, latest); });
}

std::set<std::string> RequirementsOf(const Error& error) {
  std::set<std::string> named;
  for (const auto& detail : error.details()) named.insert(detail.requirement_id);
  return named;
}
std::set<std::string> FieldsOf(const Error& error) {
  std::set<std::string> named;
  for (const auto& detail : error.details()) named.insert(detail.field);
  return named;
}

// --- LatestValidUntil ---------------------------------------------------------------------

// The same day `review_interval_months` later, clamped to the last day of a shorter month
// (docs/review-side.md, "Approve").
TEST(DecisionTest, LatestValidUntilAddsTheReviewIntervalClampedToTheMonth) {
  EXPECT_EQ(LatestValidUntil(D("2026-11-22"), 12), D("2027-11-22"));
  EXPECT_EQ(LatestValidUntil(kToday, 12), D("2027-03-10"));
  EXPECT_EQ(LatestValidUntil(D("2026-01-31"), 12), D("2027-01-31"));
  EXPECT_EQ(LatestValidUntil(D("2026-11-30"), 12), D("2027-11-30"));
  EXPECT_EQ(LatestValidUntil(D("2026-01-31"), 1), D("2026-02-28"));
  EXPECT_EQ(LatestValidUntil(D("2027-01-31"), 13), D("2028-02-29"));
  EXPECT_EQ(LatestValidUntil(D("2028-02-29"), 12), D("2029-02-28"));
  EXPECT_EQ(LatestValidUntil(D("2026-08-31"), 6), D("2027-02-28"));
  EXPECT_EQ(LatestValidUntil(D("2026-12-31"), 12), D("2027-12-31"));
  // Never today or earlier for a positive interval.
  EXPECT_LT(kToday, LatestValidUntil(kToday, 1));
}

// --- NeedsCover ---------------------------------------------------------------------------

TEST(DecisionTest, OnlyAMustNotFullyMetNeedsCover) {
  EXPECT_TRUE(NeedsCover(MakeResponse("SUP-01", Level::kMust, Answer::kNotMet)));
  EXPECT_TRUE(NeedsCover(MakeResponse("SUP-01", Level::kMust, Answer::kPartiallyMet)));
  EXPECT_FALSE(NeedsCover(MakeResponse("SUP-01", Level::kMust, Answer::kMet)));
  EXPECT_FALSE(NeedsCover(MakeResponse("SUP-01", Level::kMust, Answer::kNotApplicable)));
  EXPECT_FALSE(NeedsCover(MakeResponse("SUP-01", Level::kMust, std::nullopt)));
  EXPECT_FALSE(NeedsCover(MakeResponse("COCO-15", Level::kShould, Answer::kNotMet)));
  EXPECT_FALSE(NeedsCover(MakeResponse("COCO-15", Level::kShould, Answer::kPartiallyMet)));
}

// --- CheckApproval: the happy path -------------------------------------------------------

TEST(DecisionTest, AFullyReviewedAndCoveredAssessmentIsApprovable) {
  const Assessment assessment = MakeAssessment();
  EXPECT_NO_THROW(CheckApproval(assessment, CoverAll(), {}, kToday, kLatest, kLatest));
  // A SHOULD may carry any verdict: only a MUST must be accepted.
  Assessment queried = assessment;
  queried.FindResponse("COCO-15")->review->verdict = Verdict::kQuery;
  EXPECT_NO_THROW(CheckApproval(queried, CoverAll(), {}, kToday, kLatest, kLatest));
  queried.FindResponse("COCO-15")->review->verdict = Verdict::kRejected;
  EXPECT_NO_THROW(CheckApproval(queried, CoverAll(), {}, kToday, kLatest, kLatest));
  // Nothing needing cover: no conditions at all is fine.
  Assessment clean = assessment;
  clean.FindResponse("SUP-01")->answer = Answer::kMet;
  clean.FindResponse("SUP-03")->answer = Answer::kNotApplicable;
  EXPECT_NO_THROW(CheckApproval(clean, {}, {}, kToday, kLatest, kLatest));
}

// --- review_incomplete ---------------------------------------------------------------------

TEST(DecisionTest, EveryResponseNeedsAVerdictAndEveryMustAnAcceptedOne) {
  Assessment assessment = MakeAssessment();
  assessment.FindResponse("SUP-02")->review.reset();
  assessment.FindResponse("COCO-15")->review.reset();  // a SHOULD needs a verdict too
  assessment.FindResponse("SUP-03")->review->verdict = Verdict::kRejected;
  assessment.FindResponse("SUP-04")->review->verdict = Verdict::kQuery;
  const Error error = ApprovalError(assessment, CoverAll(), {}, kLatest);
  EXPECT_EQ(error.kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(error.code(), "review_incomplete");
  EXPECT_EQ(RequirementsOf(error),
            (std::set<std::string>{"SUP-02", "COCO-15", "SUP-03", "SUP-04"}));
  for (const auto& detail : error.details()) {
    const bool unreviewed = detail.requirement_id == "SUP-02" || detail.requirement_id == "COCO-15";
    EXPECT_EQ(detail.code, unreviewed ? "no_verdict" : "must_not_accepted")
        << detail.requirement_id;
    EXPECT_EQ(detail.field, "") << detail.requirement_id;
    EXPECT_FALSE(detail.detail.empty());
  }
}

TEST(DecisionTest, AnIncompleteReviewIsReportedBeforeAnyOtherProblem) {
  Assessment assessment = MakeAssessment();
  assessment.FindResponse("SUP-01")->review.reset();
  // valid_until today, a condition on an unknown requirement and nothing covered: still the
  // review is what is reported.
  const Error error = ApprovalError(assessment, {Cover("SUP-99", kToday)}, {}, kToday);
  EXPECT_EQ(error.code(), "review_incomplete");
  EXPECT_EQ(RequirementsOf(error), std::set<std::string>{"SUP-01"});
}

// --- invalid_valid_until -------------------------------------------------------------------

TEST(DecisionTest, ValidUntilIsAfterTodayAndNoLaterThanTheLatest) {
  const Assessment assessment = MakeAssessment();
  const auto conditions = CoverAll(kToday.AddDays(1));
  for (const Date refused :
       {kToday.AddDays(-1), kToday, kLatest.AddDays(1), kLatest.AddDays(400)}) {
    const Error error = ApprovalError(assessment, conditions, {}, refused);
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidArgument) << refused.ToString();
    EXPECT_EQ(error.code(), "invalid_valid_until") << refused.ToString();
    ASSERT_EQ(error.details().size(), 1u) << refused.ToString();
    EXPECT_EQ(error.details()[0].field, "valid_until");
    EXPECT_EQ(error.details()[0].code, "out_of_range");
    // The detail names the allowed window.
    EXPECT_NE(error.details()[0].detail.find(kToday.AddDays(1).ToString()), std::string::npos);
    EXPECT_NE(error.details()[0].detail.find(kLatest.ToString()), std::string::npos);
  }
  for (const Date accepted : {kToday.AddDays(1), kLatest.AddDays(-1), kLatest}) {
    EXPECT_NO_THROW(CheckApproval(assessment, conditions, {}, kToday, accepted, kLatest))
        << accepted.ToString();
  }
  // The window follows the latest it is given.
  EXPECT_EQ(ApprovalError(assessment, conditions, {}, kToday.AddDays(10), kToday.AddDays(9)).code(),
            "invalid_valid_until");
}

// --- invalid_condition ---------------------------------------------------------------------

TEST(DecisionTest, AConditionIsDueAfterTodayAndNoLaterThanValidUntil) {
  const Assessment assessment = MakeAssessment();
  const Date valid_until = D("2026-09-30");
  for (const Date refused : {kToday.AddDays(-1), kToday, valid_until.AddDays(1)}) {
    const Error error = ApprovalError(
        assessment, {Cover("SUP-01", D("2026-06-30")), Cover("SUP-03", refused)}, {}, valid_until);
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidArgument) << refused.ToString();
    EXPECT_EQ(error.code(), "invalid_condition") << refused.ToString();
    ASSERT_EQ(error.details().size(), 1u) << refused.ToString();
    EXPECT_EQ(error.details()[0].field, "conditions[1].due_date");
    EXPECT_EQ(error.details()[0].code, "out_of_range");
    EXPECT_NE(error.details()[0].detail.find(valid_until.ToString()), std::string::npos);
  }
  for (const Date accepted : {kToday.AddDays(1), valid_until.AddDays(-1), valid_until}) {
    EXPECT_NO_THROW(CheckApproval(assessment,
                                  {Cover("SUP-01", D("2026-06-30")), Cover("SUP-03", accepted)}, {},
                                  kToday, valid_until, kLatest))
        << accepted.ToString();
  }
}

TEST(DecisionTest, AConditionNamesAResponseOfTheAssessmentAndEveryBadOneIsListed) {
  const Assessment assessment = MakeAssessment();
  const Error error =
      ApprovalError(assessment,
                    {Cover("SUP-01", D("2026-06-30")), Cover("SUP-99", D("2026-06-30")),
                     Cover("SUP-03", kToday), Cover("COCO-01", kLatest.AddDays(1))},
                    {}, kLatest);
  EXPECT_EQ(error.code(), "invalid_condition");
  EXPECT_EQ(FieldsOf(error),
            (std::set<std::string>{"conditions[1].requirement_id", "conditions[2].due_date",
                                   "conditions[3].requirement_id", "conditions[3].due_date"}));
  for (const auto& detail : error.details()) {
    const bool requirement = detail.field.ends_with(".requirement_id");
    EXPECT_EQ(detail.code, requirement ? "unknown_requirement" : "out_of_range") << detail.field;
  }
  // A condition on a response that needs no cover (a met MUST, a SHOULD) is allowed.
  auto conditions = CoverAll();
  conditions.push_back(Cover("SUP-02", D("2026-06-30")));
  conditions.push_back(Cover("COCO-15", D("2026-06-30")));
  EXPECT_NO_THROW(CheckApproval(assessment, conditions, {}, kToday, kLatest, kLatest));
}

TEST(DecisionTest, ABadValidUntilIsReportedBeforeBadConditions) {
  const Error error =
      ApprovalError(MakeAssessment(), {Cover("SUP-99", kToday)}, {}, kLatest.AddDays(1));
  EXPECT_EQ(error.code(), "invalid_valid_until");
}

// --- uncovered_requirements ----------------------------------------------------------------

TEST(DecisionTest, EveryMustNotFullyMetNeedsAConditionOrAnExceptionActiveToday) {
  const Assessment assessment = MakeAssessment();
  const Error none = ApprovalError(assessment, {}, {}, kLatest);
  EXPECT_EQ(none.kind(), ErrorKind::kInvalidArgument);
  EXPECT_EQ(none.code(), "uncovered_requirements");
  EXPECT_EQ(RequirementsOf(none), (std::set<std::string>{"SUP-01", "SUP-03"}));
  for (const auto& detail : none.details()) {
    EXPECT_EQ(detail.code, "uncovered");
    EXPECT_EQ(detail.field, "");
  }

  // One condition covers one of them.
  const Error half = ApprovalError(assessment, {Cover("SUP-01", D("2026-06-30"))}, {}, kLatest);
  EXPECT_EQ(half.code(), "uncovered_requirements");
  EXPECT_EQ(RequirementsOf(half), std::set<std::string>{"SUP-03"});

  // An exception active today covers the other; so does one expiring today.
  for (const Date expires : {kToday, kToday.AddDays(30)}) {
    EXPECT_NO_THROW(CheckApproval(assessment, {Cover("SUP-01", D("2026-06-30"))},
                                  {MakeException("SUP-03", expires)}, kToday, kLatest, kLatest))
        << expires.ToString();
  }
  // Exceptions alone cover both.
  EXPECT_NO_THROW(CheckApproval(
      assessment, {},
      {MakeException("SUP-01", kToday.AddDays(30)), MakeException("SUP-03", kToday.AddDays(30))},
      kToday, kLatest, kLatest));

  // Not: an exception that expired yesterday, one revoked earlier today, one revoked yesterday,
  // or one on another requirement.
  const std::vector<RiskException> useless = {
      MakeException("SUP-03", kToday.AddDays(-1)),
      MakeException("SUP-03", kToday.AddDays(30), At(kToday, 1)),
      MakeException("SUP-03", kToday.AddDays(30), At(kToday.AddDays(-1), 86399)),
      MakeException("SUP-02", kToday.AddDays(30)),
  };
  const Error stale =
      ApprovalError(assessment, {Cover("SUP-01", D("2026-06-30"))}, useless, kLatest);
  EXPECT_EQ(stale.code(), "uncovered_requirements");
  EXPECT_EQ(RequirementsOf(stale), std::set<std::string>{"SUP-03"});
}

// --- RiskException::ActiveOn ---------------------------------------------------------------

TEST(ReviewTest, AnExceptionIsActiveThroughItsExpiryDay) {
  const Date expires = D("2026-06-15");
  const RiskException exception = MakeException("SUP-01", expires);
  EXPECT_TRUE(exception.ActiveOn(D("2026-01-01")));
  EXPECT_TRUE(exception.ActiveOn(expires.AddDays(-1)));
  EXPECT_TRUE(exception.ActiveOn(expires));
  EXPECT_FALSE(exception.ActiveOn(expires.AddDays(1)));
  EXPECT_FALSE(exception.ActiveOn(expires.AddDays(365)));
}

TEST(ReviewTest, ARevokedExceptionIsInactiveFromTheDayOfItsRevocation) {
  const Date expires = D("2026-06-15");
  const Date revoked_on = D("2026-04-10");
  // Revoked at the first and at the last microsecond of the day: the same day counts.
  for (const auto revoked_at :
       {At(revoked_on), At(revoked_on, 86399) + std::chrono::microseconds(999999)}) {
    const RiskException exception = MakeException("SUP-01", expires, revoked_at);
    EXPECT_TRUE(exception.ActiveOn(revoked_on.AddDays(-1)));
    EXPECT_FALSE(exception.ActiveOn(revoked_on));
    EXPECT_FALSE(exception.ActiveOn(revoked_on.AddDays(1)));
    EXPECT_FALSE(exception.ActiveOn(expires));
    EXPECT_FALSE(exception.ActiveOn(expires.AddDays(1)));
  }
  // Revoked on its expiry day: active the day before, not on the day.
  const RiskException late = MakeException("SUP-01", expires, At(expires, 3600));
  EXPECT_TRUE(late.ActiveOn(expires.AddDays(-1)));
  EXPECT_FALSE(late.ActiveOn(expires));
}

// --- RiskException::StateOn ----------------------------------------------------------------

// Active while ActiveOn holds; after that revoked if it was revoked (before or after it
// expired), else expired.
TEST(ReviewTest, AnExceptionsStateFollowsActiveOnThenItsRevocation) {
  const Date expires = D("2026-06-15");
  const RiskException standing = MakeException("SUP-01", expires);
  EXPECT_EQ(standing.StateOn(expires), ExceptionState::kActive);
  EXPECT_EQ(standing.StateOn(expires.AddDays(1)), ExceptionState::kExpired);

  const Date revoked_on = D("2026-04-10");
  const RiskException revoked = MakeException("SUP-01", expires, At(revoked_on, 60));
  EXPECT_EQ(revoked.StateOn(revoked_on.AddDays(-1)), ExceptionState::kActive);
  EXPECT_EQ(revoked.StateOn(revoked_on), ExceptionState::kRevoked);
  EXPECT_EQ(revoked.StateOn(expires.AddDays(1)), ExceptionState::kRevoked);

  const RiskException revoked_after_expiry =
      MakeException("SUP-01", expires, At(expires.AddDays(5)));
  EXPECT_EQ(revoked_after_expiry.StateOn(expires.AddDays(1)), ExceptionState::kExpired);
  EXPECT_EQ(revoked_after_expiry.StateOn(expires.AddDays(5)), ExceptionState::kRevoked);

  for (const Date day : {D("2026-01-01"), revoked_on, expires, expires.AddDays(1)}) {
    for (const auto& exception : {standing, revoked, revoked_after_expiry}) {
      EXPECT_EQ(exception.StateOn(day) == ExceptionState::kActive, exception.ActiveOn(day))
          << day.ToString();
    }
  }
}

// --- RemediationAction::OverdueOn ----------------------------------------------------------

TEST(ReviewTest, AnActionIsOverdueFromTheDayAfterItsDueDateUntilVerified) {
  const Date due = D("2026-05-31");
  for (const ActionState state : {ActionState::kOpen, ActionState::kDone}) {
    const RemediationAction action = MakeAction(due, state);
    EXPECT_FALSE(action.OverdueOn(due.AddDays(-1))) << ToString(state);
    EXPECT_FALSE(action.OverdueOn(due)) << ToString(state);
    EXPECT_TRUE(action.OverdueOn(due.AddDays(1))) << ToString(state);
    EXPECT_TRUE(action.OverdueOn(due.AddDays(400))) << ToString(state);
  }
  const RemediationAction verified = MakeAction(due, ActionState::kVerified);
  for (const Date day : {due.AddDays(-1), due, due.AddDays(1), due.AddDays(400)}) {
    EXPECT_FALSE(verified.OverdueOn(day)) << day.ToString();
  }
}

// --- names ---------------------------------------------------------------------------------

TEST(ReviewTest, ActionAndExceptionStatesAndTriggerKindsRoundTripTheirNames) {
  for (const char* name : {"open", "done", "verified"}) {
    const auto state = TryParseActionState(name);
    ASSERT_TRUE(state) << name;
    EXPECT_EQ(ToString(*state), name);
  }
  EXPECT_FALSE(TryParseActionState("closed"));
  EXPECT_FALSE(TryParseActionState("Open"));
  EXPECT_FALSE(TryParseActionState(""));

  for (const char* name : {"active", "expired", "revoked"}) {
    const auto state = TryParseExceptionState(name);
    ASSERT_TRUE(state) << name;
    EXPECT_EQ(ToString(*state), name);
  }
  EXPECT_FALSE(TryParseExceptionState("Active"));
  EXPECT_FALSE(TryParseExceptionState("lapsed"));

  const std::vector<std::string> kinds = {"incident",
                                          "major_change",
                                          "new_subcontractor",
                                          "new_offshore_location",
                                          "certificate_revoked",
                                          "other"};
  EXPECT_EQ(TriggerKindNames(), kinds);
  std::set<TriggerKind> seen;
  for (const auto& name : kinds) {
    const auto kind = TryParseTriggerKind(name);
    ASSERT_TRUE(kind) << name;
    EXPECT_EQ(ToString(*kind), name);
    seen.insert(*kind);
  }
  EXPECT_EQ(seen.size(), kinds.size());
  EXPECT_FALSE(TryParseTriggerKind("breach"));
  EXPECT_FALSE(TryParseTriggerKind(""));
}

}  // namespace
}  // namespace coco::domain
