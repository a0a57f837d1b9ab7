// Races on one assessment, made deterministic (issue #5): the first move runs through the real
// domain use case and PostgreSQL repository, and stops inside its transaction — after its
// lifecycle check, holding the assessment's row lock — until the second move has started and
// PostgreSQL reports it waiting for that lock (pg_stat_activity, from a third connection). Only
// then does the first commit. The second must then see the first's result and be refused with
// the right domain error, and what is stored is the first's alone. No outcome depends on
// scheduling, and nothing sleeps except a bounded poll of pg_stat_activity.
//
// (tests/http/review_httptest.cpp runs the same races over HTTP, 50 times each, with real
// scheduling; this file pins down the interleaving those runs only hit by chance.)

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "app/catalogue_files.hpp"
#include "domain/assessment/assessment_service.hpp"
#include "domain/common/error.hpp"
#include "domain/review/review_service.hpp"
#include "domain/service/service_service.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/supplier/supplier_service.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_assessment_repository.hpp"
#include "persistence/pg_audit.hpp"
#include "persistence/pg_audit_repository.hpp"
#include "persistence/pg_catalogue_repository.hpp"
#include "persistence/pg_evidence_repository.hpp"
#include "persistence/pg_identity_repository.hpp"
#include "persistence/pg_review_repositories.hpp"
#include "persistence/pg_service_repository.hpp"
#include "persistence/pg_status.hpp"
#include "persistence/pg_supplier_repository.hpp"
#include "security/openssl_hasher.hpp"
#include "security/openssl_id_generator.hpp"
#include "security/system_clock.hpp"
#include "tests/support/shipped.hpp"
#include "tests/support/test_database.hpp"

