// What the status journal costs (issue #14 §4), on the PostgreSQL named by COCO_DATABASE_URL
// (migrated, catalogue imported; bench/run_journal.sh sets it up):
//   - a write with its journal and event rows: answering one response, and approving an
//     assessment, through the domain use cases on the real repositories, each with the journal
//     hook installed and, for comparison, without it; beside the ceiling, one transaction
//     holding a one-row UPDATE (of a users row: no status fact comes from it) and an audit
//     append;
//   - the scheduler's catch-up: the suppliers already in the database (bench/seed_status.sql's
//     10,000) journalled once, then the clock moved 30 days on, timed until nothing is due.
//
//   journal_benchmark WRITES ITERATIONS | journal_benchmark CATCHUP START_OFFSET_DAYS
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/assessment/assessment_service.hpp"
#include "domain/review/review_service.hpp"
#include "domain/service/service_service.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/supplier/supplier_service.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_assessment_repository.hpp"
#include "persistence/pg_audit.hpp"
#include "persistence/pg_catalogue_repository.hpp"
#include "persistence/pg_evidence_repository.hpp"
#include "persistence/pg_review_repositories.hpp"
#include "persistence/pg_service_repository.hpp"
#include "persistence/pg_status_journal.hpp"
#include "persistence/pg_supplier_repository.hpp"
#include "persistence/transaction.hpp"
#include "security/openssl_hasher.hpp"
#include "security/openssl_id_generator.hpp"

namespace coco::bench {
namespace {

using Clock = std::chrono::steady_clock;

class MovableClock final : public domain::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now() + offset_;
  }
  void Advance(std::chrono::system_clock::duration by) { offset_ += by; }

 private:
  std::chrono::system_clock::duration offset_{};
};

struct Timings {
  std::vector<double> ms;
  void Report(const std::string& what) {
    std::sort(ms.begin(), ms.end());
    double total = 0;
    for (double m : ms) total += m;
    std::printf("%-58s n=%4zu  mean %6.2f ms  p50 %6.2f ms  p99 %6.2f ms\n", what.c_str(),
                ms.size(), total / ms.size(), ms[ms.size() / 2],
                ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]);
  }
};

