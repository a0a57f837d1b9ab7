#pragma once

#include "domain/common/ports.hpp"
#include "domain/evidence/evidence_repository.hpp"
#include "domain/remediation/remediation_action_repository.hpp"

namespace coco::domain {

// Remediation actions created from an approval's conditions (DESIGN.md §2): the supplier
// completes them, an assessor verifies or reopens them.
//   open --complete--> done --verify--> verified;  done/verified --reopen--> open
class RemediationService {
 public:
  RemediationService(RemediationActionRepository& actions, EvidenceRepository& evidence, const Clock& clock)
      : actions_(actions), evidence_(evidence), clock_(clock) {}

  void CheckMayList(const Actor& actor) const;
  void CheckMayComplete(const Actor& actor, const ActionId& id);
  void CheckMayVerify(const Actor& actor, const ActionId& id);

  RemediationAction Get(const Actor& actor, const ActionId& id);
  // Suppliers see their own only; `overdue` is judged as of today.
  PageResult<RemediationAction> List(const Actor& actor, ActionFilter filter, const PageRequest& page);
  // open -> done, with a note and files of the supplier's own (422 "invalid_body" naming
  // unknown files).
  RemediationAction Complete(const Actor& actor, const ActionId& id, const std::string& note,
                             const std::vector<EvidenceId>& evidence_ids,
                             std::optional<long long> expected_version);
  // done -> verified.
  RemediationAction Verify(const Actor& actor, const ActionId& id,
                           std::optional<long long> expected_version);
  // done or verified -> open, with the reason the supplier reads.
  RemediationAction Reopen(const Actor& actor, const ActionId& id, const std::string& reason,
                           std::optional<long long> expected_version);

  Date Today() const { return clock_.Today(); }

 private:
  RemediationActionRepository& actions_;
  EvidenceRepository& evidence_;
  const Clock& clock_;
};

}  // namespace coco::domain