namespace coco {
namespace {

using std::chrono::steady_clock;

// How long anything may take before the test gives up (a bound, not a wait: polls end early).
constexpr std::chrono::seconds kDeadline{30};

// Where the first move stops: Hold() is called from inside its transaction, under the row
// lock; it reports that it got there and waits until the test opens the gate.
class Gate {
 public:
  void Hold() {
    std::unique_lock lock(mutex_);
    held_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  bool WaitUntilHeld() {
    std::unique_lock lock(mutex_);
    return changed_.wait_until(lock, steady_clock::now() + kDeadline, [this] { return held_; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false;
  bool open_ = false;
};

// The PostgreSQL repository with a gate in its locked section: every state change (the
// domain's `change` / `decide` callback, which runs after the row was locked FOR UPDATE) passes
// the gate before it is saved and committed.
class GatedAssessmentRepository final : public domain::AssessmentRepository {
 public:
  GatedAssessmentRepository(domain::AssessmentRepository& inner, Gate& gate)
      : inner_(inner), gate_(gate) {}

  void Create(const domain::Assessment& assessment, const domain::Actor& actor,
              const domain::AuditEntry& audit) override {
    inner_.Create(assessment, actor, audit);
  }
  std::optional<domain::Assessment> Find(const domain::AssessmentId& id) override {
    return inner_.Find(id);
  }
  domain::PageResult<domain::Assessment> List(const domain::AssessmentFilter& filter,
                                              const domain::PageRequest& page) override {
    return inner_.List(filter, page);
  }
  domain::PageResult<domain::QueueItem> ReviewQueue(const domain::QueueFilter& filter,
                                                    const domain::PageRequest& page) override {
    return inner_.ReviewQueue(filter, page);
  }
  domain::Response UpdateResponse(const domain::AssessmentId& id, const std::string& requirement_id,
                                  std::optional<long long> expected_response_version,
                                  const domain::Actor& actor,
                                  const domain::ResponseWrite& write) override {
    domain::ResponseWrite held = write;
    held.change = [&](const domain::Assessment& assessment, domain::Response& response) {
      auto audit = write.change(assessment, response);
      gate_.Hold();
      return audit;
    };
    return inner_.UpdateResponse(id, requirement_id, expected_response_version, actor, held);
  }
  domain::Assessment Transition(
      const domain::AssessmentId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::Assessment&)>& change) override {
    return inner_.Transition(id, expected_version, actor, [&](domain::Assessment& assessment) {
      auto audit = change(assessment);
      gate_.Hold();
      return audit;
    });
  }
  domain::Assessment Approve(
      const domain::AssessmentId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::ApprovalRecord(domain::Assessment&,
                                                 const domain::ApprovalFacts&)>& decide) override {
    return inner_.Approve(id, expected_version, actor,
                          [&](domain::Assessment& assessment, const domain::ApprovalFacts& facts) {
                            auto record = decide(assessment, facts);
                            gate_.Hold();
                            return record;
                          });
  }

 private:
  domain::AssessmentRepository& inner_;
  Gate& gate_;
};

// What a move ended with: the value's state, or the domain error it threw.
struct Outcome {
  std::optional<domain::AssessmentState> state;
  std::optional<domain::ErrorKind> kind;
  std::string code;
  std::vector<domain::ErrorField> fields;
  std::string other;  // any other exception

  std::string Field(const std::string& name) const {
    for (const auto& field : fields) {
      if (field.name == name && !field.values.empty()) return field.values.front();
    }
    return "";
  }
};

Outcome Attempt(const std::function<domain::Assessment()>& move) {
  Outcome outcome;
  try {
    outcome.state = move().state;
  } catch (const domain::Error& error) {
    outcome.kind = error.kind();
    outcome.code = error.code();
    outcome.fields = error.fields();
  } catch (const std::exception& error) {
    outcome.other = error.what();
  }
  return outcome;
}

class ReviewRacePgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_.Migrate();
    pool_ =
        std::make_unique<persistence::ConnectionPool>(persistence::PoolOptions{database_.url(), 4});
    catalogue_repository_ = std::make_unique<persistence::PgCatalogueRepository>(*pool_);
    catalogue_repository_->Import(app::LoadCatalogueDirectory(test::ShippedStandards(), hasher_));
    catalogue_ = std::make_unique<domain::Catalogue>(*catalogue_repository_);
    audit_log_ = std::make_unique<persistence::PgAuditLog>(hasher_, clock_);
    supplier_repository_ = std::make_unique<persistence::PgSupplierRepository>(*pool_, *audit_log_);
    service_repository_ = std::make_unique<persistence::PgServiceRepository>(*pool_, *audit_log_);
    evidence_repository_ = std::make_unique<persistence::PgEvidenceRepository>(*pool_, *audit_log_);
    assessment_repository_ =
        std::make_unique<persistence::PgAssessmentRepository>(*pool_, *audit_log_);
    comment_repository_ = std::make_unique<persistence::PgCommentRepository>(*pool_, *audit_log_);
    gated_repository_ = std::make_unique<GatedAssessmentRepository>(*assessment_repository_, gate_);

    // The plain use cases (set-up and the second move), and the gated ones (the first move).
    assessments_ = MakeAssessments(*assessment_repository_);
    gated_assessments_ = MakeAssessments(*gated_repository_);
    reviews_ = MakeReviews(*assessment_repository_);
    gated_reviews_ = MakeReviews(*gated_repository_);

    const auto admin = NewUser("admin", domain::Role::kAdmin, std::nullopt);
    domain::SupplierService suppliers(*supplier_repository_, ids_, clock_);
    supplier_ =
        suppliers.Create(admin, domain::NewSupplier{"Acme", std::nullopt, "sec@acme.example"}).id;
    supplier_user_ = NewUser("supplier", domain::Role::kSupplier, *supplier_);
    first_assessor_ = NewUser("first assessor", domain::Role::kAssessor, std::nullopt);
    second_assessor_ = NewUser("second assessor", domain::Role::kAssessor, std::nullopt);
  }

  std::unique_ptr<domain::AssessmentService> MakeAssessments(
      domain::AssessmentRepository& repository) {
    return std::make_unique<domain::AssessmentService>(
        repository, *service_repository_, *evidence_repository_, *catalogue_, ids_, clock_);
  }
  std::unique_ptr<domain::ReviewService> MakeReviews(domain::AssessmentRepository& repository) {
    return std::make_unique<domain::ReviewService>(repository, *comment_repository_, *catalogue_,
                                                   ids_, clock_);
  }

  domain::Actor NewUser(const std::string& name, domain::Role role,
                        std::optional<domain::SupplierId> supplier) {
    const auto id = domain::UserId(ids_.NewId());
    database_.Exec("INSERT INTO users (id, name, role, supplier_id) VALUES ('" + id.str() + "', '" +
                   name + "', '" + std::string(domain::ToString(role)) + "', " +
                   (supplier ? "'" + supplier->str() + "'" : std::string("NULL")) + ")");
    domain::Principal principal{id,
                                name,
                                role,
                                supplier,
                                {},
                                domain::TokenId(ids_.NewId()),
                                clock_.Now() + std::chrono::hours(24)};
    return domain::Actor{principal, "review-race-test"};
  }

  // A submitted CRYPTOGRAPHY assessment (no HMG crypto, no PKI: 16 requirements, 3 of them
  // SHOULD) of a new service, every response N/A. Sets `should` to its first SHOULD.
  domain::AssessmentId Submitted(std::string* should = nullptr) {
    domain::ServiceService services(*service_repository_, *supplier_repository_, *catalogue_, ids_,
                                    hasher_, clock_);
    const auto service = services.Create(*supplier_user_, *supplier_,
                                         domain::NewService{"gateway", std::nullopt, std::nullopt,
                                                            std::nullopt, domain::ScopeProfile{}});
    const auto draft =
        assessments_->Start(*supplier_user_, service.id, domain::StandardKey::kCryptography);
    for (const auto& response : draft.responses) {
      assessments_->Answer(
          *supplier_user_, draft.id, response.requirement_id,
          domain::ResponseUpdate{domain::Answer::kNotApplicable, "n/a", {}, std::nullopt},
          std::nullopt);
      if (should && should->empty() && response.level == domain::Level::kShould) {
        *should = response.requirement_id;
      }
    }
    assessments_->Submit(*supplier_user_, draft.id, std::nullopt);
    return draft.id;
  }

  // Submitted, claimed by the first assessor, every response accepted except the first SHOULD,
  // which is queried: approve (a SHOULD query does not block it) and request-changes (the query
  // is something to change) would each succeed on it alone.
  domain::AssessmentId ReviewedWithAShouldQueried(std::string& should) {
    const auto id = Submitted(&should);
    EXPECT_FALSE(should.empty());
    assessments_->Claim(*first_assessor_, id, std::nullopt);
    for (const auto& response : assessments_->Get(*first_assessor_, id).responses) {
      const bool query = response.requirement_id == should;
      reviews_->Review(*first_assessor_, id, response.requirement_id,
                       domain::VerdictRequest{
                           query ? domain::Verdict::kQuery : domain::Verdict::kAccepted,
                           query ? std::optional<std::string>("which library?") : std::nullopt},
                       std::nullopt);
    }
    return id;
  }

  // Backends of this test's database waiting for a lock another transaction holds.
  int LockWaiters(pqxx::connection& observer) {
    pqxx::nontransaction tx(observer);
    return tx
        .exec(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            " AND cardinality(pg_blocking_pids(pid)) > 0")[0][0]
        .as<int>();
  }

  // Runs `first` until it holds the assessment's lock (at the gate), then `second` until
  // PostgreSQL shows it waiting for that lock, then lets the first commit, and returns both
  // outcomes. Fails the test if the second finishes, or never waits, while the first holds the
  // lock.
  std::pair<Outcome, Outcome> Race(const std::function<domain::Assessment()>& first,
                                   const std::function<domain::Assessment()>& second) {
    Outcome first_outcome, second_outcome;
    {
      std::atomic<bool> second_done = false;
      std::thread one([&] { first_outcome = Attempt(first); });
      std::thread two;
      // Whatever fails below, the first move is let go and both threads are joined.
      struct Finally {
        std::function<void()> run;
        ~Finally() { run(); }
      } finally{[&] {
        gate_.Open();
        one.join();
        if (two.joinable()) two.join();
      }};

      if (!gate_.WaitUntilHeld()) {
        ADD_FAILURE() << "the first move never reached its locked section";
        return {};
      }
      pqxx::connection observer(database_.url());
      EXPECT_EQ(LockWaiters(observer), 0) << "something waits before the second move started";
      two = std::thread([&] {
        second_outcome = Attempt(second);
        second_done = true;
      });
      bool waiting = false;
      for (const auto deadline = steady_clock::now() + kDeadline;
           !waiting && !second_done && steady_clock::now() < deadline;) {
        waiting = LockWaiters(observer) > 0;
        if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(2));  // poll interval
      }
      EXPECT_FALSE(second_done) << "the second move finished while the first held the lock";
      EXPECT_TRUE(waiting) << "the second move never waited for the first's lock";
    }
    return {first_outcome, second_outcome};
  }

