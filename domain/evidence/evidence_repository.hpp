#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "domain/audit/audit.hpp"
#include "domain/common/error.hpp"
#include "domain/common/paging.hpp"
#include "domain/evidence/evidence.hpp"

namespace coco::domain {

struct EvidenceFilter {
  std::optional<EvidenceKind> kind;
  std::optional<Date> expiring_before;  // files whose lapse date is before this date
};

class EvidenceRepository {
 public:
  virtual ~EvidenceRepository() = default;

  // Stores the bytes once per (supplier, SHA-256) — a concurrent upload of the same bytes keeps
  // one copy — and the metadata row, appending `audit`; all in one transaction.
  virtual void Store(const Evidence& evidence, std::string_view bytes, const Actor& actor,
                     const AuditEntry& audit) = 0;
  virtual std::optional<Evidence> Find(const EvidenceId& id) = 0;
  virtual PageResult<Evidence> List(const SupplierId& supplier, const EvidenceFilter& filter,
                                    const PageRequest& page) = 0;
  virtual std::string ReadContent(const Evidence& evidence) = 0;
};

// Reads one evidence file: EvidenceRepository::Find, or a read inside a transaction the caller
// already holds.
using EvidenceLookup = std::function<std::optional<Evidence>(const EvidenceId&)>;

// One problem (field "evidence_ids[<i>]", code "unknown_evidence") per id in `ids` that names no
// evidence file of `supplier`: what a body attaching files must be refused for. Another
// supplier's file and a missing one read the same.
std::vector<ErrorDetail> ForeignEvidence(const EvidenceLookup& find, const SupplierId& supplier,
                                         const std::vector<EvidenceId>& ids);

}  // namespace coco::domain
