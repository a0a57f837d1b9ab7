#pragma once

#include "api/router.hpp"
#include "domain/service/service_service.hpp"

namespace coco::api {

// POST/GET /suppliers/{id}/services, GET/PATCH /services/{id},
// GET /services/{id}/required-standards.
void AddServiceRoutes(Router& router, domain::ServiceService* services);

}  // namespace coco::api
