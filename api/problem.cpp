#include "api/problem.hpp"

#include <nlohmann/json.hpp>

namespace coco::api {
namespace {

std::string Title(int status) {
  const std::string_view phrase = ReasonPhrase(status);
  return std::string(phrase == "Unknown" ? ReasonPhrase(500) : phrase);
}

nlohmann::json ProblemBody(int status, std::string_view code, std::string_view detail,
                           const std::string& request_id) {
  return {
      {"type", "/problems/" + std::string(code)},
      {"title", Title(status)},
      {"status", status},
      {"detail", detail},
      {"code", code},
      {"request_id", request_id},
  };
}

Response ProblemOf(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  // Messages may quote caller input: never let invalid UTF-8 turn the answer into a failure.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

// "conditions[1].due_date" -> "conditions/1/due_date".
std::string Slashed(std::string_view field) {
  std::string path;
  for (const char c : field) {
    if (c == '.' || c == '[') {
      path.push_back('/');
    } else if (c != ']') {
      path.push_back(c);
    }
  }
  return path;
}

}  // namespace

std::string ProblemLocation(std::string_view field, const Request& request) {
  if (field.empty() || field.find('/') != std::string_view::npos) return std::string(field);
  const std::string root(field.substr(0, field.find_first_of(".[")));
  if (const auto located = request.field_locations.find(root);
      located != request.field_locations.end()) {
    return located->second + Slashed(field.substr(root.size()));
  }
  if (request.query.count(root) != 0) return "query/" + Slashed(field);
  return "/" + Slashed(field);
}

HttpRefusal& HttpRefusal::WithHeaderField(std::string header, std::string field,
                                          std::string value) {
  header_fields_.push_back({std::move(header), std::move(field), std::move(value)});
  return *this;
}

int HttpStatus(domain::ErrorKind kind) {
  switch (kind) {
    case domain::ErrorKind::kMalformed:
      return 400;
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
    case domain::ErrorKind::kVersionMismatch:
      return 412;
    case domain::ErrorKind::kPermissionDenied:
      return 403;
    case domain::ErrorKind::kUnauthenticated:
      return 401;
    case domain::ErrorKind::kPayloadTooLarge:
      return 413;
    case domain::ErrorKind::kRateLimited:
      return 429;
    case domain::ErrorKind::kUnavailable:
      return 503;
    case domain::ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

Response ProblemResponse(const domain::Error& error, const Request& request) {
  const std::string& request_id = request.request_id;
  const int status = HttpStatus(error.kind());
  const bool internal = error.kind() == domain::ErrorKind::kInternal;
  nlohmann::json body =
      internal ? ProblemBody(status, "internal",
                             "The server failed to handle this request; quote the request id when "
                             "reporting it.",
                             request_id)
               : ProblemBody(status, error.code(), error.message(), request_id);
  if (!internal) {
    if (!error.details().empty()) {
      nlohmann::json errors = nlohmann::json::array();
      for (const auto& detail : error.details()) {
        nlohmann::json item = {{"code", detail.code}, {"detail", detail.detail}};
        if (!detail.field.empty()) item["pointer"] = ProblemLocation(detail.field, request);
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
  Response response = ProblemOf(status, body);
  if (status == 401) response.WithHeader("WWW-Authenticate", "Bearer");
  return response;
}

Response ProblemResponse(const HttpRefusal& refusal, const std::string& request_id) {
  nlohmann::json body = ProblemBody(refusal.status_, refusal.code_, refusal.message_, request_id);
  for (const auto& item : refusal.header_fields_) body[item.field] = item.value;
  Response response = ProblemOf(refusal.status_, body);
  for (const auto& item : refusal.header_fields_) response.WithHeader(item.header, item.value);
  return response;
}

Response TransportProblem(int status, std::string_view code, std::string_view detail,
                          const std::string& request_id) {
  return ProblemOf(status, ProblemBody(status, code, detail, request_id));
}

}  // namespace coco::api
