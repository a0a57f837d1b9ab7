#pragma once

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "domain/assessment/assessment.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/repository_contract_support.hpp"
#include "tests/support/test_database.hpp"

// What the PostgreSQL harnesses of the repository contract suites share: a migrated database of
// their own, the real audit chain, and SQL seeding of the rows a port refers to but cannot
// create (suppliers, users, services, assessments, files). Seeding is idempotent, so a contract
// may seed what another seed already brought.
namespace coco::test {

struct PgContractHarness {
  TestDatabase database;
  security::OpensslHasher sha256;  // the audit chain checks its hashes
  FakeClock clock;
  std::unique_ptr<persistence::ConnectionPool> pool;
  std::unique_ptr<persistence::PgAuditLog> audit;

  PgContractHarness() {
    database.Migrate();
    pool =
        std::make_unique<persistence::ConnectionPool>(persistence::PoolOptions{database.url(), 2});
    audit = std::make_unique<persistence::PgAuditLog>(sha256, clock);
    pool->Use(&persistence::PgAuditLog::Prepare);  // for appends a harness makes itself
  }

  const domain::Hasher& hasher() const { return sha256; }

  std::vector<std::string> AuditActions() const {
    std::vector<std::string> actions;
    std::istringstream lines(
        database.QueryValue("SELECT coalesce(string_agg(action, E'\\n' ORDER BY seq), '') FROM "
                            "audit_events"));
    for (std::string line; std::getline(lines, line);) actions.push_back(line);
    return actions;
  }

  void SeedSupplier(const domain::SupplierId& id) const {
    database.Exec("INSERT INTO suppliers (id, name, contact_email) VALUES ('" + id.str() +
                  "', 'seeded', 'seeded@example.org') ON CONFLICT DO NOTHING");
  }

  void SeedUser(const domain::UserId& id) const {
    database.Exec("INSERT INTO users (id, name, role) VALUES ('" + id.str() +
                  "', 'seeded', 'admin') ON CONFLICT DO NOTHING");
  }

  void SeedService(const domain::ServiceId& id, const domain::SupplierId& supplier) const {
    SeedSupplier(supplier);
    database.Exec(
        "INSERT INTO services (id, supplier_id, name, classification, connects_to_network,"
        " personal_data, hmg_crypto, operates_pki, profile_hash, required_standards) VALUES ('" +
        id.str() + "', '" + supplier.str() +
        "', 'seeded', 'OFFICIAL', false, false, false, false, '" + std::string(64, 'a') +
        "', '{CRYPTOGRAPHY,SUPPLIER}') ON CONFLICT DO NOTHING");
  }

  // The assessment row and one response row per response, with its supplier, service, author
  // and standard version.
  void SeedAssessment(const domain::Assessment& assessment) const {
    SeedService(assessment.service_id, assessment.supplier_id);
    SeedUser(assessment.created_by);
    const std::string key(domain::ToString(assessment.standard));
    database.Exec(
        "INSERT INTO standards (key, version, title, source_document, source_date,"
        " review_interval_months, must_count, should_count, content_sha256) VALUES ('" +
        key + "', '" + assessment.standard_version +
        "', 'seeded', 'seeded', '2026-01-01', 12, 0, 0, '" + std::string(64, 'a') +
        "') ON CONFLICT DO NOTHING");
    database.Exec(
        "INSERT INTO assessments (id, service_id, supplier_id, standard_key, standard_version,"
        " state, profile_hash, created_by, created_at) VALUES ('" +
        assessment.id.str() + "', '" + assessment.service_id.str() + "', '" +
        assessment.supplier_id.str() + "', '" + key + "', '" + assessment.standard_version +
        "', '" + std::string(domain::ToString(assessment.state)) + "', '" +
        assessment.profile_hash + "', '" + assessment.created_by.str() + "', '" +
        domain::FormatTimestamp(assessment.created_at) + "')");
    for (const auto& response : assessment.responses) {
      database.Exec(
          "INSERT INTO responses (assessment_id, requirement_id, position, level, updated_at)"
          " VALUES ('" +
          assessment.id.str() + "', '" + response.requirement_id + "', " +
          std::to_string(response.position) + ", '" +
          std::string(domain::ToString(response.level)) + "', '" +
          domain::FormatTimestamp(response.updated_at) + "')");
    }
  }

  // A file of `supplier` with this id (and bytes of its own), for rows that attach files.
  void SeedEvidence(const domain::EvidenceId& id, const domain::SupplierId& supplier) const {
    SeedSupplier(supplier);
    const std::string sha(64, 'e');
    database.Exec("INSERT INTO evidence_blobs (supplier_id, sha256, size, content) VALUES ('" +
                  supplier.str() + "', '" + sha + "', 4, 'seed') ON CONFLICT DO NOTHING");
    SeedUser(ContractAdminId());
    database.Exec(
        "INSERT INTO evidence (id, supplier_id, sha256, filename, media_type, size, kind,"
        " uploaded_by, uploaded_at) VALUES ('" +
        id.str() + "', '" + supplier.str() + "', '" + sha +
        "', 'seeded.pdf', 'application/pdf', 4,"
        " 'other', '" +
        ContractAdminId().str() + "', now()) ON CONFLICT DO NOTHING");
  }
};

}  // namespace coco::test
