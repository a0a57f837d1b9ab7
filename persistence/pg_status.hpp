#pragma once

#include <pqxx/pqxx>

#include "domain/common/uuid.hpp"
#include "domain/standard/standard.hpp"
#include "domain/status/status_repository.hpp"
#include "persistence/connection_pool.hpp"

// The status projection (migrations/0008_status.sql): keeping it in step with the writes that
// can change it, and reading it.
namespace coco::persistence {

void PrepareStatusRefresh(pqxx::connection& connection);

// Recomputes the projection row of one (service, standard). Every write that can change the
// row calls this inside its own transaction.
void RefreshStatus(pqxx::work& tx, const domain::ServiceId& service, domain::StandardKey standard);
// Recomputes every projection row of a service (a trigger concerns all its standards).
void RefreshServiceStatus(pqxx::work& tx, const domain::ServiceId& service);

// A supplier's status inputs from the text of its status facts (coco_supplier_facts, encoding 1:
// docs/status.md). Throws domain::Internal for anything malformed.
domain::SupplierStatusInputs DecodeStatusFacts(std::string_view facts,
                                               const std::string& supplier_id);

class PgStatusRepository final : public domain::StatusRepository {
 public:
  explicit PgStatusRepository(ConnectionPool& pool) : pool_(pool) { pool_.Use(&Prepare); }

  domain::AuthenticatedInputs ReadAuthenticated(std::string_view token_sha256,
                                                std::chrono::system_clock::time_point now,
                                                const domain::SupplierId& supplier) override;
  std::optional<domain::SupplierStatusInputs> Read(const domain::SupplierId& supplier) override;
  std::optional<domain::SupplierStatusInputs> ReadAt(
      const domain::SupplierId& supplier, std::chrono::system_clock::time_point instant) override;
  domain::PageResult<domain::PortfolioRow> Portfolio(const domain::PortfolioQuery& query,
                                                     const domain::PageRequest& page) override;
  std::pair<std::optional<domain::SupplierStatusInputs>, std::vector<std::string>>
  ReadForAttestation(const domain::SupplierId& supplier) override;
  domain::PageResult<domain::StatusChangeRecord> History(const domain::SupplierId& supplier,
                                                         const domain::HistoryWindow& window,
                                                         const domain::PageRequest& page) override;
  std::vector<domain::StatusChangeRecord> Changes(long long after,
                                                  const std::optional<domain::SupplierId>& supplier,
                                                  int limit) override;
  std::vector<domain::EventRecord> Events(long long after,
                                          const std::optional<domain::SupplierId>& supplier,
                                          int limit) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
};

}  // namespace coco::persistence
