#pragma once

#include <functional>
#include <optional>
#include <utility>

#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/review/review.hpp"

namespace coco::domain {

struct ActionFilter {
  std::optional<SupplierId> supplier;
  std::optional<AssessmentId> assessment;
  std::optional<ActionState> state;
  std::optional<bool> overdue;  // as of `today`
  Date today = Date::FromYmd(1970, 1, 1);
};

class ActionRepository {
 public:
  virtual ~ActionRepository() = default;
  virtual std::optional<RemediationAction> Find(const ActionId& id) = 0;
  // Ordered by due date, then id.
  virtual PageResult<RemediationAction> List(const ActionFilter& filter, const PageRequest& page) = 0;
  // Locks the action, checks `expected_version` (412), lets `change` edit it (it may throw),
  // saves it with version + 1 and appends the returned entry.
  virtual RemediationAction Update(const ActionId& id, std::optional<long long> expected_version,
                                   const Actor& actor,
                                   const std::function<AuditEntry(RemediationAction&)>& change) = 0;
};

class ExceptionRepository {
 public:
  virtual ~ExceptionRepository() = default;
  // Locks the assessment (so an approval sees the exception or not, never half of it), hands
  // it and its exceptions to `make`, which returns the new exception and its audit entry or
  // throws; stores both. kNotFound if the assessment does not exist.
  using Maker = std::function<std::pair<RiskException, AuditEntry>(
      const Assessment&, const std::vector<RiskException>& existing)>;
  virtual RiskException Add(const AssessmentId& assessment, const Actor& actor, const Maker& make) = 0;
  virtual std::optional<RiskException> Find(const ExceptionId& id) = 0;
  // Oldest first.
  virtual PageResult<RiskException> List(const AssessmentId& assessment, const PageRequest& page) = 0;
  virtual std::vector<RiskException> AllOf(const AssessmentId& assessment) = 0;
  virtual RiskException Update(const ExceptionId& id, std::optional<long long> expected_version,
                               const Actor& actor,
                               const std::function<AuditEntry(RiskException&)>& change) = 0;
};

class TriggerRepository {
 public:
  virtual ~TriggerRepository() = default;
  virtual void Record(const Trigger& trigger, const Actor& actor, const AuditEntry& audit) = 0;
  // Oldest first (by recording time).
  virtual PageResult<Trigger> List(const ServiceId& service, const PageRequest& page) = 0;
};

class CommentRepository {
 public:
  virtual ~CommentRepository() = default;
  virtual void Add(const Comment& comment, const Actor& actor, const AuditEntry& audit) = 0;
  // Oldest first; internal comments only when `include_internal`.
  virtual PageResult<Comment> List(const AssessmentId& assessment, bool include_internal,
                                   const PageRequest& page) = 0;
};

}  // namespace coco::domain
