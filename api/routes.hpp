#pragma once

#include <functional>

#include "api/evidence_routes.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "domain/assessment/assessment_service.hpp"
#include "domain/audit/audit_repository.hpp"
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

namespace coco::api {

// Everything the handlers call, built by the composition root (app/). Registration only stores
// these; nothing is called until a request arrives, so tests can list the routes with empty
// services.
struct ApiServices {
  std::function<bool()> ready;
  Metrics* metrics = nullptr;
  domain::Catalogue* catalogue = nullptr;
  domain::SupplierService* suppliers = nullptr;
  domain::ServiceService* services = nullptr;
  domain::UserService* users = nullptr;
  domain::AuditLog* audit = nullptr;
  domain::EvidenceService* evidence = nullptr;
  UploadLimiter* upload_limiter = nullptr;
  domain::AssessmentService* assessments = nullptr;
  domain::ReviewService* reviews = nullptr;
  domain::RemediationService* actions = nullptr;
  domain::RiskExceptionService* exceptions = nullptr;
  domain::TriggerService* triggers = nullptr;
  domain::StatusService* status = nullptr;
  domain::SignerSource* signers = nullptr;
  domain::SigningKeys* signing_keys = nullptr;
  domain::WebhookService* webhooks = nullptr;
  domain::InboxService* inbox = nullptr;
  // True once the process is stopping (see SystemDependencies).
  std::function<bool()> stopping;
};

// Registers every route of the API. The route set must equal the paths and methods of
// openapi/openapi.yaml (a test holds them together).
void AddAllRoutes(Router& router, const ApiServices& services);

}  // namespace coco::api
