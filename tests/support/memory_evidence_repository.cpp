#include "tests/support/memory_evidence_repository.hpp"

#include "domain/common/error.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/memory_paging.hpp"

namespace coco::test {

void InMemoryEvidenceRepository::Store(const domain::Evidence& evidence, std::string_view bytes,
                                       const domain::Actor&, const domain::AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  if (evidence_.count(evidence.id.str()) != 0) {
    throw domain::AlreadyExists("an evidence file with this id exists");
  }
  // The first copy of the bytes stays: PostgreSQL's ON CONFLICT DO NOTHING keeps it too.
  blobs_.emplace(std::pair(evidence.supplier_id.str(), evidence.sha256), std::string(bytes));
  evidence_.emplace(evidence.id.str(), evidence);
  audit_.push_back(audit);
}

std::optional<domain::Evidence> InMemoryEvidenceRepository::Find(const domain::EvidenceId& id) {
  std::lock_guard lock(mutex_);
  const auto found = evidence_.find(id.str());
  if (found == evidence_.end()) return std::nullopt;
  return found->second;
}

domain::PageResult<domain::Evidence> InMemoryEvidenceRepository::List(
    const domain::SupplierId& supplier, const domain::EvidenceFilter& filter,
    const domain::PageRequest& page) {
  std::lock_guard lock(mutex_);
  std::vector<domain::Evidence> matching;
  for (const auto& [id, evidence] : evidence_) {
    if (evidence.supplier_id != supplier) continue;
    if (filter.kind && evidence.kind != *filter.kind) continue;
    if (filter.expiring_before) {
      // A file that never lapses is not expiring, as lapses_on NULL fails the SQL comparison.
      const auto lapses = evidence.LapsesOn();
      if (!lapses || !(*lapses < *filter.expiring_before)) continue;
    }
    matching.push_back(evidence);
  }
  return KeysetPageOf(std::move(matching), page,
                      [](const domain::Evidence& evidence) { return evidence.uploaded_at; });
}

std::string InMemoryEvidenceRepository::ReadContent(const domain::Evidence& evidence) {
  std::lock_guard lock(mutex_);
  const auto found = blobs_.find(std::pair(evidence.supplier_id.str(), evidence.sha256));
  if (found == blobs_.end())
    throw domain::Internal("evidence bytes missing for " + evidence.id.str());
  return found->second;
}

std::vector<std::string> InMemoryEvidenceRepository::AuditActions() const {
  std::lock_guard lock(mutex_);
  return ActionsOf(audit_);
}

}  // namespace coco::test
