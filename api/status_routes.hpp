#pragma once

#include "api/router.hpp"
#include "domain/common/ports.hpp"
#include "domain/status/status_service.hpp"

namespace coco::api {

// GET /suppliers/{id}/status, GET /status (JSON or CSV), GET /suppliers/{id}/attestation and
// GET /.well-known/jwks.json.
void AddStatusRoutes(Router& router, domain::StatusService* status, const domain::Signer* signer);

}  // namespace coco::api
