// The status projection (migrations/0008_status.sql) against an independent recomputation
// (issue #6). A seeded random sequence of operations runs through the domain use cases on real
// PostgreSQL repositories; after every step the facts of the supplier it touched are read from
// the projection (PgStatusRepository::Read) and recomputed from scratch by this file: plain SQL
// over the raw tables (services, assessments, responses, response_evidence, evidence,
// requirements, actions, action_evidence, risk_exceptions, triggers) and DESIGN.md §2's
// definitions written out here in C++. Neither coco_refresh_status nor persistence/pg_status.cpp
// takes part in the recomputation. The two must agree field by field, and so must the statuses
// the pure function (domain::EvaluateSupplier) derives from each at several dates.
//
// It bites: with any one of the projection updates the writes make left out, it fails (checked
// by commenting each call of RefreshStatus / RefreshServiceStatus out in turn).
//
// "This file" is four: the recomputation (status_recomputation.hpp), the comparison
// (status_comparison.hpp), the operations (status_operations.hpp) and the test itself.

#include <gtest/gtest.h>

#include "tests/pg/status_operations.hpp"

namespace coco::status_projection {
namespace {

TEST_F(StatusProjectionTest, EqualsAnIndependentRecomputationAfterRandomOperations) {
  struct Operation {
    const char* name;
    int weight;
    std::string (StatusProjectionTest::*run)();
  };
  const std::vector<Operation> operations = {
      {"advance", 55, &StatusProjectionTest::Advance},
      {"start", 4, &StatusProjectionTest::StartAssessment},
      {"answer", 2, &StatusProjectionTest::AnswerAny},
      {"submit", 2, &StatusProjectionTest::SubmitAny},
      {"withdraw", 2, &StatusProjectionTest::WithdrawAny},
      {"claim", 1, &StatusProjectionTest::ClaimAny},
      {"release", 1, &StatusProjectionTest::ReleaseAny},
      {"review", 1, &StatusProjectionTest::ReviewAny},
      {"request_changes", 1, &StatusProjectionTest::RequestChangesAny},
      {"approve", 1, &StatusProjectionTest::ApproveAny},
      {"reject", 1, &StatusProjectionTest::RejectAny},
      {"suspend", 2, &StatusProjectionTest::Suspend},
      {"lift", 2, &StatusProjectionTest::Lift},
      {"complete_action", 6, &StatusProjectionTest::CompleteAction},
      {"verify_action", 5, &StatusProjectionTest::VerifyAction},
      {"reopen_action", 2, &StatusProjectionTest::ReopenAction},
      {"add_exception", 5, &StatusProjectionTest::AddException},
      {"revoke_exception", 3, &StatusProjectionTest::RevokeException},
      {"record_trigger", 3, &StatusProjectionTest::RecordTrigger},
      {"upload", 1, &StatusProjectionTest::UploadFile},
      {"change_profile", 3, &StatusProjectionTest::ChangeProfile},
      {"advance_days", 5, &StatusProjectionTest::AdvanceDays},
  };
  std::vector<int> weights;
  for (const auto& op : operations) weights.push_back(op.weight);
  std::discrete_distribution<std::size_t> choose(weights.begin(), weights.end());
  std::map<std::string, std::pair<int, int>> tally;  // name -> (done, refused)
  std::map<std::string, int> refusals;               // "operation:code" -> count
  using Clock = std::chrono::steady_clock;
  Clock::duration in_operations{}, in_checks{};

  const auto check = [&](int step, const std::string& what, const std::vector<std::string>& which) {
    for (const auto& supplier : which) {
      const auto differences = Check(supplier);
      if (differences.empty()) continue;
      std::string message = "after step " + std::to_string(step) + " (" + what + "), supplier " +
                            supplier + ": the projection and the recomputation differ (" +
                            std::to_string(differences.size()) + "):\n";
      for (std::size_t i = 0; i < differences.size() && i < 20; ++i) {
        message += "  " + differences[i] + "\n";
      }
      ADD_FAILURE() << message;
      return false;
    }
    return true;
  };

  ASSERT_TRUE(check(0, "set-up", suppliers_));
  for (int step = 1; step <= kSteps; ++step) {
    // Time always moves on a little, so no two writes share an instant.
    clock_.Advance(std::chrono::minutes(Uniform(1, 180)));
    if (step == kSteps / 3) PublishSupplierVersion();
    const Operation& op = operations[choose(random_)];
    std::string touched;
    const auto started = Clock::now();
    try {
      touched = (this->*op.run)();
      if (!touched.empty()) ++tally[op.name].first;
    } catch (const domain::Error& error) {
      // The domain refusing a move is part of the game; an internal error is not.
      ASSERT_NE(error.kind(), domain::ErrorKind::kInternal)
          << "step " << step << " (" << op.name << "): " << error.what();
      ++tally[op.name].second;
      ++refusals[std::string(op.name) + ":" + error.code() +
                 (error.details().empty() ? "" : "/" + error.details().front().code)];
      touched = "*";  // a refused move may have done part of its work (answering)
    }
    const auto operated = Clock::now();
    in_operations += operated - started;
    const bool checkpoint = step % kCheckpointEvery == 0 || step == kSteps;
    std::vector<std::string> which;
    if (checkpoint || touched == "*") {
      which = suppliers_;
    } else if (!touched.empty()) {
      which = {touched};
    }
    const bool agreed = check(step, op.name, which);
    in_checks += Clock::now() - operated;
    if (!agreed) break;
  }

  std::ostringstream summary;
  summary << "status projection: " << kSteps << " steps, " << checks_ << " supplier comparisons,"
          << " clock at " << Today().ToString() << "\n  operations (done/refused):";
  for (const auto& [name, counts] : tally) {
    summary << " " << name << "=" << counts.first << "/" << counts.second;
  }
  summary << "\n  refusals:";
  for (const auto& [name, count] : refusals) summary << " " << name << "=" << count;
  const auto ms = [](Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  summary << "\n  time: operations " << ms(in_operations) << " ms, comparisons " << ms(in_checks)
          << " ms";
  summary << "\n  assessments by state:";
  for (const auto& r :
       Rows("SELECT state, count(*) FROM assessments GROUP BY state ORDER BY state")) {
    summary << " " << r[0] << "=" << r[1];
  }
  summary << "\n  decisions by standard version:";
  for (const auto& r :
       Rows("SELECT standard_key || ' ' || standard_version || ' ' || state, count(*)"
            " FROM assessments WHERE decided_at IS NOT NULL GROUP BY 1 ORDER BY 1")) {
    summary << " " << r[0] << "=" << r[1];
  }
  summary << "\n  drafts withdrawn by a profile change: "
          << Rows(
                 "SELECT count(*) FROM audit_events WHERE action = 'service.update'"
                 " AND detail LIKE '%withdrawn_assessments%'")[0][0]
          << ", actions verified now: "
          << Rows("SELECT count(*) FROM actions WHERE state = 'verified'")[0][0]
          << ", exceptions: " << Rows("SELECT count(*) FROM risk_exceptions")[0][0]
          << ", triggers: " << Rows("SELECT count(*) FROM triggers")[0][0];
  summary << "\n  facts seen in comparisons:";
  for (const auto& [name, count] : seen_) summary << " " << name << "=" << count;
  std::cout << summary.str() << "\n";
}

}  // namespace
}  // namespace coco::status_projection
