#pragma once

#include "domain/assessment/assessment_repository.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"
#include "persistence/pg_evidence_repository.hpp"

namespace coco::persistence {

// The assessment with its responses, locked FOR UPDATE when `lock`, within `tx` (statements
// prepared by PgAssessmentRepository::Prepare).
std::optional<domain::Assessment> LoadAssessment(pqxx::work& tx, const domain::AssessmentId& id,
                                                 bool lock);

class PgAssessmentRepository final : public domain::AssessmentRepository {
 public:
  PgAssessmentRepository(ConnectionPool& pool, const PgAuditLog& audit)
      : pool_(pool), audit_(audit) {
    pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&PgEvidenceRepository::Prepare);  // a response's files are checked in its lock
    pool_.Use(&Prepare);
  }
  // The named statements this repository runs; registered with the pool by the constructor, and
  // by the exception repository, which reads assessments with them.
  static void Prepare(pqxx::connection& connection);

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

 private:
  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

}  // namespace coco::persistence
