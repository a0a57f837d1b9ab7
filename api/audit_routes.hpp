#pragma once

#include "api/router.hpp"
#include "domain/audit/audit_repository.hpp"

namespace coco::api {

// GET /audit (filtered, paged by sequence number) and GET /audit/verify (admin).
void AddAuditRoutes(Router& router, domain::AuditLog* audit);

}  // namespace coco::api
