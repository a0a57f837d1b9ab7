#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <spdlog/spdlog.h>
#include <string_view>

#include "api/http.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "domain/identity/principal.hpp"

namespace coco::api {

struct PipelineOptions {
  std::size_t max_json_bytes = 1 << 20;
};

// The one path every request takes, whatever the transport: request id, routing (404/405), the
// JSON body cap (413), bearer authentication (401), the handler, and one error wrapper that turns
// a domain error into problem+json and anything else into a bare 500 — so no exception text ever
// reaches Pistache, which would send it to the client. Then metrics and one log line.
class Pipeline {
 public:
  using Authenticate = std::function<domain::Principal(std::string_view secret)>;

  Pipeline(const Router& router, Authenticate authenticate, Metrics& metrics,
           std::shared_ptr<spdlog::logger> logger, PipelineOptions options);

  // Never throws.
  Response Handle(Request& request) noexcept;

  // The answer to a request the transport refused before it was whole (malformed, too large,
  // too slow): a problem+json with a new request id, counted and logged like any other answer.
  // Never throws.
  Response Refused(int status, std::string_view code, std::string_view detail,
                   std::string_view remote_address) noexcept;

 private:
  Response Dispatch(Request& request);

  const Router& router_;
  Authenticate authenticate_;
  Metrics& metrics_;
  std::shared_ptr<spdlog::logger> logger_;
  PipelineOptions options_;
};

// A caller-supplied X-Request-Id is kept when it is 1..128 characters of [A-Za-z0-9._:-];
// otherwise the server mints one.
bool IsValidRequestId(std::string_view id);
std::string MintRequestId();

}  // namespace coco::api
