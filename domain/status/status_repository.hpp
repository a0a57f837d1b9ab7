#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/paging.hpp"
#include "domain/identity/principal.hpp"
#include "domain/status/status.hpp"

namespace coco::domain {

// What procurement reads next to a status: the service and its contract.
struct ServiceInfo {
  std::string name;
  std::optional<std::string> contract_ref;
  std::optional<Date> contract_start;
  std::optional<Date> contract_end;
};

// Everything a status read needs about one supplier, from the status projection.
struct SupplierStatusInputs {
  std::string supplier_id;
  std::string supplier_name;
  SupplierFacts facts;                // services in creation order; required standards marked
  std::vector<ServiceInfo> services;  // parallel to facts.services
};

// The result of authenticating and reading in one round trip.
struct AuthenticatedInputs {
  std::optional<Principal> principal;          // absent: the token is not valid
  std::optional<SupplierStatusInputs> inputs;  // absent: no such supplier
};

struct PortfolioQuery {
  std::optional<StandardKey> standard;
  std::optional<Date> lapsing_before;  // rows whose earliest lapse is before this day
  // Rows of services whose contract starts on or after `contract_starts_from` and before
  // `contract_starts_before`.
  std::optional<Date> contract_starts_from;
  std::optional<Date> contract_starts_before;
};

// One (supplier, service, standard) of the portfolio; a supplier without services has one row
// without service or standard.
struct PortfolioRow {
  std::string supplier_id;
  std::string supplier_name;
  std::optional<std::string> service_id;
  ServiceInfo service;
  StandardFacts standard;
  std::vector<TriggerFact> triggers;
};

// One row of the status journal (docs/status.md "History").
struct StatusChangeRecord {
  long long id = 0;
  std::string supplier_id;
  std::optional<std::string> service_id;  // absent: the supplier's own status
  std::optional<StandardKey> standard;    // with service_id: a (service, standard)
  std::chrono::system_clock::time_point effective_at;
  std::optional<AssuranceStatus> from;  // absent: it was not part of the status before
  std::optional<AssuranceStatus> to;    // absent: it no longer is
  std::optional<AssuranceStatus> base;
  std::string reasons;  // JSON array, as the status document renders reasons
  bool date_driven = false;
  std::optional<long long> audit_seq;  // a write's first audit entry
  std::optional<std::string> rule;     // a date-driven change's rule
};

// One event of the outbox (docs/status.md "Events").
struct EventRecord {
  long long id = 0;
  std::string type;
  std::string supplier_id;
  std::string entity;
  std::string entity_id;
  std::string data;  // JSON object
  std::chrono::system_clock::time_point occurred_at;
};

// A window of a supplier's history: changes effective at or after `from` and before `to`.
struct HistoryWindow {
  std::optional<std::chrono::system_clock::time_point> from;
  std::optional<std::chrono::system_clock::time_point> to;
};

class StatusRepository {
 public:
  virtual ~StatusRepository() = default;

  // The principal holding the token whose SHA-256 is `token_sha256` (if valid at `now`) and the
  // status inputs of `supplier`, in one round trip.
  virtual AuthenticatedInputs ReadAuthenticated(std::string_view token_sha256,
                                                std::chrono::system_clock::time_point now,
                                                const SupplierId& supplier) = 0;
  virtual std::optional<SupplierStatusInputs> Read(const SupplierId& supplier) = 0;
  // The inputs that were in force at `instant`, from the journal's record of them; absent when
  // the supplier had none then (it did not exist, or its history began later).
  virtual std::optional<SupplierStatusInputs> ReadAt(
      const SupplierId& supplier, std::chrono::system_clock::time_point instant) = 0;
  // Rows in (supplier, service, standard) order; the page position is opaque to the domain.
  virtual PageResult<PortfolioRow> Portfolio(const PortfolioQuery& query,
                                             const PageRequest& page) = 0;
  // Read's answer and the SHA-256 of every file the supplier's standing approvals rely on
  // (sorted), from one snapshot, so a signed document and its hash list agree.
  virtual std::pair<std::optional<SupplierStatusInputs>, std::vector<std::string>>
  ReadForAttestation(const SupplierId& supplier) = 0;

  // The supplier's journal rows in `window`, newest first (by effective time, then id).
  virtual PageResult<StatusChangeRecord> History(const SupplierId& supplier,
                                                 const HistoryWindow& window,
                                                 const PageRequest& page) = 0;
  // Journal rows with an id above `after`, oldest first; of `supplier` only when given.
  virtual std::vector<StatusChangeRecord> Changes(long long after,
                                                  const std::optional<SupplierId>& supplier,
                                                  int limit) = 0;
  // Events with an id above `after`, oldest first; of `supplier` only when given.
  virtual std::vector<EventRecord> Events(long long after,
                                          const std::optional<SupplierId>& supplier, int limit) = 0;
};

}  // namespace coco::domain
