#pragma once

#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/evidence/evidence_repository.hpp"
#include "domain/remediation/remediation_action_repository.hpp"

namespace coco::domain {

// What the supplier says when it completes an action.
struct CompletionRequest {
  std::string note;
  std::vector<EvidenceId> evidence_ids;
};

// Remediation actions created from an approval's conditions (DESIGN.md §2): the supplier
// completes them, an assessor verifies or reopens them.
//   open --complete--> done --verify--> verified;  done/verified --reopen--> open
class RemediationService {
 public:
  RemediationService(RemediationActionRepository& actions, EvidenceRepository& evidence,
                     const Clock& clock)
      : actions_(actions), evidence_(evidence), clock_(clock) {}

  RemediationAction Get(const Actor& actor, const ActionId& id);
  // Suppliers see their own only; `overdue` is judged as of today.
  PageResult<RemediationAction> List(const Actor& actor, const Parsed<ActionFilter>& filter,
                                     const Parsed<PageRequest>& page);
  // open -> done, with a note and files of the supplier's own (422 "invalid_body" naming
  // unknown files).
  RemediationAction Complete(const Actor& actor, const ActionId& id,
                             const Parsed<CompletionRequest>& completion,
                             std::optional<long long> expected_version);
  // done -> verified.
  RemediationAction Verify(const Actor& actor, const ActionId& id,
                           std::optional<long long> expected_version);
  // done or verified -> open, with the reason the supplier reads.
  RemediationAction Reopen(const Actor& actor, const ActionId& id,
                           const Parsed<std::string>& reason,
                           std::optional<long long> expected_version);

  Date Today() const { return clock_.Today(); }

 private:
  // Refuses (404, 403) a caller who is not an assessor that may verify or reopen the action.
  void AuthorizeVerifier(const Actor& actor, const ActionId& id);

  RemediationActionRepository& actions_;
  EvidenceRepository& evidence_;
  const Clock& clock_;
};

}  // namespace coco::domain
