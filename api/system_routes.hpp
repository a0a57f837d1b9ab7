#pragma once

#include <functional>

#include "api/metrics.hpp"
#include "api/router.hpp"

namespace coco::api {

struct SystemDependencies {
  // True when the database answers and the migrations are current (never throws).
  std::function<bool()> ready;
  Metrics* metrics = nullptr;
};

// /healthz, /readyz, /openapi.yaml, /docs, /docs/redoc.standalone.js (no token) and /metrics
// (admin).
void AddSystemRoutes(Router& router, SystemDependencies dependencies);

}  // namespace coco::api
