#pragma once

#include "domain/assessment/assessment_repository.hpp"
#include "tests/support/memory_database.hpp"

namespace coco::test {

// AssessmentRepository in memory, keeping the same contract as PgAssessmentRepository
// (tests/support/assessment_repository_contract.hpp): for unit tests of the rules in
// AssessmentService and ReviewService. Reads the services, evidence and exceptions of its
// MemoryDatabase as the pg repository reads their tables.
class InMemoryAssessmentRepository final : public domain::AssessmentRepository {
 public:
  explicit InMemoryAssessmentRepository(MemoryDatabase& database) : database_(database) {}

  void Create(const domain::Assessment& assessment, const domain::Actor& actor,
              const domain::AuditEntry& audit) override;
  std::optional<domain::Assessment> Find(const domain::AssessmentId& id) override;
  domain::PageResult<domain::Assessment> List(const domain::AssessmentFilter& filter,
                                              const domain::PageRequest& page) override;
  domain::PageResult<domain::QueueItem> ReviewQueue(const domain::QueueFilter& filter,
                                                    const domain::PageRequest& page) override;
  domain::Response UpdateResponse(const domain::AssessmentId& id, const std::string& requirement_id,
                                  std::optional<long long> expected_response_version,
                                  const domain::Actor& actor,
                                  const domain::ResponseWrite& write) override;
  domain::Assessment Transition(
      const domain::AssessmentId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::Assessment&)>& change) override;
  domain::Assessment Approve(
      const domain::AssessmentId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::ApprovalRecord(domain::Assessment&,
                                                 const domain::ApprovalFacts&)>& decide) override;

  // How many times an assessment was read, by any method: what a use case costs.
  int reads() const { return reads_; }

 private:
  // The stored assessment (counted as a read), checked against `expected_version`.
  domain::Assessment& Locked(const domain::AssessmentId& id,
                             std::optional<long long> expected_version);

  MemoryDatabase& database_;
  int reads_ = 0;
};

}  // namespace coco::test
