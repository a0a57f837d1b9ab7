#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "domain/evidence/evidence_repository.hpp"

namespace coco::test {

// EvidenceRepository in memory, keeping the same contract as PgEvidenceRepository
// (tests/support/evidence_repository_contract.hpp): for unit tests of the rules that use it.
class InMemoryEvidenceRepository final : public domain::EvidenceRepository {
 public:
  void Store(const domain::Evidence& evidence, std::string_view bytes, const domain::Actor& actor,
             const domain::AuditEntry& audit) override;
  std::optional<domain::Evidence> Find(const domain::EvidenceId& id) override;
  domain::PageResult<domain::Evidence> List(const domain::SupplierId& supplier,
                                            const domain::EvidenceFilter& filter,
                                            const domain::PageRequest& page) override;
  std::string ReadContent(const domain::Evidence& evidence) override;

  // The audit actions appended, oldest first.
  std::vector<std::string> AuditActions() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, domain::Evidence> evidence_;
  // The bytes, once per (supplier, SHA-256) as the blob table keeps them.
  std::map<std::pair<std::string, std::string>, std::string> blobs_;
  std::vector<domain::AuditEntry> audit_;
};

}  // namespace coco::test
