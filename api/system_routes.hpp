#pragma once

#include <functional>

#include "api/metrics.hpp"
#include "api/router.hpp"

namespace coco::api {

struct SystemDependencies {
  // True when the database answers and the migrations are current (never throws).
  std::function<bool()> ready;
  Metrics* metrics = nullptr;
  // True once the process was asked to stop: /readyz answers 503 at once so that load balancers
  // send no more work, while the requests in flight finish.
  std::function<bool()> stopping;
};

// /healthz, /readyz, /openapi.yaml, /docs, /docs/redoc.standalone.js (no token) and /metrics
// (admin).
void AddSystemRoutes(Router& router, SystemDependencies dependencies);

}  // namespace coco::api
