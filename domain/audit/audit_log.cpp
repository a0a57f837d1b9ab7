#include "domain/audit/audit_repository.hpp"
#include "domain/common/error.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::domain {

std::vector<AuditEvent> AuditLog::List(const Actor& actor, AuditFilter filter) {
  Authorize(actor.principal, Permission::kReadAudit);
  if (!NarrowToOwnSupplier(actor.principal, filter.supplier)) return {};
  return repository_.List(filter);
}

AuditVerification AuditLog::Verify(const Actor& actor, bool full) {
  Authorize(actor.principal, Permission::kVerifyAudit);
  AuditVerification result;
  std::string previous_hash = kGenesisHash;
  long long previous_seq = 0;
  if (!full) {
    if (auto checkpoint = repository_.LatestCheckpoint()) {
      // The checkpoint's own event must still be what it was when it was verified.
      const auto event = repository_.Find(checkpoint->seq);
      if (!event || event->hash != checkpoint->hash || AuditHash(hasher_, *event) != event->hash) {
        result.ok = false;
        result.first_broken_seq = checkpoint->seq;
        result.problem = "the checkpointed event was changed or removed";
        return result;
      }
      previous_hash = checkpoint->hash;
      previous_seq = checkpoint->seq;
      result.from_seq = checkpoint->seq;
    }
  }
  const AuditCheckpoint head = repository_.Head();
  constexpr int kPage = 1000;
  while (true) {
    const auto page = repository_.ReadChain(previous_seq, kPage);
    bool reached_head = false;
    for (const auto& event : page) {
      // Verify up to the head read at the start: later appends are for a later run.
      if (event.seq > head.seq) {
        reached_head = true;
        break;
      }
      ++result.events_checked;
      std::string problem;
      if (event.seq != previous_seq + 1) {
        problem = "event " + std::to_string(previous_seq + 1) + " is missing";
        result.first_broken_seq = previous_seq + 1;
      } else if (event.prev_hash != previous_hash) {
        problem = "prev_hash does not match the hash of the event before";
      } else if (AuditHash(hasher_, event) != event.hash) {
        problem = "the event's content does not match its hash";
      }
      if (!problem.empty()) {
        result.ok = false;
        if (!result.first_broken_seq) result.first_broken_seq = event.seq;
        result.problem = problem;
        return result;
      }
      previous_hash = event.hash;
      previous_seq = event.seq;
    }
    if (reached_head || static_cast<int>(page.size()) < kPage) break;
  }
  // Events removed from the end leave the head ahead of the last event.
  if (head.seq != previous_seq || head.hash != previous_hash) {
    result.ok = false;
    result.first_broken_seq = previous_seq + 1;
    result.problem = "the chain ends before its head (events were removed at the end)";
    return result;
  }
  if (previous_seq > result.from_seq) repository_.SaveCheckpoint({previous_seq, previous_hash});
  return result;
}

}  // namespace coco::domain
