// The few assessment rules the status SQL needs are defined once for SQL
// (migrations/functions/R__10_assessment_rules.sql) and once in the domain, which the rest of the
// server uses. This holds the two to the same answer for every input, so neither can change alone.

#include <gtest/gtest.h>

#include "domain/assessment/assessment.hpp"
#include "tests/support/test_database.hpp"

namespace coco {
namespace {

TEST(StatusRulesPgTest, SqlAndTheDomainAgreeOnOpenStatesAndNotFullyMet) {
  test::TestDatabase database;
  database.Migrate();
  using domain::AssessmentState;
  for (const auto state :
       {AssessmentState::kDraft, AssessmentState::kSubmitted, AssessmentState::kInReview,
        AssessmentState::kChangesRequested, AssessmentState::kApproved, AssessmentState::kRejected,
        AssessmentState::kWithdrawn, AssessmentState::kSuperseded}) {
    const std::string name(domain::ToString(state));
    EXPECT_EQ(database.QueryValue("SELECT '" + name + "' = ANY (coco_open_assessment_states())"),
              domain::IsOpen(state) ? "t" : "f")
        << name;
  }
  // Every state the table allows is one of the domain's.
  EXPECT_EQ(
      database.QueryValue("SELECT count(*) FROM unnest(coco_open_assessment_states()) s"
                          " WHERE s NOT IN ('draft', 'submitted', 'in_review', 'changes_requested',"
                          " 'approved', 'rejected', 'withdrawn', 'superseded')"),
      "0");
  using domain::Answer;
  using domain::Level;
  for (const auto level : {Level::kMust, Level::kShould}) {
    for (const auto answer :
         {Answer::kMet, Answer::kPartiallyMet, Answer::kNotMet, Answer::kNotApplicable}) {
      const std::string level_name(domain::ToString(level));
      const std::string answer_name(domain::ToString(answer));
      EXPECT_EQ(database.QueryValue("SELECT coco_not_fully_met('" + level_name + "', '" +
                                    answer_name + "')"),
                domain::NotFullyMet(level, answer) ? "t" : "f")
          << level_name << " " << answer_name;
    }
  }
}

}  // namespace
}  // namespace coco
