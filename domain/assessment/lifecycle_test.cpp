#include "domain/assessment/lifecycle.hpp"

#include <gtest/gtest.h>

#include <map>

namespace coco::domain {
namespace {

using S = AssessmentState;
using A = AssessmentAction;

// Every (state, action) pair of DESIGN.md §2's lifecycle, written out: the expected next state,
// or "-" where the lifecycle does not allow the action. Rows are states, columns the actions in
// declaration order: answer submit withdraw claim release review reopen request_changes
// approve reject suspend lift supersede.
struct Row {
  S state;
  bool suspended;
  std::array<const char*, 13> next;
};

const std::vector<Row> kTable = {
    {S::kDraft,
     false,
     {"draft", "submitted", "withdrawn", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
    {S::kSubmitted,
     false,
     {"-", "-", "-", "in_review", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
    {S::kInReview,
     false,
     {"-", "-", "-", "-", "submitted", "in_review", "in_review", "changes_requested", "approved",
      "rejected", "-", "-", "-"}},
    {S::kChangesRequested,
     false,
     {"changes_requested", "submitted", "withdrawn", "-", "-", "-", "-", "-", "-", "-", "-", "-",
      "-"}},
    {S::kApproved,
     false,
     {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "approved", "-", "superseded"}},
    {S::kApproved,
     true,
     {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "approved", "superseded"}},
    {S::kRejected, false, {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
    {S::kWithdrawn, false, {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
    {S::kSuperseded, false, {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
};

constexpr std::array<A, 13> kColumns = {A::kAnswer,   A::kSubmit, A::kWithdraw, A::kClaim,
                                        A::kRelease,  A::kReview, A::kReopen,   A::kRequestChanges,
                                        A::kApprove,  A::kReject, A::kSuspend,  A::kLift,
                                        A::kSupersede};

TEST(LifecycleTest, EveryStateActionPairHasTheDesignedOutcome) {
  int checked = 0;
  for (const auto& row : kTable) {
    for (std::size_t i = 0; i < kColumns.size(); ++i) {
      const auto next = NextState(row.state, row.suspended, kColumns[i]);
      const std::string expected = row.next[i];
      SCOPED_TRACE(std::string(ToString(row.state)) + (row.suspended ? " (suspended)" : "") +
                   " + " + std::string(ToString(kColumns[i])));
      if (expected == "-") {
        EXPECT_FALSE(next.has_value());
      } else {
        ASSERT_TRUE(next.has_value());
        EXPECT_EQ(ToString(*next), expected);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 9 * 13);
}

TEST(LifecycleTest, AllowedActionsAreExactlyTheOnesWithANextState) {
  EXPECT_EQ(AllowedActions(S::kDraft, false),
            (std::vector<A>{A::kAnswer, A::kSubmit, A::kWithdraw}));
  EXPECT_EQ(AllowedActions(S::kInReview, false),
            (std::vector<A>{A::kRelease, A::kReview, A::kReopen, A::kRequestChanges, A::kApprove,
                            A::kReject}));
  EXPECT_EQ(AllowedActions(S::kApproved, true), (std::vector<A>{A::kLift, A::kSupersede}));
  EXPECT_TRUE(AllowedActions(S::kWithdrawn, false).empty());
}

TEST(LifecycleTest, DecidedAssessmentsAreTheFinalOnesAndApproved) {
  for (S state : {S::kApproved, S::kRejected, S::kWithdrawn, S::kSuperseded}) {
    EXPECT_TRUE(IsDecided(state)) << ToString(state);
    EXPECT_FALSE(IsOpen(state));
  }
  for (S state : {S::kDraft, S::kSubmitted, S::kInReview, S::kChangesRequested}) {
    EXPECT_FALSE(IsDecided(state)) << ToString(state);
    EXPECT_TRUE(IsOpen(state));
  }
}

TEST(LifecycleTest, ActionNamesRoundTrip) {
  for (A action : kColumns) EXPECT_EQ(TryParseAssessmentAction(ToString(action)), action);
  EXPECT_FALSE(TryParseAssessmentAction("delete").has_value());
}

}  // namespace
}  // namespace coco::domain
