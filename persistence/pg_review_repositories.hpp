#pragma once

#include <pqxx/pqxx>
#include <vector>

#include "domain/remediation/remediation_action_repository.hpp"
#include "domain/review/comment_repository.hpp"
#include "domain/risk_exception/risk_exception_repository.hpp"
#include "domain/trigger/trigger_repository.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"

// PostgreSQL storage of what the review side adds around an assessment: remediation actions,
// risk exceptions, reassessment triggers and comments (migrations/0007_decisions.sql).
namespace coco::persistence {

// Statements shared with the assessment repository (an approval reads exceptions and writes
// actions inside its own transaction). Preparing them twice is harmless: libpqxx accepts an
// identical redefinition.
void PrepareReviewRows(pqxx::connection& connection);
std::vector<domain::RiskException> ExceptionsOf(pqxx::work& tx, const domain::AssessmentId& id);
void InsertAction(pqxx::work& tx, const domain::RemediationAction& action);

class PgRemediationActionRepository final : public domain::RemediationActionRepository {
 public:
  PgRemediationActionRepository(ConnectionPool& pool, const PgAuditLog& audit)
      : pool_(pool), audit_(audit) {
    pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&Prepare);
  }

  std::optional<domain::RemediationAction> Find(const domain::ActionId& id) override;
  domain::PageResult<domain::RemediationAction> List(const domain::ActionFilter& filter,
                                                     const domain::PageRequest& page) override;
  domain::RemediationAction Update(
      const domain::ActionId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::RemediationAction&)>& change) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

class PgRiskExceptionRepository final : public domain::RiskExceptionRepository {
 public:
  PgRiskExceptionRepository(ConnectionPool& pool, const PgAuditLog& audit)
      : pool_(pool), audit_(audit) {
    pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&Prepare);
  }

  domain::RiskException Add(const domain::AssessmentId& assessment, const domain::Actor& actor,
                            const Maker& make) override;
  std::optional<domain::RiskException> Find(const domain::ExceptionId& id) override;
  domain::PageResult<domain::RiskException> List(const domain::AssessmentId& assessment,
                                                 const domain::PageRequest& page) override;
  std::optional<domain::PageResult<domain::RiskException>> ListBySupplier(
      const domain::SupplierId& supplier, const domain::PageRequest& page) override;
  domain::PageResult<domain::RiskException> ListByExpiry(const domain::ExceptionQuery& query,
                                                         const domain::PageRequest& page) override;
  std::vector<domain::RiskException> AllOf(const domain::AssessmentId& assessment) override;
  domain::RiskException Update(
      const domain::ExceptionId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::RiskException&)>& change) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

class PgTriggerRepository final : public domain::TriggerRepository {
 public:
  PgTriggerRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {
    pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&Prepare);
  }

  void Record(const domain::Trigger& trigger, const domain::Actor& actor,
              const domain::AuditEntry& audit) override;
  domain::PageResult<domain::Trigger> List(const domain::ServiceId& service,
                                           const domain::PageRequest& page) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

class PgCommentRepository final : public domain::CommentRepository {
 public:
  PgCommentRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {
    pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&Prepare);
  }

  void Add(const domain::Comment& comment, const domain::Actor& actor,
           const domain::AuditEntry& audit) override;
  domain::PageResult<domain::Comment> List(const domain::AssessmentId& assessment,
                                           bool include_internal,
                                           const domain::PageRequest& page) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

}  // namespace coco::persistence
