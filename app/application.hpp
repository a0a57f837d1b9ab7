#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/evidence_routes.hpp"
#include "api/routes.hpp"
#include "domain/assessment/assessment_service.hpp"
#include "domain/audit/audit_repository.hpp"
#include "domain/evidence/evidence_service.hpp"
#include "domain/identity/token_service.hpp"
#include "domain/identity/user_service.hpp"
#include "domain/inbox/inbox_service.hpp"
#include "domain/remediation/remediation_service.hpp"
#include "domain/review/review_service.hpp"
#include "domain/risk_exception/risk_exception_service.hpp"
#include "domain/service/service_service.hpp"
#include "domain/signing/signing_key.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/status/status_service.hpp"
#include "domain/supplier/supplier_service.hpp"
#include "domain/trigger/trigger_service.hpp"
#include "domain/webhook/webhook_service.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/migrator.hpp"
#include "persistence/pg_assessment_repository.hpp"
#include "persistence/pg_audit.hpp"
#include "persistence/pg_audit_repository.hpp"
#include "persistence/pg_catalogue_repository.hpp"
#include "persistence/pg_evidence_repository.hpp"
#include "persistence/pg_idempotency_store.hpp"
#include "persistence/pg_identity_repository.hpp"
#include "persistence/pg_review_repositories.hpp"
#include "persistence/pg_service_repository.hpp"
#include "persistence/pg_signing_key_repository.hpp"
#include "persistence/pg_status.hpp"
#include "persistence/pg_status_journal.hpp"
#include "persistence/pg_supplier_repository.hpp"
#include "persistence/pg_webhook_repository.hpp"
#include "security/openssl_hasher.hpp"
#include "security/openssl_id_generator.hpp"
#include "security/openssl_token_generator.hpp"
#include "security/standard_webhook_signer.hpp"
#include "security/system_clock.hpp"

namespace coco::app {

// The ports every part of the server shares: real implementations, one of each.
struct Infrastructure {
  security::OpensslHasher hasher;
  security::OpensslTokenGenerator token_generator;
  security::SystemClock clock;
  security::OpensslIdGenerator ids;
  security::StandardWebhookSigner webhook_signer;
};

// Stores on every service the standards the latest catalogue requires of its profile (after a
// migration or a catalogue import); returns how many services changed.
std::size_t ApplyCatalogue(persistence::ConnectionPool& pool, Infrastructure& infra);

// The object graph of `coco serve`: every repository on the pool and every use case on the
// repositories, built by constructor injection in dependency order (members initialise in the
// order they are declared). Each repository registers its named statements with the pool as it
// is built, so adding one is a member here and nothing else.
class Application {
 public:
  Application(persistence::ConnectionPool& pool, Infrastructure& infra,
              domain::SignerSource& signers, const std::vector<persistence::Migration>& migrations,
              int max_uploads, domain::EgressPolicy egress = {});

  // What the routes call; `stopping` tells /readyz the process is draining.
  api::ApiServices Services(api::Metrics& metrics, std::function<bool()> stopping);

  domain::TokenService& tokens() { return tokens_; }
  domain::ServiceService& services() { return services_; }
  persistence::PgStatusJournal& journal() { return journal_; }
  persistence::PgIdempotencyStore& idempotency() { return idempotency_; }
  persistence::PgSigningKeyRepository& signing_key_repository() { return signing_key_repository_; }
  domain::WebhookQueue& webhook_queue() { return webhook_repository_; }
  domain::InboxService& inbox() { return inbox_; }

 private:
  persistence::ConnectionPool& pool_;
  const std::vector<persistence::Migration>& migrations_;
  domain::SignerSource& signers_;

  // Installs itself as the pool's commit hook: first, so every write below is journalled.
  persistence::PgStatusJournal journal_;

  // Repositories.
  persistence::PgAuditLog audit_log_;
  persistence::PgCatalogueRepository catalogue_repository_;
  persistence::PgIdentityRepository identity_repository_;
  persistence::PgSupplierRepository supplier_repository_;
  persistence::PgServiceRepository service_repository_;
  persistence::PgAuditRepository audit_repository_;
  persistence::PgEvidenceRepository evidence_repository_;
  persistence::PgAssessmentRepository assessment_repository_;
  persistence::PgRemediationActionRepository action_repository_;
  persistence::PgRiskExceptionRepository exception_repository_;
  persistence::PgTriggerRepository trigger_repository_;
  persistence::PgCommentRepository comment_repository_;
  persistence::PgStatusRepository status_repository_;
  persistence::PgSigningKeyRepository signing_key_repository_;
  persistence::PgIdempotencyStore idempotency_;
  persistence::PgWebhookRepository webhook_repository_;

  // Use cases.
  domain::Catalogue catalogue_;
  domain::SupplierService suppliers_;
  domain::ServiceService services_;
  domain::UserService users_;
  domain::TokenService tokens_;
  domain::AuditLog audit_;
  domain::EvidenceService evidence_;
  api::UploadLimiter upload_limiter_;
  domain::AssessmentService assessments_;
  domain::ReviewService reviews_;
  domain::RemediationService actions_;
  domain::RiskExceptionService exceptions_;
  domain::TriggerService triggers_;
  domain::StatusService status_;
  domain::SigningKeys signing_keys_;
  domain::WebhookService webhooks_;
  domain::InboxService inbox_;
};

}  // namespace coco::app
