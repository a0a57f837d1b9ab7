#pragma once

#include "api/router.hpp"
#include "domain/standard/catalogue.hpp"

namespace coco::api {

// GET /standards, /standards/{key}, /standards/{key}/requirements: readable by any
// authenticated caller.
void AddStandardRoutes(Router& router, domain::Catalogue* catalogue);

}  // namespace coco::api
