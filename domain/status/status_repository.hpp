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

class StatusRepository {
 public:
  virtual ~StatusRepository() = default;

  // The principal holding the token whose SHA-256 is `token_sha256` (if valid at `now`) and the
  // status inputs of `supplier`, in one round trip.
  virtual AuthenticatedInputs ReadAuthenticated(std::string_view token_sha256,
                                                std::chrono::system_clock::time_point now,
                                                const SupplierId& supplier) = 0;
  virtual std::optional<SupplierStatusInputs> Read(const SupplierId& supplier) = 0;
  // Rows in (supplier, service, standard) order; the page position is opaque to the domain.
  virtual PageResult<PortfolioRow> Portfolio(const PortfolioQuery& query,
                                             const PageRequest& page) = 0;
  // Read's answer and the SHA-256 of every file the supplier's standing approvals rely on
  // (sorted), from one snapshot, so a signed document and its hash list agree.
  virtual std::pair<std::optional<SupplierStatusInputs>, std::vector<std::string>>
  ReadForAttestation(const SupplierId& supplier) = 0;
};

}  // namespace coco::domain
