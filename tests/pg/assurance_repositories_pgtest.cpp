#include <memory>
#include <sstream>

#include "persistence/connection_pool.hpp"
#include "persistence/pg_assessment_repository.hpp"
#include "persistence/pg_audit.hpp"
#include "persistence/pg_catalogue_repository.hpp"
#include "persistence/pg_evidence_repository.hpp"
#include "persistence/pg_service_repository.hpp"
#include "persistence/pg_supplier_repository.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/assessment_repository_contract.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/service_repository_contract.hpp"
#include "tests/support/test_database.hpp"

namespace coco::test {
namespace {

// The PostgreSQL service and assessment repositories on a private migrated database with the
// shipped catalogue imported; suppliers and evidence are stored through their own repositories
// under "seed." audit actions, which AuditActions leaves out.
struct PostgresHarness {
  TestDatabase database;
  security::OpensslHasher hasher;  // the audit chain checks its hashes
  FakeClock clock;
  std::unique_ptr<persistence::ConnectionPool> pool;
  std::unique_ptr<persistence::PgAuditLog> audit;
  std::unique_ptr<persistence::PgSupplierRepository> supplier_repository;
  std::unique_ptr<persistence::PgEvidenceRepository> evidence_repository;
  std::unique_ptr<persistence::PgServiceRepository> service_repository;
  std::unique_ptr<persistence::PgAssessmentRepository> assessment_repository;
  int next_id = 5000;

  PostgresHarness() {
    database.Migrate();
    pool =
        std::make_unique<persistence::ConnectionPool>(persistence::PoolOptions{database.url(), 2});
    audit = std::make_unique<persistence::PgAuditLog>(hasher, clock);
    supplier_repository = std::make_unique<persistence::PgSupplierRepository>(*pool, *audit);
    evidence_repository = std::make_unique<persistence::PgEvidenceRepository>(*pool, *audit);
    service_repository = std::make_unique<persistence::PgServiceRepository>(*pool, *audit);
    assessment_repository = std::make_unique<persistence::PgAssessmentRepository>(*pool, *audit);
    persistence::PgCatalogueRepository catalogue(*pool);
    catalogue.Import(
        app::LoadCatalogueDirectory(std::filesystem::path(COCO_SOURCE_DIR) / "standards", hasher));
    database.Exec("INSERT INTO users (id, name, role) VALUES ('" + actor().principal.user_id.str() +
                  "', 'contract admin', 'admin')");
  }

  domain::ServiceRepository& services() { return *service_repository; }
  domain::AssessmentRepository& assessments() { return *assessment_repository; }
  domain::Actor actor() const {
    return domain::Actor{domain::Principal{domain::UserId::Parse(NthUuid(900)),
                                           "contract admin",
                                           domain::Role::kAdmin,
                                           std::nullopt,
                                           {},
                                           domain::TokenId::Parse(NthUuid(901)),
                                           {}},
                         "contract-request"};
  }
  domain::SupplierId AddSupplier() {
    const auto id = domain::SupplierId::Parse(NthUuid(++next_id));
    const auto at = clock.Now();
    supplier_repository->Insert(
        domain::Supplier{id, "supplier " + id.str(), std::nullopt, "security@example.org",
                         domain::SupplierState::kActive, at, at, 1},
        actor(), domain::AuditEntry{"seed.supplier", "supplier", id.str(), id, {}});
    return id;
  }
  domain::EvidenceId AddEvidence(const domain::SupplierId& supplier) {
    const std::string bytes = "file " + std::to_string(++next_id);
    const domain::Evidence file{domain::EvidenceId::Parse(NthUuid(next_id)),
                                supplier,
                                "policy.pdf",
                                "application/pdf",
                                static_cast<long long>(bytes.size()),
                                hasher.Sha256Hex(bytes),
                                domain::EvidenceKind::kPolicy,
                                std::nullopt,
                                std::nullopt,
                                actor().principal.user_id,
                                clock.Now()};
    evidence_repository->Store(
        file, bytes, actor(),
        domain::AuditEntry{"seed.evidence", "evidence", file.id.str(), supplier, {}});
    return file.id;
  }
  std::vector<std::string> AuditActions() const {
    std::vector<std::string> actions;
    std::istringstream lines(database.QueryValue(
        "SELECT coalesce(string_agg(action, E'\\n' ORDER BY seq), '') FROM audit_events"
        " WHERE action NOT LIKE 'seed.%'"));
    for (std::string line; std::getline(lines, line);) actions.push_back(line);
    return actions;
  }
};

using Harnesses = ::testing::Types<PostgresHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, ServiceRepositoryContract, Harnesses);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, AssessmentRepositoryContract, Harnesses);

}  // namespace
}  // namespace coco::test
