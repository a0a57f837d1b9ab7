#pragma once

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace coco::domain {

// The one error type of the domain and everything below the API. The kind alone decides the HTTP
// status (api/problem.cpp); the code tells callers which case of the kind they met. Pick the kind
// by what the caller can do about it:
//   kMalformed           the request cannot be read as sent: JSON that does not parse, a header
//                        or query value that is not text, an empty or corrupted upload (400).
//   kInvalidArgument     the request reads, but a value in it is wrong (a bad field, a date out
//                        of range, an unknown enum value); sending it again unchanged fails
//                        again (422).
//   kNotFound            the object does not exist, or the caller may not know that it exists
//                        (404).
//   kAlreadyExists       a create collided with an existing object: a unique key, an open
//                        assessment of the same standard, an exception that already covers the
//                        requirement (409).
//   kFailedPrecondition  the request is well formed but the object is not in a state that allows
//                        it: a transition from the wrong state, an action already verified, a
//                        scope that changed since the assessment began (409).
//   kConflict            a concurrent change won while this request ran (a lost race: the other
//                        claim, the serialization failure, the same Idempotency-Key in flight);
//                        re-read and decide again (409).
//   kVersionMismatch     the caller's If-Match names a version that is no longer current; the
//                        answer carries the current ETag (412).
//   kPermissionDenied    the caller is known and may see the object, but may not do this (403).
//   kUnauthenticated     no valid credentials: missing, unknown, expired or revoked token (401).
//   kPayloadTooLarge     the request body is over the configured cap (413).
//   kRateLimited         the caller's address made too many failed attempts; retry after the
//                        time the answer names (429).
//   kUnavailable         a dependency (the database) is down or saturated; retry later (503).
//   kInternal            a bug or an unexpected failure; the message never reaches a client
//                        (500).
// Statuses that belong to HTTP itself (405, 415, 428) never come from here: the api raises them.
enum class ErrorKind {
  kMalformed,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kConflict,
  kVersionMismatch,
  kPermissionDenied,
  kUnauthenticated,
  kPayloadTooLarge,
  kRateLimited,
  kUnavailable,
  kInternal,
};

// One problem of many, for answers that list every problem at once (a failed validation names
// each field; a failed submit names each requirement).
struct ErrorDetail {
  // Where. The domain names a field of the value it was given, with no idea of the transport:
  // "name", "conflicts[2]", "conditions[1].due_date". The api turns that into a location in the
  // request (a JSON pointer into the body, or a query parameter); a field the api writes itself
  // is that location already ("/profile/offshore/0/country", "query/level").
  std::string field;
  std::string code;                 // stable machine-readable code ("required", "invalid_date")
  std::string detail;               // human-readable sentence, safe to show to the caller
  std::string requirement_id = {};  // set instead of `field` for a requirement's problem
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
Error Malformed(std::string message, std::string code = "malformed_request");
Error InvalidArgument(std::string message, std::string code = "invalid_argument");
Error NotFound(std::string message, std::string code = "not_found");
Error AlreadyExists(std::string message, std::string code = "already_exists");
Error FailedPrecondition(std::string message, std::string code = "failed_precondition");
Error Conflict(std::string message, std::string code = "conflict");
// kVersionMismatch "precondition_failed" naming the current ETag: the caller's If-Match is stale.
Error StaleVersion(long long current_version);
Error PermissionDenied(std::string message, std::string code = "forbidden");
Error Unauthenticated(std::string message, std::string code = "unauthenticated");
Error PayloadTooLarge(std::string message, std::string code = "payload_too_large");
Error RateLimited(std::string message, std::string code = "rate_limited");
Error Unavailable(std::string message, std::string code = "unavailable");
Error Internal(std::string message, std::string code = "internal");

std::string_view ToString(ErrorKind kind);

}  // namespace coco::domain
