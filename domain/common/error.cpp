#include "domain/common/error.hpp"

namespace coco::domain {

Error::Error(ErrorKind kind, std::string code, std::string message)
    : kind_(kind), code_(std::move(code)), message_(std::move(message)) {}

Error& Error::WithDetail(ErrorDetail detail) {
  details_.push_back(std::move(detail));
  return *this;
}

Error& Error::WithDetails(std::vector<ErrorDetail> details) {
  for (auto& detail : details) details_.push_back(std::move(detail));
  return *this;
}

Error& Error::WithField(std::string name, std::string value) {
  fields_.push_back({std::move(name), {std::move(value)}, false});
  return *this;
}

Error& Error::WithList(std::string name, std::vector<std::string> values) {
  fields_.push_back({std::move(name), std::move(values), true});
  return *this;
}

Error Malformed(std::string message, std::string code) {
  return Error(ErrorKind::kMalformed, std::move(code), std::move(message));
}
Error InvalidArgument(std::string message, std::string code) {
  return Error(ErrorKind::kInvalidArgument, std::move(code), std::move(message));
}
Error NotFound(std::string message, std::string code) {
  return Error(ErrorKind::kNotFound, std::move(code), std::move(message));
}
Error AlreadyExists(std::string message, std::string code) {
  return Error(ErrorKind::kAlreadyExists, std::move(code), std::move(message));
}
Error FailedPrecondition(std::string message, std::string code) {
  return Error(ErrorKind::kFailedPrecondition, std::move(code), std::move(message));
}
Error Conflict(std::string message, std::string code) {
  return Error(ErrorKind::kConflict, std::move(code), std::move(message));
}
Error StaleVersion(long long current_version) {
  return Error(ErrorKind::kVersionMismatch, "precondition_failed",
               "the object changed since you read it (If-Match does not match); read it again")
      .WithField("current_etag", "\"" + std::to_string(current_version) + "\"");
}
Error PermissionDenied(std::string message, std::string code) {
  return Error(ErrorKind::kPermissionDenied, std::move(code), std::move(message));
}
Error Unauthenticated(std::string message, std::string code) {
  return Error(ErrorKind::kUnauthenticated, std::move(code), std::move(message));
}
Error PayloadTooLarge(std::string message, std::string code) {
  return Error(ErrorKind::kPayloadTooLarge, std::move(code), std::move(message));
}
Error RateLimited(std::string message, std::string code) {
  return Error(ErrorKind::kRateLimited, std::move(code), std::move(message));
}
Error Unavailable(std::string message, std::string code) {
  return Error(ErrorKind::kUnavailable, std::move(code), std::move(message));
}
Error Internal(std::string message, std::string code) {
  return Error(ErrorKind::kInternal, std::move(code), std::move(message));
}

std::string_view ToString(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kMalformed:
      return "malformed";
    case ErrorKind::kInvalidArgument:
      return "invalid_argument";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kAlreadyExists:
      return "already_exists";
    case ErrorKind::kFailedPrecondition:
      return "failed_precondition";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kVersionMismatch:
      return "version_mismatch";
    case ErrorKind::kPermissionDenied:
      return "permission_denied";
    case ErrorKind::kUnauthenticated:
      return "unauthenticated";
    case ErrorKind::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorKind::kRateLimited:
      return "rate_limited";
    case ErrorKind::kUnavailable:
      return "unavailable";
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace coco::domain
