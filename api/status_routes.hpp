#pragma once

#include "api/router.hpp"
#include "domain/common/ports.hpp"
#include "domain/signing/signing_key.hpp"
#include "domain/status/status_service.hpp"

namespace coco::api {

// GET /suppliers/{id}/status, GET /status (JSON or CSV), GET /suppliers/{id}/attestation and
// GET /.well-known/jwks.json.
void AddStatusRoutes(Router& router, domain::StatusService* status, domain::SignerSource* signers,
                     domain::SigningKeys* signing_keys);

}  // namespace coco::api
