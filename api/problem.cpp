#include "api/problem.hpp"

#include <nlohmann/json.hpp>

namespace coco::api {
namespace {

std::string Title(int status) {
  const std::string_view phrase = ReasonPhrase(status);
  return std::string(phrase == "Unknown" ? ReasonPhrase(500) : phrase);
}

}  // namespace

int HttpStatus(domain::ErrorKind kind) {
  switch (kind) {
    case domain::ErrorKind::kInvalidArgument:
      return 422;
    case domain::ErrorKind::kNotFound:
      return 404;
    case domain::ErrorKind::kAlreadyExists:
      return 409;
    case domain::ErrorKind::kFailedPrecondition:
      return 409;
    case domain::ErrorKind::kConflict:
      return 409;
    case domain::ErrorKind::kPermissionDenied:
      return 403;
    case domain::ErrorKind::kUnauthenticated:
      return 401;
    case domain::ErrorKind::kPayloadTooLarge:
      return 413;
    case domain::ErrorKind::kUnavailable:
      return 503;
    case domain::ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

Response ProblemResponse(const domain::Error& error, const std::string& request_id) {
  int status = HttpStatus(error.kind());
  // Codes that HTTP gives a status of their own.
  if (error.code() == "malformed_json" || error.code() == "malformed_request" ||
      error.code() == "empty_body" || error.code() == "digest_mismatch" ||
      error.code() == "invalid_digest" || error.code() == "invalid_idempotency_key") {
    status = 400;
  }
  if (error.code() == "precondition_failed") status = 412;
  if (error.code() == "method_not_allowed") status = 405;
  if (error.code() == "precondition_required") status = 428;
  if (error.code() == "unsupported_media_type") status = 415;
  if (error.code() == "too_many_failed_authentications") status = 429;

  const bool internal = error.kind() == domain::ErrorKind::kInternal;
  nlohmann::json body = {
      {"type", "/problems/" + (internal ? std::string("internal") : error.code())},
      {"title", Title(status)},
      {"status", status},
      {"detail", internal ? "The server failed to handle this request; quote the request id when "
                            "reporting it."
                          : error.message()},
      {"code", internal ? std::string("internal") : error.code()},
      {"request_id", request_id},
  };
  if (!internal) {
    if (!error.details().empty()) {
      nlohmann::json errors = nlohmann::json::array();
      for (const auto& detail : error.details()) {
        nlohmann::json item = {{"code", detail.code}, {"detail", detail.detail}};
        if (!detail.pointer.empty()) item["pointer"] = detail.pointer;
        if (!detail.requirement_id.empty()) item["requirement_id"] = detail.requirement_id;
        errors.push_back(std::move(item));
      }
      body["errors"] = std::move(errors);
    }
    for (const auto& field : error.fields()) {
      if (field.list) {
        body[field.name] = field.values;
      } else {
        body[field.name] = field.values.empty() ? std::string() : field.values.front();
      }
    }
  }
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  // Messages may quote caller input: never let invalid UTF-8 turn the answer into a failure.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (status == 401) response.WithHeader("WWW-Authenticate", "Bearer");
  return response;
}

Response TransportProblem(int status, std::string_view code, std::string_view detail,
                          const std::string& request_id) {
  const nlohmann::json body = {
      {"type", "/problems/" + std::string(code)},
      {"title", Title(status)},
      {"status", status},
      {"detail", detail},
      {"code", code},
      {"request_id", request_id},
  };
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = body.dump();
  return response;
}

}  // namespace coco::api
