#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/audit/audit.hpp"

namespace coco::domain {

struct AuditFilter {
  std::optional<std::string> entity;
  std::optional<std::string> entity_id;
  std::optional<std::string> actor_user_id;
  std::optional<std::chrono::system_clock::time_point> since;
  // Set for supplier users: only events of this supplier's objects, never internal ones.
  std::optional<SupplierId> supplier;
  long long after_seq = 0;
  int limit = 50;
};

struct AuditCheckpoint {
  long long seq = 0;
  std::string hash;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  // Events matching `filter` with seq > after_seq, in seq order, at most limit + 1 of them.
  virtual std::vector<AuditEvent> List(const AuditFilter& filter) = 0;
  // Up to `limit` events with seq > after_seq, in order (for verification).
  virtual std::vector<AuditEvent> ReadChain(long long after_seq, int limit) = 0;
  virtual std::optional<AuditEvent> Find(long long seq) = 0;
  virtual std::optional<AuditCheckpoint> LatestCheckpoint() = 0;
  // The chain head every append moves: the last event's seq and hash.
  virtual AuditCheckpoint Head() = 0;
  virtual void SaveCheckpoint(const AuditCheckpoint& checkpoint) = 0;
};

struct AuditVerification {
  bool ok = true;
  long long events_checked = 0;
  long long from_seq = 0;  // verification started after this seq (a checkpoint, or 0)
  std::optional<long long> first_broken_seq;
  std::string problem;  // what is wrong at first_broken_seq
};

// Reads of the audit trail and its verification (DESIGN.md §4): staff read every event, a
// supplier user only the events of its own objects minus internal ones, procurement none.
class AuditLog {
 public:
  AuditLog(AuditRepository& repository, const Hasher& hasher)
      : repository_(repository), hasher_(hasher) {}

  std::vector<AuditEvent> List(const Actor& actor, AuditFilter filter);

  // Recomputes the chain page by page. `full` starts from the first event; otherwise from the
  // latest checkpoint, whose own event is re-hashed first. A clean run records a new checkpoint.
  AuditVerification Verify(const Actor& actor, bool full);

 private:
  AuditRepository& repository_;
  const Hasher& hasher_;
};

}  // namespace coco::domain
