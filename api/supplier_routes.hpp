#pragma once

#include "api/router.hpp"
#include "domain/supplier/supplier_service.hpp"

namespace coco::api {

// POST/GET /suppliers, GET/PATCH /suppliers/{id}.
void AddSupplierRoutes(Router& router, domain::SupplierService* suppliers);

}  // namespace coco::api
