#pragma once

#include <vector>

#include <pqxx/pqxx>

#include "domain/review/review_repositories.hpp"
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

class PgActionRepository final : public domain::ActionRepository {
 public:
  PgActionRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {}
  static void Prepare(pqxx::connection& connection);

  std::optional<domain::RemediationAction> Find(const domain::ActionId& id) override;
  domain::PageResult<domain::RemediationAction> List(const domain::ActionFilter& filter,
                                                     const domain::PageRequest& page) override;
  domain::RemediationAction Update(
      const domain::ActionId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::RemediationAction&)>& change) override;

 private:
  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

class PgExceptionRepository final : public domain::ExceptionRepository {
 public:
  PgExceptionRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {}
  static void Prepare(pqxx::connection& connection);

  domain::RiskException Add(const domain::AssessmentId& assessment, const domain::Actor& actor,
                            const Maker& make) override;
  std::optional<domain::RiskException> Find(const domain::ExceptionId& id) override;
  domain::PageResult<domain::RiskException> List(const domain::AssessmentId& assessment,
                                                 const domain::PageRequest& page) override;
  std::vector<domain::RiskException> AllOf(const domain::AssessmentId& assessment) override;
  domain::RiskException Update(
      const domain::ExceptionId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::RiskException&)>& change) override;

 private:
  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

class PgTriggerRepository final : public domain::TriggerRepository {
 public:
  PgTriggerRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {}
  static void Prepare(pqxx::connection& connection);

  void Record(const domain::Trigger& trigger, const domain::Actor& actor,
              const domain::AuditEntry& audit) override;
  domain::PageResult<domain::Trigger> List(const domain::ServiceId& service,
                                           const domain::PageRequest& page) override;

 private:
  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

class PgCommentRepository final : public domain::CommentRepository {
 public:
  PgCommentRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {}
  static void Prepare(pqxx::connection& connection);

  void Add(const domain::Comment& comment, const domain::Actor& actor,
           const domain::AuditEntry& audit) override;
  domain::PageResult<domain::Comment> List(const domain::AssessmentId& assessment,
                                           bool include_internal,
                                           const domain::PageRequest& page) override;

 private:
  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

}  // namespace coco::persistence
