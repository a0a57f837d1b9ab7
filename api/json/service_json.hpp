#pragma once

#include <nlohmann/json.hpp>

#include "api/http.hpp"
#include "domain/service/service.hpp"
#include "domain/service/service_service.hpp"

namespace coco::api::json {

nlohmann::json ServiceJson(const domain::Service& service);
nlohmann::json RequiredStandardJson(const domain::RequiredStandard& required);
domain::NewService ReadNewService(const Request& request);
domain::ServicePatch ReadServicePatch(const Request& request);

}  // namespace coco::api::json
