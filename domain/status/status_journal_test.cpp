#include "domain/status/status_journal.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "domain/events/event.hpp"
#include "tests/support/dates.hpp"

namespace coco::domain {
namespace {

using test::D;

// One service requiring COCO, approved on 2026-01-10 until 2027-01-31, with an action due
// 2026-06-30 and a relied-on MUST file lapsing 2026-09-30.
SupplierFacts Supplier() {
  StandardFacts coco;
  coco.standard = StandardKey::kCoco;
  coco.approval = GoverningApproval{"a-1", "1.0", std::chrono::sys_days(D("2026-01-10").days()),
                                    D("2027-01-31")};
  coco.approval->actions.push_back(ActionFact{"act-1", "COCO-04", D("2026-06-30"), false});
  coco.approval->evidence.push_back(EvidenceFact{"COCO-11", true, "ev-1", D("2026-09-30")});
  ServiceFacts service;
  service.service_id = "svc-1";
  service.standards.push_back(coco);
  return SupplierFacts{"sup-1", {service}};
}

TEST(StatusJournalTest, EachDateRuleIsNamedOnTheDayItChangesAStatus) {
  const SupplierFacts facts = Supplier();
  const auto dated = ChangesBetween(facts, D("2026-02-01"), D("2027-12-31"));
  std::vector<std::pair<std::string, std::string>> standard_changes;  // day, rule
  for (const auto& day : dated) {
    for (const auto& change : day.changes) {
      ASSERT_TRUE(change.rule);
      if (change.standard) standard_changes.emplace_back(day.day.ToString(), *change.rule);
    }
  }
  // The action's due date enters the 30-day window, then passes (not_assured from the day
  // after it was due); nothing after that changes a status that is already the worst but
  // one... until nothing: not_assured stays.
  ASSERT_GE(standard_changes.size(), 2U);
  EXPECT_EQ(standard_changes[0],
            std::make_pair(std::string("2026-05-31"), std::string("expiring_window")));
  EXPECT_EQ(standard_changes[1].second, "action_overdue");
  EXPECT_EQ(standard_changes[1].first, "2026-07-01");
}

// One standard approved on 2026-01-10 with one thing that lapses on 2026-04-30 (valid_until
// itself, a relied-on MUST file, an exception covering a MUST not met, or an action's due date):
// the 30-day window opens on 2026-03-31, and the status gets worse on 2026-05-01 by the rule
// named.
struct LapseKind {
  const char* rule;
  SupplierFacts facts;
};
std::vector<LapseKind> LapseKinds() {
  const std::vector<std::pair<const char*, std::function<void(GoverningApproval&)>>> setups = {
      {"valid_until", [](GoverningApproval& a) { a.valid_until = D("2026-04-30"); }},
      {"evidence_lapsed",
       [](GoverningApproval& a) {
         a.evidence.push_back(EvidenceFact{"COCO-11", true, "ev-1", D("2026-04-30")});
       }},
      {"exception_expired",
       [](GoverningApproval& a) {
         a.exceptions.push_back(ExceptionFact{"exc-1", "COCO-08", D("2026-04-30")});
       }},
      {"action_overdue",
       [](GoverningApproval& a) {
         a.actions.push_back(ActionFact{"act-1", "COCO-04", D("2026-04-30"), false});
       }},
  };
  std::vector<LapseKind> kinds;
  for (const auto& [rule, setup] : setups) {
    SupplierFacts facts = Supplier();
    auto& approval = *facts.services[0].standards[0].approval;
    approval.actions.clear();
    approval.evidence.clear();
    approval.valid_until = D("2027-01-31");
    setup(approval);
    kinds.push_back(LapseKind{rule, std::move(facts)});
  }
  return kinds;
}

TEST(StatusJournalTest, EveryKindOfDateDrivenChangeIsFoundOnItsDay) {
  for (const auto& kind : LapseKinds()) {
    std::vector<std::string> seen;
    for (const auto& day : ChangesBetween(kind.facts, D("2026-02-01"), D("2026-12-31"))) {
      for (const auto& change : day.changes) {
        if (change.standard) seen.push_back(day.day.ToString() + " " + *change.rule);
      }
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"2026-03-31 expiring_window",
                                              "2026-05-01 " + std::string(kind.rule)}))
        << kind.rule;
  }
}

LapseOutlook OutlookOn(const SupplierFacts& facts, const char* day) {
  return LapseOutlookOf(facts, EvaluateSupplier(facts, D(day)), D(day));
}

