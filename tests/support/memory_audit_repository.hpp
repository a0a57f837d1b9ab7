#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "domain/audit/audit_repository.hpp"
#include "domain/common/ports.hpp"

namespace coco::test {

// AuditRepository in memory, keeping the same contract as PgAuditRepository
// (tests/support/audit_repository_contract.hpp), with Append doing what PgAuditLog::Append does
// inside a write's transaction: the same hash chain, so AuditLog::Verify runs over it.
class InMemoryAuditRepository final : public domain::AuditRepository {
 public:
  InMemoryAuditRepository(const domain::Hasher& hasher, const domain::Clock& clock)
      : hasher_(hasher), clock_(clock) {}

  std::vector<domain::AuditEvent> List(const domain::AuditFilter& filter) override;
  std::vector<domain::AuditEvent> ReadChain(long long after_seq, int limit) override;
  std::optional<domain::AuditEvent> Find(long long seq) override;
  std::optional<domain::AuditCheckpoint> LatestCheckpoint() override;
  domain::AuditCheckpoint Head() override;
  void SaveCheckpoint(const domain::AuditCheckpoint& checkpoint) override;

  // Appends an event for `entry` at the clock's time; returns its seq. (Idempotency claims are
  // not modelled.)
  long long Append(const domain::Actor& actor, const domain::AuditEntry& entry);
  // Test control: edits a stored event behind the chain's back, as an attacker with database
  // access would.
  void Tamper(long long seq, const std::function<void(domain::AuditEvent&)>& edit);

 private:
  const domain::Hasher& hasher_;
  const domain::Clock& clock_;
  mutable std::mutex mutex_;
  std::vector<domain::AuditEvent> events_;  // seq order; events_[i].seq == i + 1
  domain::AuditCheckpoint head_{0, domain::kGenesisHash};
  std::map<long long, std::string> checkpoints_;
};

}  // namespace coco::test
