#pragma once

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace coco::domain {

// The one error type of the domain and everything below the API. Pick the kind by what the caller
// can do about it:
//   kInvalidArgument     the request itself is wrong (bad field, bad date, unknown enum value);
//                        sending it again unchanged will fail again.
//   kNotFound            the object does not exist, or the caller may not know that it exists.
//   kAlreadyExists       a create collided with an existing object (unique key).
//   kFailedPrecondition  the request is well formed but the object is not in a state that allows
//                        it (a transition from the wrong state, an incomplete assessment).
//   kConflict            a concurrent change won (stale ETag, lost race); re-read and retry.
//   kPermissionDenied    the caller is known and may see the object, but may not do this.
//   kUnauthenticated     no valid credentials (missing, unknown, expired or revoked token).
//   kPayloadTooLarge     the request body is over the configured cap.
//   kUnavailable         a dependency (the database) is down or saturated; retry later.
//   kInternal            a bug or an unexpected failure; the message never reaches a client.
enum class ErrorKind {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kConflict,
  kPermissionDenied,
  kUnauthenticated,
  kPayloadTooLarge,
  kUnavailable,
  kInternal,
};

// One problem of many, for answers that list every problem at once (a failed validation names
// each field; a failed submit names each requirement).
struct ErrorDetail {
  std::string pointer;  // where: a JSON pointer ("/profile/offshore/0/country") or an id ("COCO-08")
  std::string code;     // stable machine-readable code ("required", "invalid_date")
  std::string detail;   // human-readable sentence, safe to show to the caller
  std::string requirement_id = {};  // set instead of `pointer` for a requirement's problem
};

// A named extra member of the problem document, e.g. {"current_state", {"draft"}} or
// {"allowed_actions", {"submit", "withdraw"}, list=true}.
struct ErrorField {
  std::string name;
  std::vector<std::string> values;
  bool list = false;
};

class Error : public std::exception {
 public:
  // `code` is the stable snake_case code clients switch on ("not_found", "scope_changed");
  // `message` is a sentence safe to show to the caller (never SQL, paths or secrets).
  Error(ErrorKind kind, std::string code, std::string message);

  ErrorKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<ErrorDetail>& details() const { return details_; }
  const std::vector<ErrorField>& fields() const { return fields_; }

  Error& WithDetail(ErrorDetail detail);
  Error& WithDetails(std::vector<ErrorDetail> details);
  Error& WithField(std::string name, std::string value);
  Error& WithList(std::string name, std::vector<std::string> values);

  const char* what() const noexcept override { return message_.c_str(); }

 private:
  ErrorKind kind_;
  std::string code_;
  std::string message_;
  std::vector<ErrorDetail> details_;
  std::vector<ErrorField> fields_;
};

// Shorthands for the common cases; each uses the kind's default code unless one is given.
Error InvalidArgument(std::string message, std::string code = "invalid_argument");
Error NotFound(std::string message, std::string code = "not_found");
Error AlreadyExists(std::string message, std::string code = "already_exists");
Error FailedPrecondition(std::string message, std::string code = "failed_precondition");
Error Conflict(std::string message, std::string code = "conflict");
Error PermissionDenied(std::string message, std::string code = "forbidden");
Error Unauthenticated(std::string message, std::string code = "unauthenticated");
Error PayloadTooLarge(std::string message, std::string code = "payload_too_large");
Error Unavailable(std::string message, std::string code = "unavailable");
Error Internal(std::string message, std::string code = "internal");

std::string_view ToString(ErrorKind kind);

}  // namespace coco::domain