  std::string Stored(const domain::AssessmentId& id, const std::string& column) {
    return database_.QueryValue("SELECT " + column + " FROM assessments WHERE id = '" + id.str() +
                                "'");
  }
  int AuditEvents(const domain::AssessmentId& id, const std::string& action) {
    return std::stoi(
        database_.QueryValue("SELECT count(*) FROM audit_events WHERE entity = 'assessment'"
                             " AND entity_id = '" +
                             id.str() + "' AND action = '" + action + "'"));
  }

  security::OpensslHasher hasher_;
  security::OpensslIdGenerator ids_;
  security::SystemClock clock_;
  test::TestDatabase database_;
  Gate gate_;
  std::unique_ptr<persistence::ConnectionPool> pool_;
  std::unique_ptr<persistence::PgCatalogueRepository> catalogue_repository_;
  std::unique_ptr<domain::Catalogue> catalogue_;
  std::unique_ptr<persistence::PgAuditLog> audit_log_;
  std::unique_ptr<persistence::PgSupplierRepository> supplier_repository_;
  std::unique_ptr<persistence::PgServiceRepository> service_repository_;
  std::unique_ptr<persistence::PgEvidenceRepository> evidence_repository_;
  std::unique_ptr<persistence::PgAssessmentRepository> assessment_repository_;
  std::unique_ptr<persistence::PgCommentRepository> comment_repository_;
  std::unique_ptr<GatedAssessmentRepository> gated_repository_;
  std::unique_ptr<domain::AssessmentService> assessments_, gated_assessments_;
  std::unique_ptr<domain::ReviewService> reviews_, gated_reviews_;
  std::optional<domain::SupplierId> supplier_;
  std::optional<domain::Actor> supplier_user_, first_assessor_, second_assessor_;
};

using domain::AssessmentState;
using domain::ErrorKind;

// Two assessors claim the same submitted assessment; the second arrives while the first holds
// the lock. It must not take the case over: 409 "already_claimed", naming the winner.
TEST_F(ReviewRacePgTest, OfTwoClaimsTheOneThatWaitedIsToldWhoWon) {
  const auto id = Submitted();
  const auto [first, second] =
      Race([&] { return gated_assessments_->Claim(*first_assessor_, id, std::nullopt); },
           [&] { return assessments_->Claim(*second_assessor_, id, std::nullopt); });
  ASSERT_TRUE(first.state) << first.code << first.other;
  EXPECT_EQ(*first.state, AssessmentState::kInReview);
  EXPECT_FALSE(second.state) << "both claims succeeded";
  EXPECT_EQ(second.kind, ErrorKind::kConflict) << second.code << second.other;
  EXPECT_EQ(second.code, "already_claimed");
  EXPECT_EQ(second.Field("claimed_by"), first_assessor_->principal.user_id.str());

  EXPECT_EQ(Stored(id, "state"), "in_review");
  EXPECT_EQ(Stored(id, "claimed_by"), first_assessor_->principal.user_id.str());
  EXPECT_EQ(AuditEvents(id, "assessment.claim"), 1);
}

// The claimant requests changes and approves at once (two tabs); the approval arrives while the
// request for changes holds the lock. It must see the case left review: 409
// "illegal_transition" from changes_requested, and nothing of an approval is stored.
TEST_F(ReviewRacePgTest, AnApprovalWaitingOnARequestForChangesFindsTheCaseOutOfReview) {
  std::string should;
  const auto id = ReviewedWithAShouldQueried(should);
  const auto [first, second] = Race(
      [&] {
        return gated_reviews_->RequestChanges(*first_assessor_, id, "say which library",
                                              std::nullopt);
      },
      [&] {
        return reviews_->Approve(*first_assessor_, id, domain::ApprovalRequest{}, std::nullopt);
      });
  ASSERT_TRUE(first.state) << first.code << first.other;
  EXPECT_EQ(*first.state, AssessmentState::kChangesRequested);
  EXPECT_FALSE(second.state) << "both decisions succeeded";
  EXPECT_EQ(second.kind, ErrorKind::kFailedPrecondition) << second.code << second.other;
  EXPECT_EQ(second.code, "illegal_transition");
  EXPECT_EQ(second.Field("current_state"), "changes_requested");

  EXPECT_EQ(Stored(id, "state"), "changes_requested");
  EXPECT_EQ(Stored(id, "claimed_by"), "");
  EXPECT_EQ(Stored(id, "previous_assessor"), first_assessor_->principal.user_id.str());
  EXPECT_EQ(Stored(id, "decided_at"), "");
  EXPECT_EQ(Stored(id, "valid_until"), "");
  EXPECT_EQ(database_.QueryValue("SELECT string_agg(requirement_id, ',') FROM responses WHERE"
                                 " assessment_id = '" +
                                 id.str() + "' AND open_for_changes"),
            should);
  EXPECT_EQ(AuditEvents(id, "assessment.request_changes"), 1);
  EXPECT_EQ(AuditEvents(id, "assessment.approve"), 0);
}

// The other order: the request for changes arrives while the approval holds the lock, and finds
// the case approved.
TEST_F(ReviewRacePgTest, ARequestForChangesWaitingOnAnApprovalFindsTheCaseDecided) {
  std::string should;
  const auto id = ReviewedWithAShouldQueried(should);
  const auto [first, second] = Race(
      [&] {
        return gated_reviews_->Approve(*first_assessor_, id, domain::ApprovalRequest{},
                                       std::nullopt);
      },
      [&] {
        return reviews_->RequestChanges(*first_assessor_, id, "say which library", std::nullopt);
      });
  ASSERT_TRUE(first.state) << first.code << first.other;
  EXPECT_EQ(*first.state, AssessmentState::kApproved);
  EXPECT_FALSE(second.state) << "both decisions succeeded";
  EXPECT_EQ(second.kind, ErrorKind::kFailedPrecondition) << second.code << second.other;
  EXPECT_EQ(second.code, "illegal_transition");
  EXPECT_EQ(second.Field("current_state"), "approved");

  EXPECT_EQ(Stored(id, "state"), "approved");
  EXPECT_EQ(Stored(id, "claimed_by"), "");
  EXPECT_EQ(Stored(id, "decided_by"), first_assessor_->principal.user_id.str());
  EXPECT_NE(Stored(id, "valid_until"), "");
  EXPECT_EQ(Stored(id, "changes_summary"), "");
  EXPECT_EQ(database_.QueryValue("SELECT count(*) FROM responses WHERE assessment_id = '" +
                                 id.str() + "' AND open_for_changes"),
            "0");
  EXPECT_EQ(AuditEvents(id, "assessment.approve"), 1);
  EXPECT_EQ(AuditEvents(id, "assessment.request_changes"), 0);
}

// Both moves carry the version they read (If-Match): the one that waited is refused as stale
// (412 "precondition_failed", with the current ETag) before its lifecycle check runs.
TEST_F(ReviewRacePgTest, ADecisionCarryingAVersionThatWaitedIsRefusedAsStale) {
  std::string should;
  const auto id = ReviewedWithAShouldQueried(should);
  const long long version = assessments_->Get(*first_assessor_, id).version;
  const auto [first, second] = Race(
      [&] {
        return gated_reviews_->Approve(*first_assessor_, id, domain::ApprovalRequest{}, version);
      },
      [&] { return reviews_->RequestChanges(*first_assessor_, id, "say which library", version); });
  ASSERT_TRUE(first.state) << first.code << first.other;
  EXPECT_EQ(*first.state, AssessmentState::kApproved);
  EXPECT_FALSE(second.state) << "both decisions succeeded";
  EXPECT_EQ(second.kind, ErrorKind::kVersionMismatch) << second.code << second.other;
  EXPECT_EQ(second.code, "precondition_failed");
  EXPECT_EQ(second.Field("current_etag"), "\"" + Stored(id, "version") + "\"");
  EXPECT_EQ(Stored(id, "state"), "approved");
  EXPECT_EQ(AuditEvents(id, "assessment.request_changes"), 0);
}

}  // namespace
}  // namespace coco
