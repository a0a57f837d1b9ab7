#pragma once

#include <nlohmann/json.hpp>

#include "api/http.hpp"
#include "domain/supplier/supplier.hpp"

namespace coco::api::json {

nlohmann::json SupplierJson(const domain::Supplier& supplier);
domain::NewSupplier ReadNewSupplier(const Request& request);
domain::SupplierPatch ReadSupplierPatch(const Request& request);

}  // namespace coco::api::json
