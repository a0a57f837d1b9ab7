#include "domain/status/status.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "tests/support/dates.hpp"

namespace coco::domain {
namespace {

using S = AssuranceStatus;
using R = ReasonCode;

using test::D;

std::chrono::system_clock::time_point At(const char* date) {
  return std::chrono::sys_days(D(date).days()) + std::chrono::hours(12);
}

// An approval decided on 2026-01-10, valid until 2027-01-31, nothing else: assured from the
// day of the decision until 2027-01-01, expiring (valid_until within 30 days) from then on,
// expired from 2027-02-01.
StandardFacts ApprovedFacts() {
  StandardFacts facts;
  facts.standard = StandardKey::kCoco;
  facts.approval = GoverningApproval{"a-1", "1.0", At("2026-01-10"), D("2027-01-31")};
  return facts;
}

ActionFact ActionFactDue(const char* due, bool verified = false) {
  return ActionFact{"act-1", "COCO-04", D(due), verified};
}

ExceptionFact ExceptionFactUntil(const char* expires,
                                 std::optional<const char*> revoked = std::nullopt) {
  ExceptionFact exception{"exc-1", "COCO-08", D(expires)};
  if (revoked) exception.revoked_at = At(*revoked);
  return exception;
}

EvidenceFact EvidenceFactOn(const char* lapses, bool must = true) {
  return EvidenceFact{must ? "COCO-11" : "COCO-30", must, "ev-1", D(lapses)};
}

struct Case {
  const char* name;
  std::function<void(StandardFacts&, std::vector<TriggerFact>&)> setup;
  const char* as_of;
  S status;
  S base_status;
  std::multiset<R> reasons;
};

// Every status, every reason code, and the day before, of and after each date rule.
const std::vector<Case>& Cases() {
  static const std::vector<Case> kCases = {
      // Step 1: rejection and suspension.
      {"rejected newest decision",
       [](auto& f, auto&) {
         f.approval.reset();
         f.rejected_assessment_id = "a-2";
         f.rejected_on = D("2026-06-01");
       },
       "2026-11-22",
       S::kNotAssured,
       S::kNotAssured,
       {R::kRejected}},
      {"rejected after an approval wins over it",
       [](auto& f, auto&) { f.rejected_assessment_id = "a-2"; },
       "2026-11-22",
       S::kNotAssured,
       S::kNotAssured,
       {R::kRejected}},
      {"rejected with a reassessment open",
       [](auto& f, auto&) {
         f.rejected_assessment_id = "a-2";
         f.open_assessment_id = "a-3";
       },
       "2026-11-22",
       S::kNotAssured,
       S::kNotAssured,
       {R::kRejected, R::kReassessmentInProgress}},
      {"suspended",
       [](auto& f, auto&) { f.approval->suspended = true; },
       "2026-11-22",
       S::kNotAssured,
       S::kNotAssured,
       {R::kSuspended}},
      // Step 2: no governing approval.
      {"nothing submitted",
       [](auto& f, auto&) { f.approval.reset(); },
       "2026-11-22",
       S::kNotAssessed,
       S::kNotAssessed,
       {R::kNoSubmission}},
      {"first assessment open",
       [](auto& f, auto&) {
         f.approval.reset();
         f.open_assessment_id = "a-3";
       },
       "2026-11-22",
       S::kInProgress,
       S::kInProgress,
       {R::kReassessmentInProgress}},
      // Step 4: assured, and valid_until's boundaries (window start 2027-01-01, lapse 2027-02-01).
      {"assured", [](auto&, auto&) {}, "2026-11-22", S::kAssured, S::kAssured, {}},
      {"day before the expiring window",
       [](auto&, auto&) {},
       "2026-12-31",
       S::kAssured,
       S::kAssured,
       {}},
      {"first day of the expiring window",
       [](auto&, auto&) {},
       "2027-01-01",
       S::kExpiring,
       S::kAssured,
       {R::kLapsesSoon}},
      {"day after the window opens",
       [](auto&, auto&) {},
       "2027-01-02",
       S::kExpiring,
       S::kAssured,
       {R::kLapsesSoon}},
      {"day before valid_until",
       [](auto&, auto&) {},
       "2027-01-30",
       S::kExpiring,
       S::kAssured,
       {R::kLapsesSoon}},
      {"valid_until itself",
       [](auto&, auto&) {},
       "2027-01-31",
       S::kExpiring,
       S::kAssured,
       {R::kLapsesSoon}},
      {"day after valid_until",
       [](auto&, auto&) {},
       "2027-02-01",
       S::kExpired,
       S::kExpired,
       {R::kApprovalExpired}},
      {"expired with a reassessment open",
       [](auto& f, auto&) { f.open_assessment_id = "a-3"; },
       "2027-02-01",
       S::kExpired,
       S::kExpired,
       {R::kApprovalExpired, R::kReassessmentInProgress}},
      {"assured with a reassessment open",
       [](auto& f, auto&) { f.open_assessment_id = "a-3"; },
       "2026-11-22",
       S::kAssured,
       S::kAssured,
       {R::kReassessmentInProgress}},
      // Actions: open (conditional), due date boundaries, verified.
      {"open action",
       [](auto& f, auto&) { f.approval->actions.push_back(ActionFactDue("2026-06-30")); },
       "2026-05-01",
       S::kConditionallyAssured,
       S::kConditionallyAssured,
       {R::kOpenActions}},
      {"open action, day before its window",
       [](auto& f, auto&) { f.approval->actions.push_back(ActionFactDue("2026-06-30")); },
       "2026-05-30",
       S::kConditionallyAssured,
       S::kConditionallyAssured,
       {R::kOpenActions}},
      {"open action, first day of its window",
       [](auto& f, auto&) { f.approval->actions.push_back(ActionFactDue("2026-06-30")); },
       "2026-05-31",
       S::kExpiring,
       S::kConditionallyAssured,
       {R::kOpenActions, R::kLapsesSoon}},
      {"open action on its due date",
       [](auto& f, auto&) { f.approval->actions.push_back(ActionFactDue("2026-06-30")); },
       "2026-06-30",
       S::kExpiring,
       S::kConditionallyAssured,
       {R::kOpenActions, R::kLapsesSoon}},
      {"open action the day after its due date",
       [](auto& f, auto&) { f.approval->actions.push_back(ActionFactDue("2026-06-30")); },
       "2026-07-01",
       S::kNotAssured,
       S::kNotAssured,
       {R::kActionOverdue}},
      {"verified action, long past due",
       [](auto& f, auto&) { f.approval->actions.push_back(ActionFactDue("2026-06-30", true)); },
       "2026-11-22",
       S::kAssured,
       S::kAssured,
       {}},
      // Exceptions: active (conditional), expiry and revocation boundaries.
      {"active exception",
       [](auto& f, auto&) { f.approval->exceptions.push_back(ExceptionFactUntil("2026-09-30")); },
       "2026-06-01",
       S::kConditionallyAssured,
       S::kConditionallyAssured,
       {R::kActiveExceptions}},
      {"exception, day before its window",
       [](auto& f, auto&) { f.approval->exceptions.push_back(ExceptionFactUntil("2026-09-30")); },
       "2026-08-30",
       S::kConditionallyAssured,
       S::kConditionallyAssured,
       {R::kActiveExceptions}},
      {"exception, first day of its window",
       [](auto& f, auto&) { f.approval->exceptions.push_back(ExceptionFactUntil("2026-09-30")); },
       "2026-08-31",
       S::kExpiring,
       S::kConditionallyAssured,
       {R::kActiveExceptions, R::kLapsesSoon}},
      {"exception on its expiry date",
       [](auto& f, auto&) { f.approval->exceptions.push_back(ExceptionFactUntil("2026-09-30")); },
       "2026-09-30",
       S::kExpiring,
       S::kConditionallyAssured,
       {R::kActiveExceptions, R::kLapsesSoon}},
      {"exception the day after it expires",
       [](auto& f, auto&) { f.approval->exceptions.push_back(ExceptionFactUntil("2026-09-30")); },
       "2026-10-01",
       S::kNotAssured,
       S::kNotAssured,
       {R::kExceptionExpired}},
      {"revoked exception, day before revocation",
       [](auto& f, auto&) {
         f.approval->exceptions.push_back(ExceptionFactUntil("2026-12-31", "2026-09-01"));
       },
       "2026-08-31",
       S::kExpiring,
       S::kConditionallyAssured,
       {R::kActiveExceptions, R::kLapsesSoon}},
      {"revoked exception, on the revocation date",
       [](auto& f, auto&) {
         f.approval->exceptions.push_back(ExceptionFactUntil("2026-12-31", "2026-09-01"));
       },
       "2026-09-01",
       S::kNotAssured,
       S::kNotAssured,
       {R::kExceptionExpired}},
      {"expired exception whose requirement a verified action satisfies",
       [](auto& f, auto&) {
         f.approval->exceptions.push_back(ExceptionFactUntil("2026-09-30"));
         f.approval->actions.push_back(ActionFact{"act-2", "COCO-08", D("2026-08-01"), true});
       },
       "2026-10-01",
       S::kAssured,
       S::kAssured,
       {}},
      {"expired exception followed by an active one",
       [](auto& f, auto&) {
         f.approval->exceptions.push_back(ExceptionFactUntil("2026-09-30"));
         f.approval->exceptions.push_back(ExceptionFact{"exc-2", "COCO-08", D("2026-12-31")});
       },
       "2026-10-01",
       S::kConditionallyAssured,
       S::kConditionallyAssured,
       {R::kActiveExceptions}},
      {"exception revoked later on the day of the approval was relied on",
       [](auto& f, auto&) {
         f.approval->exceptions.push_back(ExceptionFactUntil("2026-09-30"));
         f.approval->exceptions.back().revoked_at = At("2026-01-10") + std::chrono::hours(3);
       },
       "2026-01-10",
       S::kNotAssured,
       S::kNotAssured,
       {R::kExceptionExpired}},
      {"exception revoked before the approval was not relied on",
       [](auto& f, auto&) {
         f.approval->exceptions.push_back(ExceptionFactUntil("2026-09-30"));
         f.approval->exceptions.back().revoked_at = At("2026-01-10") - std::chrono::hours(3);
       },
       "2026-01-10",
       S::kAssured,
       S::kAssured,
       {}},
      {"exception that had lapsed before the approval is not relied on",
       [](auto& f, auto&) { f.approval->exceptions.push_back(ExceptionFactUntil("2026-01-05")); },
       "2026-06-01",
       S::kAssured,
       S::kAssured,
       {}},
      {"exception for a requirement since met",
       [](auto& f, auto&) {
         auto exception = ExceptionFactUntil("2026-09-30");
         exception.requirement_not_met = false;
         f.approval->exceptions.push_back(exception);
       },
       "2026-10-01",
       S::kAssured,
       S::kAssured,
       {}},
      // Relied-on evidence: lapse boundaries, MUST and SHOULD.
      {"evidence, day before its window",
       [](auto& f, auto&) { f.approval->evidence.push_back(EvidenceFactOn("2026-08-31")); },
       "2026-07-31",
       S::kAssured,
       S::kAssured,
       {}},
      {"evidence, first day of its window",
       [](auto& f, auto&) { f.approval->evidence.push_back(EvidenceFactOn("2026-08-31")); },
       "2026-08-01",
       S::kExpiring,
       S::kAssured,
       {R::kLapsesSoon}},
      {"evidence on its lapse date",
       [](auto& f, auto&) { f.approval->evidence.push_back(EvidenceFactOn("2026-08-31")); },
       "2026-08-31",
       S::kExpiring,
       S::kAssured,
       {R::kLapsesSoon}},
      {"evidence the day after it lapses",
       [](auto& f, auto&) { f.approval->evidence.push_back(EvidenceFactOn("2026-08-31")); },
       "2026-09-01",
       S::kExpired,
       S::kExpired,
       {R::kEvidenceExpired}},
      {"SHOULD evidence lapsed is information only",
       [](auto& f, auto&) { f.approval->evidence.push_back(EvidenceFactOn("2026-08-31", false)); },
       "2026-09-01",
       S::kAssured,
       S::kAssured,
       {R::kShouldEvidenceExpired}},
      {"SHOULD evidence about to lapse changes nothing",
       [](auto& f, auto&) { f.approval->evidence.push_back(EvidenceFactOn("2026-08-31", false)); },
       "2026-08-15",
       S::kAssured,
       S::kAssured,
       {}},
      // Profile changes and triggers.
      {"profile changed since the approval",
       [](auto& f, auto&) { f.approval->profile_changed = true; },
       "2026-11-22",
       S::kExpired,
       S::kExpired,
       {R::kProfileChanged}},
      {"trigger recorded after the approval",
       [](auto&, auto& triggers) {
         triggers.push_back(TriggerFact{"t-1", D("2026-03-01"), At("2026-03-02")});
       },
       "2026-11-22",
       S::kExpired,
       S::kExpired,
       {R::kReassessmentTriggered}},
      {"trigger recorded before the approval",
       [](auto&, auto& triggers) {
         triggers.push_back(TriggerFact{"t-1", D("2026-01-01"), At("2026-01-02")});
       },
       "2026-11-22",
       S::kAssured,
       S::kAssured,
       {}},
      // The worst that applies, with every reason that applies.
      {"overdue action beats expired approval",
       [](auto& f, auto&) { f.approval->actions.push_back(ActionFactDue("2026-06-30")); },
       "2027-02-01",
       S::kNotAssured,
       S::kNotAssured,
       {R::kActionOverdue, R::kApprovalExpired}},
      {"open action and active exception together",
       [](auto& f, auto&) {
         f.approval->actions.push_back(ActionFactDue("2026-10-30"));
         f.approval->exceptions.push_back(ExceptionFactUntil("2026-12-31"));
       },
       "2026-06-01",
       S::kConditionallyAssured,
       S::kConditionallyAssured,
       {R::kOpenActions, R::kActiveExceptions}},
  };
  return kCases;
}

TEST(StatusTest, EveryCaseOfTheTable) {
  for (const auto& test_case : Cases()) {
    SCOPED_TRACE(test_case.name);
    StandardFacts facts = ApprovedFacts();
    std::vector<TriggerFact> triggers;
    test_case.setup(facts, triggers);
    const auto result = EvaluateStandard(facts, triggers, D(test_case.as_of));
    EXPECT_EQ(ToString(result.status), ToString(test_case.status));
    EXPECT_EQ(ToString(result.base_status), ToString(test_case.base_status));
    std::multiset<R> codes;
    for (const auto& reason : result.reasons) {
      codes.insert(reason.code);
      EXPECT_EQ(reason.standard, StandardKey::kCoco);
    }
    EXPECT_EQ(codes, test_case.reasons);
    // The fast path agrees with the full evaluation.
    EXPECT_EQ(StandardStatusOn(facts, triggers, D(test_case.as_of)), result.status);
  }
}

TEST(StatusTest, TheTableCoversEveryStatusAndEveryStandardReasonCode) {
  std::set<S> statuses;
  std::set<R> codes;
  for (const auto& test_case : Cases()) {
    statuses.insert(test_case.status);
    codes.insert(test_case.reasons.begin(), test_case.reasons.end());
  }
  EXPECT_EQ(statuses.size(), 7u);
  codes.insert(R::kNoServices);  // a supplier-level code: see NoServices below
  EXPECT_EQ(codes.size(), 15u);
}

TEST(StatusTest, ReasonsCarryTheirIdsAndDates) {
  StandardFacts facts = ApprovedFacts();
  facts.approval->actions.push_back(ActionFactDue("2026-06-30"));
  const auto result = EvaluateStandard(facts, {}, D("2026-07-01"));
  ASSERT_EQ(result.reasons.size(), 1u);
  EXPECT_EQ(result.reasons[0].action_id, "act-1");
  EXPECT_EQ(result.reasons[0].requirement_id, "COCO-04");
  EXPECT_EQ(result.reasons[0].date, D("2026-06-30"));
}

TEST(StatusTest, NextChangeIsTheFirstDayTheStatusDiffers) {
  StandardFacts facts = ApprovedFacts();
  auto result = EvaluateStandard(facts, {}, D("2026-11-22"));
  ASSERT_TRUE(result.next_change.has_value());
  EXPECT_EQ(result.next_change->date, D("2027-01-01"));
  EXPECT_EQ(result.next_change->status, S::kExpiring);

  result = EvaluateStandard(facts, {}, D("2027-01-15"));
  ASSERT_TRUE(result.next_change.has_value());
  EXPECT_EQ(result.next_change->date, D("2027-02-01"));
  EXPECT_EQ(result.next_change->status, S::kExpired);

  // Once expired nothing changes by itself.
  EXPECT_FALSE(EvaluateStandard(facts, {}, D("2027-02-01")).next_change.has_value());

  // An open action: expiring 30 days before it is due, not assured the day after.
  facts.approval->actions.push_back(ActionFactDue("2026-06-30"));
  result = EvaluateStandard(facts, {}, D("2026-06-10"));
  ASSERT_TRUE(result.next_change.has_value());
  EXPECT_EQ(result.next_change->date, D("2026-07-01"));
  EXPECT_EQ(result.next_change->status, S::kNotAssured);
}

TEST(StatusTest, NoSubmissionAndSuspensionNeverChangeByThemselves) {
  StandardFacts facts = ApprovedFacts();
  facts.approval->suspended = true;
  EXPECT_FALSE(EvaluateStandard(facts, {}, D("2026-11-22")).next_change.has_value());
  facts.approval.reset();
  EXPECT_FALSE(EvaluateStandard(facts, {}, D("2026-11-22")).next_change.has_value());
}

ServiceFacts ServiceFactsOf(std::vector<StandardFacts> standards) {
  return ServiceFacts{"svc-1", std::move(standards), {}};
}

TEST(StatusTest, ServiceRollUpIsTheWorstOfTheRequiredStandards) {
  StandardFacts coco = ApprovedFacts();
  StandardFacts crypto = ApprovedFacts();
  crypto.standard = StandardKey::kCryptography;
  crypto.approval->actions.push_back(ActionFactDue("2026-12-31"));
  StandardFacts offshoring;  // not assessed, but not required by the profile
  offshoring.standard = StandardKey::kOffshoring;
  offshoring.required = false;
  const ServiceFacts service = ServiceFactsOf({coco, crypto, offshoring});

  const auto result = EvaluateService(service, D("2026-06-01"));
  EXPECT_EQ(result.status, S::kConditionallyAssured);
  ASSERT_EQ(result.standards.size(), 3u);
  EXPECT_EQ(result.standards[2].status, S::kNotAssessed);  // listed, not counted
  ASSERT_EQ(result.reasons.size(), 1u);
  EXPECT_EQ(result.reasons[0].code, R::kOpenActions);
  EXPECT_EQ(result.reasons[0].standard, StandardKey::kCryptography);
  EXPECT_EQ(result.reasons[0].service_id, "svc-1");
  // The action's window opens on 2026-12-01.
  ASSERT_TRUE(result.next_change.has_value());
  EXPECT_EQ(result.next_change->date, D("2026-12-01"));
  EXPECT_EQ(result.next_change->status, S::kExpiring);
}

TEST(StatusTest, RollUpOrderIsTheDesignedOne) {
  // not_assured < expired < not_assessed < in_progress < expiring < conditionally_assured < assured
  const std::vector<S> order = {S::kNotAssured, S::kExpired,  S::kNotAssessed,
                                S::kInProgress, S::kExpiring, S::kConditionallyAssured,
                                S::kAssured};
  for (std::size_t i = 1; i < order.size(); ++i) EXPECT_LT(order[i - 1], order[i]);
  // An expiring standard next to one in progress: in progress wins.
  StandardFacts expiring = ApprovedFacts();
  StandardFacts open;
  open.standard = StandardKey::kSupplier;
  open.open_assessment_id = "a-9";
  EXPECT_EQ(EvaluateService(ServiceFactsOf({expiring, open}), D("2027-01-15")).status,
            S::kInProgress);
}

TEST(StatusTest, SupplierRollUpAndNoServices) {
  const auto none = EvaluateSupplier(SupplierFacts{"sup-1", {}}, D("2026-11-22"));
  EXPECT_EQ(none.status, S::kNotAssessed);
  ASSERT_EQ(none.reasons.size(), 1u);
  EXPECT_EQ(none.reasons[0].code, R::kNoServices);
  EXPECT_FALSE(none.next_change.has_value());

  StandardFacts good = ApprovedFacts();
  StandardFacts bad = ApprovedFacts();
  bad.approval->suspended = true;
  const SupplierFacts supplier{"sup-1", {ServiceFactsOf({good}), ServiceFacts{"svc-2", {bad}, {}}}};
  const auto result = EvaluateSupplier(supplier, D("2026-11-22"));
  EXPECT_EQ(result.status, S::kNotAssured);
  ASSERT_EQ(result.reasons.size(), 1u);
  EXPECT_EQ(result.reasons[0].code, R::kSuspended);
  EXPECT_EQ(result.reasons[0].service_id, "svc-2");
}

TEST(StatusTest, StatusNamesRoundTrip) {
  for (const auto& name : AssuranceStatusNames()) {
    const auto status = TryParseAssuranceStatus(name);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(ToString(*status), name);
  }
  EXPECT_FALSE(TryParseAssuranceStatus("fine").has_value());
}

}  // namespace
}  // namespace coco::domain
