#include "domain/assessment/lifecycle.hpp"

#include <gtest/gtest.h>

#include <map>

namespace coco::domain {
namespace {

using State = AssessmentState;
using A = AssessmentAction;

// Every (state, action) pair of DESIGN.md §2's lifecycle, written out: the expected next state,
// or "-" where the lifecycle does not allow the action. Rows are states, columns the actions in
// declaration order: answer submit withdraw claim release review reopen request_changes
// approve reject suspend lift supersede.
struct LifecycleRow {
  State state;
  bool suspended;
  std::array<const char*, 13> next;
};

const std::vector<LifecycleRow> kLifecycleTable = {
    {State::kDraft,
     false,
     {"draft", "submitted", "withdrawn", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
    {State::kSubmitted,
     false,
     {"-", "-", "-", "in_review", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
    {State::kInReview,
     false,
     {"-", "-", "-", "-", "submitted", "in_review", "in_review", "changes_requested", "approved",
      "rejected", "-", "-", "-"}},
    {State::kChangesRequested,
     false,
     {"changes_requested", "submitted", "withdrawn", "-", "-", "-", "-", "-", "-", "-", "-", "-",
      "-"}},
    {State::kApproved,
     false,
     {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "approved", "-", "superseded"}},
    {State::kApproved,
     true,
     {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "approved", "superseded"}},
    {State::kRejected, false, {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
    {State::kWithdrawn, false, {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
    {State::kSuperseded, false, {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"}},
};

constexpr std::array<A, 13> kColumns = {A::kAnswer,   A::kSubmit, A::kWithdraw, A::kClaim,
                                        A::kRelease,  A::kReview, A::kReopen,   A::kRequestChanges,
                                        A::kApprove,  A::kReject, A::kSuspend,  A::kLift,
                                        A::kSupersede};

TEST(LifecycleTest, EveryStateActionPairHasTheDesignedOutcome) {
  int checked = 0;
  for (const auto& row : kLifecycleTable) {
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
  EXPECT_EQ(AllowedActions(State::kDraft, false),
            (std::vector<A>{A::kAnswer, A::kSubmit, A::kWithdraw}));
  EXPECT_EQ(AllowedActions(State::kInReview, false),
            (std::vector<A>{A::kRelease, A::kReview, A::kReopen, A::kRequestChanges, A::kApprove,
                            A::kReject}));
  EXPECT_EQ(AllowedActions(State::kApproved, true), (std::vector<A>{A::kLift, A::kSupersede}));
  EXPECT_TRUE(AllowedActions(State::kWithdrawn, false).empty());
}

TEST(LifecycleTest, DecidedAssessmentsAreTheFinalOnesAndApproved) {
  for (State state : {State::kApproved, State::kRejected, State::kWithdrawn, State::kSuperseded}) {
    EXPECT_TRUE(IsDecided(state)) << ToString(state);
    EXPECT_FALSE(IsOpen(state));
  }
  for (State state :
       {State::kDraft, State::kSubmitted, State::kInReview, State::kChangesRequested}) {
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
