#pragma once

#include <spdlog/spdlog.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "api/auth_throttle.hpp"
#include "api/client_address.hpp"
#include "api/http.hpp"
#include "api/metrics.hpp"
#include "api/router.hpp"
#include "domain/common/error.hpp"
#include "domain/common/ports.hpp"
#include "domain/idempotency/idempotency.hpp"
#include "domain/identity/principal.hpp"

namespace coco::api {

struct PipelineOptions {
  std::size_t max_json_bytes = 1 << 20;
};

// Optional protections; a null member switches that protection off (unit tests of the pipeline).
struct PipelineGuards {
  // Failed authentications over the limit answer 429 instead of 401.
  AuthThrottle* throttle = nullptr;
  // Whose X-Forwarded-For / X-Real-IP names the client, for the throttle.
  TrustedProxies trusted_proxies;
  // Idempotency-Key on creating routes; both or neither.
  domain::IdempotencyStore* idempotency = nullptr;
  const domain::Hasher* hasher = nullptr;
};

// The one path every request takes, whatever the transport: request id, routing (404/405), the
// JSON body cap (413), bearer authentication (401), the handler, and one error wrapper that turns
// a domain error into problem+json and anything else into a bare 500 — so no exception text ever
// reaches Pistache, which would send it to the client. Then metrics and one log line.
// Authentication happens before throttling: a failed one is counted per client address and, over
// the limit, answered 429 with Retry-After; a valid token is never looked at by the throttle.
// On a creating route (Creates::kYes) an Idempotency-Key is checked before the handler runs:
// a completed earlier request with the same key and fingerprint is replayed without calling the
// handler; another fingerprint is 422 idempotency_key_reused; otherwise the handler runs with a
// claim its write commits, and a 2xx response is stored for later replays.
class Pipeline {
 public:
  using Authenticate = std::function<domain::Principal(std::string_view secret)>;

  Pipeline(const Router& router, Authenticate authenticate, Metrics& metrics,
           std::shared_ptr<spdlog::logger> logger, PipelineOptions options,
           PipelineGuards guards = {});

  // Never throws.
  Response Handle(Request& request) noexcept;

  // The answer to a request the transport refused before it was whole (malformed, too large,
  // too slow): a problem+json with a new request id, counted and logged like any other answer.
  // Never throws.
  Response Refused(int status, std::string_view code, std::string_view detail,
                   std::string_view remote_address) noexcept;

 private:
  Response Dispatch(Request& request);
  Response HandleCreate(const Route& route, Request& request, std::string_view key);
  Response AuthenticationFailed(const Request& request, const domain::Error& error);

  const Router& router_;
  Authenticate authenticate_;
  Metrics& metrics_;
  std::shared_ptr<spdlog::logger> logger_;
  PipelineOptions options_;
  PipelineGuards guards_;
};

// A caller-supplied X-Request-Id is kept when it is 1..128 characters of [A-Za-z0-9._:-];
// otherwise the server mints one.
bool IsValidRequestId(std::string_view id);
std::string MintRequestId();

// What makes two requests with one Idempotency-Key "the same": SHA-256 hex over the method, the
// path, the decoded query, the Content-Type and Content-Digest headers and the SHA-256 of the
// body (the evidence upload takes its filename, kind and dates in the query, its media type in
// Content-Type).
std::string RequestFingerprint(const domain::Hasher& hasher, const Request& request);

}  // namespace coco::api
