#pragma once

#include <functional>

#include "api/evidence_routes.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "domain/assessment/assessments.hpp"
#include "domain/audit/audit_repository.hpp"
#include "domain/identity/users.hpp"
#include "domain/review/remediation.hpp"
#include "domain/review/reviews.hpp"
#include "domain/review/risk_exceptions.hpp"
#include "domain/review/triggers.hpp"
#include "domain/service/services.hpp"
#include "domain/signing/signing_key.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/status/status_service.hpp"
#include "domain/supplier/supplier_service.hpp"

namespace coco::api {

// Everything the handlers call, built by the composition root (app/). Registration only stores
// these; nothing is called until a request arrives, so tests can list the routes with empty
// services.
struct ApiServices {
  std::function<bool()> ready;
  Metrics* metrics = nullptr;
  domain::Catalogue* catalogue = nullptr;
  domain::SupplierService* suppliers = nullptr;
  domain::Services* services = nullptr;
  domain::Users* users = nullptr;
  domain::AuditLog* audit = nullptr;
  domain::EvidenceService* evidence = nullptr;
  UploadLimiter* upload_limiter = nullptr;
  domain::Assessments* assessments = nullptr;
  domain::Reviews* reviews = nullptr;
  domain::RemediationActions* actions = nullptr;
  domain::RiskExceptions* exceptions = nullptr;
  domain::Triggers* triggers = nullptr;
  domain::StatusService* status = nullptr;
  domain::SignerSource* signers = nullptr;
  domain::SigningKeys* signing_keys = nullptr;
  // True once the process is stopping (see SystemDependencies).
  std::function<bool()> stopping;
};

// Registers every route of the API. The route set must equal the paths and methods of
// openapi/openapi.yaml (a test holds them together).
void AddAllRoutes(Router& router, const ApiServices& services);

}  // namespace coco::api
