#pragma once

#include <functional>
#include <optional>

#include "domain/assessment/assessment.hpp"
#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/evidence/evidence_repository.hpp"
#include "domain/remediation/remediation_action.hpp"
#include "domain/risk_exception/risk_exception.hpp"

namespace coco::domain {

struct AssessmentFilter {
  std::optional<SupplierId> supplier;
  std::optional<ServiceId> service;
  std::optional<StandardKey> standard;
  std::optional<AssessmentState> state;
};

// One line of the review queue.
struct QueueItem {
  Assessment assessment;  // without responses
  int must_answered = 0;
  int must_not_met = 0;
};

struct QueueFilter {
  std::optional<SupplierId> supplier;
  std::optional<StandardKey> standard;
  std::optional<AssessmentState> state;  // submitted or in_review; absent = both
  std::optional<UserId> claimed_by;      // the assessor holding the claim
};

// What an approval reads under the assessment's lock.
struct ApprovalFacts {
  std::string current_profile_hash;               // the service's profile now
  std::vector<RiskException> exceptions;          // of this assessment
  std::optional<AssessmentId> previous_approval;  // the approval it will supersede
};

// What an approval writes besides the assessment.
struct ApprovalRecord {
  AuditEntry audit;
  std::vector<RemediationAction> actions;
};

// A write of one response, done under its assessment's lock in this order.
struct ResponseWrite {
  // Judges the caller, then its request, against the assessment as stored; throws to refuse.
  // `find_evidence` reads inside the same transaction.
  std::function<void(const Assessment&, const EvidenceLookup& find_evidence)> admit;
  // Edits the response (it may throw to refuse) and returns the audit entry to append.
  std::function<AuditEntry(const Assessment&, Response&)> change;
};

class AssessmentRepository {
 public:
  virtual ~AssessmentRepository() = default;

  // Stores the assessment and its responses, appending `audit`. kAlreadyExists
  // ("assessment_open") when the service already has an open assessment of that standard.
  virtual void Create(const Assessment& assessment, const Actor& actor,
                      const AuditEntry& audit) = 0;
  virtual std::optional<Assessment> Find(const AssessmentId& id) = 0;
  // Assessments without their responses, oldest first.
  virtual PageResult<Assessment> List(const AssessmentFilter& filter, const PageRequest& page) = 0;
  // Submitted and in-review assessments, oldest submission first, with their MUST counts.
  virtual PageResult<QueueItem> ReviewQueue(const QueueFilter& filter, const PageRequest& page) = 0;

  // Reads and locks the assessment once; kNotFound if it does not exist. Then `write.admit`
  // judges the request; kNotFound if the response does not exist; "precondition_failed" when
  // `expected_response_version` is given and differs from the response's; `write.change` edits
  // the response, which is saved (answer, files and review state, appending a new verdict to
  // the history) with version + 1, and the returned entry is appended.
  virtual Response UpdateResponse(const AssessmentId& id, const std::string& requirement_id,
                                  std::optional<long long> expected_response_version,
                                  const Actor& actor, const ResponseWrite& write) = 0;

  // Locks the assessment, checks `expected_version`, lets `change` move its state (it may
  // throw), saves its fields, the review state of its responses and version + 1, appends the
  // entry.
  virtual Assessment Transition(const AssessmentId& id, std::optional<long long> expected_version,
                                const Actor& actor,
                                const std::function<AuditEntry(Assessment&)>& change) = 0;

  // Transition for an approval: also reads the facts it depends on under the lock, stores the
  // actions it creates and supersedes the previous approval of the same service and standard,
  // all in one transaction.
  virtual Assessment Approve(
      const AssessmentId& id, std::optional<long long> expected_version, const Actor& actor,
      const std::function<ApprovalRecord(Assessment&, const ApprovalFacts&)>& decide) = 0;
};

}  // namespace coco::domain