template <typename F>
double Time(F&& f) {
  const auto start = Clock::now();
  f();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// The use cases on one pool, with or without the journal as its commit hook.
struct Stack {
  Stack(const std::string& url, bool journalled, domain::Clock& clock)
      : pool(persistence::PoolOptions{url, 2}),
        audit_log(hasher, clock),
        catalogue_repository(pool),
        catalogue(catalogue_repository),
        supplier_repository(pool, audit_log),
        suppliers(supplier_repository, ids, clock),
        service_repository(pool, audit_log),
        services(service_repository, supplier_repository, catalogue, ids, hasher, clock),
        evidence_repository(pool, audit_log),
        assessment_repository(pool, audit_log),
        assessments(assessment_repository, service_repository, evidence_repository, catalogue, ids,
                    clock),
        comment_repository(pool, audit_log),
        reviews(assessment_repository, comment_repository, catalogue, ids, clock) {
    if (journalled) journal = std::make_unique<persistence::PgStatusJournal>(pool, clock);
  }
  security::OpensslHasher hasher;
  security::OpensslIdGenerator ids;
  persistence::ConnectionPool pool;
  std::unique_ptr<persistence::PgStatusJournal> journal;
  persistence::PgAuditLog audit_log;
  persistence::PgCatalogueRepository catalogue_repository;
  domain::Catalogue catalogue;
  persistence::PgSupplierRepository supplier_repository;
  domain::SupplierService suppliers;
  persistence::PgServiceRepository service_repository;
  domain::ServiceService services;
  persistence::PgEvidenceRepository evidence_repository;
  persistence::PgAssessmentRepository assessment_repository;
  domain::AssessmentService assessments;
  persistence::PgCommentRepository comment_repository;
  domain::ReviewService reviews;
};

domain::Actor NewUser(const std::string& url, domain::IdGenerator& ids, domain::Role role,
                      std::optional<domain::SupplierId> supplier) {
  const domain::UserId id(ids.NewId());
  pqxx::connection connection(url);
  pqxx::work tx(connection);
  tx.exec_params("INSERT INTO users (id, name, role, supplier_id) VALUES ($1, $2, $3, $4)",
                 id.str(), "bench " + std::string(domain::ToString(role)),
                 std::string(domain::ToString(role)),
                 supplier ? std::optional<std::string>(supplier->str()) : std::nullopt);
  tx.commit();
  return domain::Actor{domain::Principal{id,
                                         "bench",
                                         role,
                                         supplier,
                                         {},
                                         domain::TokenId(ids.NewId()),
                                         std::chrono::system_clock::now() + std::chrono::hours(24)},
                       "journal-bench"};
}

// One side of the comparison: a stack, its supplier and users, a draft whose first response is
// answered over and over, and assessments reviewed in advance, ready to approve.
struct Side {
  Side(const std::string& url, bool journalled, domain::Clock& clock, int approvals)
      : stack(url, journalled, clock),
        admin(NewUser(url, stack.ids, domain::Role::kAdmin, std::nullopt)),
        assessor(NewUser(url, stack.ids, domain::Role::kAssessor, std::nullopt)),
        supplier(stack.suppliers.Create(
            admin, domain::NewSupplier{journalled ? "journalled supplier" : "unjournalled supplier",
                                       std::nullopt, "s@bench.example"})),
        user(NewUser(url, stack.ids, domain::Role::kSupplier, supplier.id)) {
    const auto service = stack.services.Create(
        user, supplier.id,
        domain::NewService{"answers", std::nullopt, std::nullopt, std::nullopt, {}});
    draft = stack.assessments.Start(user, service.id, domain::StandardKey::kSupplier);
    for (int i = 0; i < approvals; ++i) {
      const auto target = stack.services.Create(
          user, supplier.id,
          domain::NewService{
              "approve " + std::to_string(i), std::nullopt, std::nullopt, std::nullopt, {}});
      const auto assessment =
          stack.assessments.Start(user, target.id, domain::StandardKey::kSupplier);
      for (const auto& response : assessment.responses) {
        stack.assessments.Answer(
            user, assessment.id, response.requirement_id,
            domain::ResponseUpdate{
                domain::Answer::kNotApplicable, "not part of this service", {}, {}},
            std::nullopt);
      }
      stack.assessments.Submit(user, assessment.id, std::nullopt);
      stack.assessments.Claim(assessor, assessment.id, std::nullopt);
      for (const auto& response : assessment.responses) {
        stack.reviews.Review(assessor, assessment.id, response.requirement_id,
                             domain::VerdictRequest{}, std::nullopt);
      }
      ready.push_back(assessment.id);
    }
  }

  void Answer(int i) {
    stack.assessments.Answer(
        user, draft->id, draft->responses.front().requirement_id,
        domain::ResponseUpdate{domain::Answer::kNotApplicable,
                               "not part of this service, take " + std::to_string(i),
                               {},
                               {}},
        std::nullopt);
  }
  void Approve(int i) {
    stack.reviews.Approve(assessor, ready.at(i), domain::ApprovalRequest{}, std::nullopt);
  }

  Stack stack;
  domain::Actor admin;
  domain::Actor assessor;
  domain::Supplier supplier;
  domain::Actor user;
  std::optional<domain::Assessment> draft;
  std::vector<domain::AssessmentId> ready;
};

// The three take turns, one operation each, so that the machine's slow and fast moments fall on
// all of them alike.
int Writes(const std::string& url, int iterations) {
  MovableClock clock;
  const int approvals = std::max(10, iterations / 5);
  Side journalled(url, true, clock, approvals);
  Side unjournalled(url, false, clock, approvals);
  Timings answer_with, answer_without, approve_with, approve_without, ceiling;
  for (int i = 0; i < iterations; ++i) {
    answer_with.ms.push_back(Time([&] { journalled.Answer(i); }));
    answer_without.ms.push_back(Time([&] { unjournalled.Answer(i); }));
    ceiling.ms.push_back(Time([&] {
      // A table no status fact is drawn from: the suppliers row would fire the facts trigger,
      // and the ceiling would carry part of what it is the ceiling of.
      auto& stack = unjournalled.stack;
      const auto& admin = unjournalled.admin;
      persistence::WithTransaction(stack.pool, [&](pqxx::work& tx) {
        tx.exec_params("UPDATE users SET name = $2 WHERE id = $1", admin.principal.user_id.str(),
                       "bench admin " + std::to_string(i));
        stack.audit_log.Append(
            tx, admin,
            domain::AuditEntry{
                "user.update", "user", admin.principal.user_id.str(), std::nullopt, {}});
      });
    }));
    if (i < approvals) {
      approve_with.ms.push_back(Time([&] { journalled.Approve(i); }));
      approve_without.ms.push_back(Time([&] { unjournalled.Approve(i); }));
    }
  }
  ceiling.Report("ceiling: one-row UPDATE + audit append, one transaction");
  answer_with.Report("answer one response (with journal)");
  answer_without.Report("answer one response (no journal hook)");
  approve_with.Report("approve an assessment (with journal)");
  approve_without.Report("approve an assessment (no journal hook)");
  return 0;
}

int CatchUp(const std::string& url, int start_offset_days) {
  MovableClock clock;
  clock.Advance(std::chrono::hours(24 * start_offset_days));
  persistence::ConnectionPool pool(persistence::PoolOptions{url, 2});
  persistence::PgStatusJournal journal(pool, clock);
  const auto count = [&](const std::string& sql) {
    pqxx::connection connection(url);
    pqxx::nontransaction tx(connection);
    return tx.exec(sql)[0][0].as<long long>();
  };
  std::size_t first = 0;
  const double baseline = Time([&] {
    for (std::size_t done = journal.CatchUp(500); done > 0; done = journal.CatchUp(500)) {
      first += done;
    }
  });
  const long long rows_before = count("SELECT count(*) FROM status_changes");
  std::printf("first journal of %zu suppliers (no history yet): %.1f s\n", first, baseline / 1000);
  clock.Advance(std::chrono::hours(24 * 30));
  std::size_t caught = 0;
  const double elapsed = Time([&] {
    for (std::size_t done = journal.CatchUp(500); done > 0; done = journal.CatchUp(500)) {
      caught += done;
    }
  });
  const long long rows = count("SELECT count(*) FROM status_changes") - rows_before;
  std::printf(
      "catch-up after 30 days: %zu suppliers due, %lld changes recorded (each at its own day),"
      " %.1f s (%.0f suppliers/s)\n",
      caught, rows, elapsed / 1000, caught / (elapsed / 1000));
  return 0;
}

}  // namespace
}  // namespace coco::bench

int main(int argc, char** argv) {
  const char* url = std::getenv("COCO_DATABASE_URL");
  if (url == nullptr || argc < 3) {
    std::cerr << "usage: COCO_DATABASE_URL=... journal_benchmark WRITES N | CATCHUP START_DAYS\n";
    return 2;
  }
  const std::string mode = argv[1];
  const int n = std::atoi(argv[2]);
  if (mode == "WRITES") return coco::bench::Writes(url, n);
  if (mode == "CATCHUP") return coco::bench::CatchUp(url, n);
  std::cerr << "unknown mode " << mode << "\n";
  return 2;
}
