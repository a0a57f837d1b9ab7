#include "api/system_routes.hpp"

#include <nlohmann/json.hpp>

#include "assets/assets.hpp"
#include "domain/common/error.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::api {
namespace {

Response Asset(std::string_view name, std::string content_type) {
  const auto bytes = assets::Find(name);
  if (!bytes) throw domain::Internal("asset missing from the build: " + std::string(name));
  Response response{200, std::move(content_type), std::string(*bytes), {}};
  response.WithHeader("Cache-Control", "no-cache");
  return response;
}

Response JsonStatus(int status, std::string_view state) {
  return Response{status, "application/json", nlohmann::json{{"status", state}}.dump(), {}};
}

}  // namespace

void AddSystemRoutes(Router& router, SystemDependencies dependencies) {
  router.Add(Method::kGet, "/healthz", Access::kPublic, Body::kNone,
             [](Request&) { return JsonStatus(200, "ok"); });

  router.Add(Method::kGet, "/readyz", Access::kPublic, Body::kNone,
             [ready = dependencies.ready, stopping = dependencies.stopping](Request& request) {
               if (stopping && stopping()) {
                 throw domain::Unavailable("the server is stopping", "stopping");
               }
               if (ready()) return JsonStatus(200, "ready");
               throw domain::Unavailable(
                   "the database is unreachable or its migrations are not current", "not_ready");
               (void)request;
             });

  router.Add(Method::kGet, "/openapi.yaml", Access::kPublic, Body::kNone,
             [](Request&) { return Asset("openapi.yaml", "application/yaml"); });

  router.Add(Method::kGet, "/docs", Access::kPublic, Body::kNone, [](Request&) {
    Response response = Asset("docs.html", "text/html; charset=utf-8");
    response.WithHeader("Content-Security-Policy",
                        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                        "img-src 'self' data:; worker-src 'self' blob:; font-src 'self' data:");
    return response;
  });

  router.Add(Method::kGet, "/docs/redoc.standalone.js", Access::kPublic, Body::kNone, [](Request&) {
    return Asset("redoc.standalone.js", "application/javascript; charset=utf-8");
  });

  router.Add(
      Method::kGet, "/metrics", Access::kAuthenticated, Body::kNone,
      [metrics = dependencies.metrics](Request& request) {
        domain::Authorize(request.Caller(), domain::Permission::kReadMetrics);
        return Response{200, "text/plain; version=0.0.4; charset=utf-8", metrics->Render(), {}};
      });
}

}  // namespace coco::api
