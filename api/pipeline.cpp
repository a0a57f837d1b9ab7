#include "api/pipeline.hpp"

#include <chrono>
#include <random>

#include "api/logging.hpp"
#include "api/problem.hpp"
#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"

namespace coco::api {

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string MintRequestId() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id;
  id.reserve(32);
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = engine();
    for (int i = 0; i < 16; ++i, bits >>= 4) id.push_back(kDigits[bits & 0xf]);
  }
  return id;
}

std::string RequestFingerprint(const domain::Hasher& hasher, const Request& request) {
  std::string text;
  text += ToString(request.method);
  text += '\n';
  text += request.path;
  text += '\n';
  for (const auto& [name, value] : request.query) {
    text += std::to_string(name.size()) + ":" + name + "=" + std::to_string(value.size()) + ":" +
            value + "&";
  }
  text += '\n';
  text += request.Header("content-type").value_or("");
  text += '\n';
  text += request.Header("content-digest").value_or("");
  text += '\n';
  text += hasher.Sha256Hex(request.body);
  return hasher.Sha256Hex(text);
}

namespace {

// How long a claim whose response is not stored yet counts as "still being answered" (the first
// request is between its commit and storing its response). Older, the response is lost or was
// never kept.
constexpr std::chrono::seconds kClaimGrace{10};

bool SaysNoStore(const Response& response) {
  for (const auto& [name, value] : response.headers) {
    if (domain::AsciiLower(name) == "cache-control" &&
        domain::AsciiLower(value).find("no-store") != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

Pipeline::Pipeline(const Router& router, Authenticate authenticate, Metrics& metrics,
                   std::shared_ptr<spdlog::logger> logger, PipelineOptions options,
                   PipelineGuards guards)
    : router_(router),
      authenticate_(std::move(authenticate)),
      metrics_(metrics),
      logger_(std::move(logger)),
      options_(options),
      guards_(std::move(guards)) {}

Response Pipeline::HandleCreate(const Route& route, Request& request, std::string_view key) {
  if (!domain::IsValidIdempotencyKey(key)) {
    throw domain::Malformed("Idempotency-Key must be 1 to 255 visible ASCII characters",
                            "invalid_idempotency_key")
        .WithDetail({"header/idempotency-key", "invalid_idempotency_key",
                     "1 to 255 characters from ! to ~"});
  }
  const domain::Principal& caller = request.Caller();
  const std::string fingerprint = RequestFingerprint(*guards_.hasher, request);
  if (auto record = guards_.idempotency->Find(caller.user_id, key)) {
    if (record->fingerprint != fingerprint) {
      throw domain::InvalidArgument(
          "this Idempotency-Key was used for a different request in the last 24 hours; use a new "
          "key for a new request",
          "idempotency_key_reused");
    }
    if (record->response) {
      Response replay{record->response->status, record->response->content_type,
                      record->response->body, record->response->headers};
      replay.WithHeader("Idempotent-Replayed", "true");
      return replay;
    }
    if (!record->completed && std::chrono::system_clock::now() - record->created_at < kClaimGrace) {
      throw domain::Conflict(
          "the first request with this Idempotency-Key is still being answered; retry shortly",
          "idempotency_key_in_use");
    }
    domain::Error error = domain::FailedPrecondition(
        "the request with this Idempotency-Key already succeeded, but its response is not kept "
        "(it held a secret shown once, or was lost); nothing new was written",
        "idempotency_response_not_kept");
    if (record->entity) error.WithField("entity", *record->entity);
    if (record->entity_id) error.WithField("entity_id", *record->entity_id);
    throw error;
  }
  request.idempotency =
      domain::IdempotencyClaim{caller.user_id, std::string(key), fingerprint, MintRequestId()};
  Response response = route.handler(request);
  if (response.status >= 200 && response.status < 300) {
    try {
      guards_.idempotency->Complete(*request.idempotency,
                                    domain::StoredResponse{response.status, response.content_type,
                                                           response.headers, response.body},
                                    !SaysNoStore(response));
    } catch (const std::exception& error) {
      // The write is committed with its claim, so a retry still writes nothing; it will be told
      // the response is not kept. The caller gets this answer regardless.
      LogJson(*logger_, spdlog::level::warn, "idempotent response not stored",
              {{"request_id", request.request_id}, {"error", error.what()}});
    }
  }
  return response;
}

Response Pipeline::AuthenticationFailed(const Request& request, const domain::Error& error) {
  metrics_.CountAuthFailure();
  if (guards_.throttle != nullptr) {
    const std::string address = ClientAddress(request, guards_.trusted_proxies);
    if (const auto wait = guards_.throttle->RecordFailure(address, AuthThrottle::Clock::now())) {
      metrics_.CountAuthThrottled();
      Response response = ProblemResponse(
          domain::RateLimited("too many failed authentications from this address; retry after "
                              "the time in Retry-After",
                              "too_many_failed_authentications"),
          request);
      response.WithHeader("Retry-After", std::to_string(wait->count()));
      return response;
    }
  }
  return ProblemResponse(error, request);
}

Response Pipeline::Dispatch(Request& request) {
  for (const auto& [name, value] : request.query) {
    if (!IsCleanText(name) || !IsCleanText(value)) {
      throw domain::Malformed("query parameters must be UTF-8 text without NUL");
    }
  }
  Router::Match match = router_.Find(request.method, request.path);
  // Only raw-body routes (evidence) take bodies past the JSON cap; refuse the rest before
  // anything else looks at them.
  const bool raw_body = match.route != nullptr && match.route->body == Body::kRaw;
  if (!raw_body && request.body.size() > options_.max_json_bytes) {
    throw domain::PayloadTooLarge("a JSON body may be at most " +
                                  std::to_string(options_.max_json_bytes) + " bytes");
  }
  if (match.route == nullptr) {
    if (match.allowed.empty()) {
      throw domain::NotFound("no resource at this path");
    }
    std::string allow;
    for (Method method : match.allowed) {
      if (!allow.empty()) allow += ", ";
      allow += ToString(method);
    }
    throw HttpRefusal(
        405, "method_not_allowed",
        std::string(ToString(request.method)) + " is not supported here; use " + allow)
        .WithHeaderField("Allow", "allow", allow);
  }
  const Route& route = *match.route;
  request.route = route.pattern;
  request.path_params = std::move(match.params);

  if (route.access != Access::kPublic) {
    const auto authorization = request.Header("authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (!authorization || authorization->size() <= kScheme.size() ||
        authorization->substr(0, kScheme.size()) != kScheme) {
      throw domain::Unauthenticated("a bearer token is required (Authorization: Bearer ...)");
    }
    if (route.access == Access::kAuthenticated) {
      request.principal = authenticate_(authorization->substr(kScheme.size()));
    } else {
      request.bearer_secret = std::string(authorization->substr(kScheme.size()));
    }
  }
  if (route.creates == Creates::kYes && guards_.idempotency != nullptr) {
    if (const auto key = request.Header("idempotency-key")) {
      return HandleCreate(route, request, *key);
    }
  }
  return route.handler(request);
}

Response Pipeline::Handle(Request& request) noexcept {
  const auto started = std::chrono::steady_clock::now();
  Response response;
  try {
    const auto supplied = request.Header("x-request-id");
    request.request_id =
        supplied && IsValidRequestId(*supplied) ? std::string(*supplied) : MintRequestId();
    try {
      response = Dispatch(request);
    } catch (const domain::Error& error) {
      response = error.kind() == domain::ErrorKind::kUnauthenticated
                     ? AuthenticationFailed(request, error)
                     : ProblemResponse(error, request);
      if (error.kind() == domain::ErrorKind::kUnavailable ||
          error.code() == "idempotency_key_in_use") {
        response.WithHeader("Retry-After", "1");
      }
      if (error.kind() == domain::ErrorKind::kInternal) {
        LogJson(*logger_, spdlog::level::err, "internal error",
                {{"request_id", request.request_id}, {"error", error.message()}});
      }
    } catch (const HttpRefusal& refusal) {
      response = ProblemResponse(refusal, request.request_id);
    } catch (const std::exception& error) {
      response = ProblemResponse(domain::Internal(error.what()), request);
      LogJson(*logger_, spdlog::level::err, "unexpected exception",
              {{"request_id", request.request_id}, {"error", error.what()}});
    }
  } catch (...) {
    // Only reached if building the problem itself failed (out of memory): answer bare.
    response = Response{500,
                        "application/problem+json",
                        R"({"type":"/problems/internal","title":"Internal Server Error",)"
                        R"("status":500,"detail":"The server failed to handle this request.",)"
                        R"("code":"internal"})",
                        {}};
  }
  response.WithHeader("X-Request-Id", request.request_id);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  try {
    const std::string_view route =
        request.route.empty() ? std::string_view("unmatched") : std::string_view(request.route);
    metrics_.Observe(ToString(request.method), route, response.status, elapsed);
    // The fields are only built when the line will be written: at level warn a request costs
    // no JSON at all (it showed in the status read's profile).
    if (!logger_->should_log(spdlog::level::info)) return response;
    nlohmann::json fields = {
        {"request_id", request.request_id},
        {"method", ToString(request.method)},
        {"path", request.path},
        {"route", route},
        {"status", response.status},
        {"duration_ms", std::chrono::duration<double, std::milli>(elapsed).count()},
    };
    if (request.principal) fields["user_id"] = request.principal->user_id.str();
    LogJson(*logger_, spdlog::level::info, "request", std::move(fields));
  } catch (...) {
    // Logging and metrics must never turn an answer into a failure.
  }
  return response;
}

Response Pipeline::Refused(int status, std::string_view code, std::string_view detail,
                           std::string_view remote_address) noexcept {
  try {
    const std::string request_id = MintRequestId();
    Response response = TransportProblem(status, code, detail, request_id);
    response.WithHeader("X-Request-Id", request_id);
    try {
      metrics_.Observe("unknown", "unparsed", status, std::chrono::nanoseconds(0));
      LogJson(*logger_, spdlog::level::info, "request refused",
              {{"request_id", request_id},
               {"status", status},
               {"code", code},
               {"remote_address", remote_address}});
    } catch (...) {
      // Logging and metrics must never turn an answer into a failure.
    }
    return response;
  } catch (...) {
    return Response{status,
                    "application/problem+json",
                    R"({"type":"/problems/malformed_request","title":"Bad Request","status":)" +
                        std::to_string(status) + R"(,"code":"malformed_request"})",
                    {}};
  }
}

}  // namespace coco::api