// Each kind of lapse gets worse on 2026-05-01: the thresholds fall on 04-01 (30 days), 04-24 (7)
// and 04-30 (1), and each day before names the next one to look again.
TEST(StatusJournalTest, EveryKindOfLapseIsWarnedOfAtEachThreshold) {
  struct Day {
    const char* today;
    int threshold;  // 0: no warning
    int days;
    const char* next_visit;
  };
  const std::vector<Day> days = {
      {"2026-03-01", 0, 0, "2026-03-31"},  // 61 days out: beyond the lookahead, look in 30 days
      {"2026-03-15", 0, 0, "2026-04-01"},  // in view: look again on the 30-day threshold
      {"2026-04-01", 30, 30, "2026-04-24"},
      {"2026-04-10", 30, 21, "2026-04-24"},  // still the 30-day threshold: said once by the caller
      {"2026-04-24", 7, 7, "2026-04-30"},
      {"2026-04-27", 7, 4, "2026-04-30"},
      {"2026-04-30", 1, 1, "2026-05-30"},
  };
  for (const auto& kind : LapseKinds()) {
    for (const auto& day : days) {
      const LapseOutlook outlook = OutlookOn(kind.facts, day.today);
      const std::string where = std::string(kind.rule) + " on " + day.today;
      ASSERT_TRUE(outlook.next_visit) << where;
      EXPECT_EQ(outlook.next_visit->ToString(), day.next_visit) << where;
      if (day.threshold == 0) {
        EXPECT_FALSE(outlook.warning) << where;
        continue;
      }
      ASSERT_TRUE(outlook.warning) << where;
      EXPECT_EQ(outlook.warning->worsens_on, D("2026-05-01")) << where;
      EXPECT_EQ(outlook.warning->threshold, day.threshold) << where;
      EXPECT_EQ(outlook.warning->days, day.days) << where;
      EXPECT_EQ(outlook.warning->from, AssuranceStatus::kExpiring) << where;
      EXPECT_LT(outlook.warning->to, AssuranceStatus::kExpiring) << where;
      EXPECT_NE(outlook.warning->reasons, "[]") << where;
    }
  }
}

TEST(StatusJournalTest, NoWarningWhenNothingGetsWorse) {
  // The window opening is not a worsening: 2026-03-31 makes the status expiring, its base stays,
  // so the day before it the worsening in view is still 32 days away.
  const SupplierFacts facts = LapseKinds()[0].facts;
  EXPECT_FALSE(OutlookOn(facts, "2026-03-30").warning);
  // Already lapsed, and nothing else will change: nothing to warn of, nothing to look at again.
  const LapseOutlook lapsed = OutlookOn(facts, "2026-05-15");
  EXPECT_FALSE(lapsed.warning);
  EXPECT_FALSE(lapsed.next_visit);
  // A supplier with nothing approved never changes by itself.
  SupplierFacts none = Supplier();
  none.services[0].standards[0].approval.reset();
  EXPECT_FALSE(OutlookOn(none, "2026-04-01").next_visit);
}

TEST(StatusJournalTest, OnlyAChangeOfStatusCountsAndEveryLevelIsListed) {
  const SupplierFacts facts = Supplier();
  const SupplierStatus march = EvaluateSupplier(facts, D("2026-03-01"));
  const SupplierStatus april = EvaluateSupplier(facts, D("2026-04-01"));
  EXPECT_TRUE(StatusChanges(&march, april).empty());
  const auto first = StatusChanges(nullptr, march);
  ASSERT_EQ(first.size(), 3U);  // supplier, service, (service, COCO)
  EXPECT_FALSE(first[0].service_id);
  EXPECT_EQ(first[1].service_id, "svc-1");
  EXPECT_FALSE(first[1].standard);
  EXPECT_EQ(first[2].standard, StandardKey::kCoco);
  for (const auto& change : first) EXPECT_FALSE(change.from);
}

TEST(StatusJournalTest, DateDrivenChangesNameTheirSubjects) {
  const auto dated = ChangesBetween(Supplier(), D("2026-02-01"), D("2026-07-01"));
  std::vector<std::string> types;
  for (const auto& day : dated) {
    for (const auto& change : day.changes) {
      for (const auto& event : DateEventsOf(change))
        types.push_back(event.type + ":" + event.entity_id);
    }
  }
  EXPECT_EQ(types, (std::vector<std::string>{"action.due_soon:act-1", "action.overdue:act-1"}));
}

TEST(StatusJournalTest, ReasonsRenderWithKeysInAlphabeticalOrder) {
  Reason reason;
  reason.code = ReasonCode::kActionOverdue;
  reason.action_id = "act-1";
  reason.standard = StandardKey::kCoco;
  reason.date = D("2026-07-01");
  reason.service_id = "svc-\"1\"";
  EXPECT_EQ(ReasonsJson({reason}),
            R"([{"action_id":"act-1","code":"action_overdue","date":"2026-07-01",)"
            R"("service_id":"svc-\"1\"","standard":"COCO"}])");
  EXPECT_EQ(ReasonsJson({}), "[]");
}

}  // namespace
}  // namespace coco::domain
