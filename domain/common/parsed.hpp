#pragma once

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace coco::domain {

// What a handler read from a request: the typed value, or why it could not be read. A handler
// builds one without letting a problem escape; the use case that takes it authorises its caller
// first and asks for Value() only then. So a caller who may not act is refused (401, 403, 404)
// before anything it sent is judged (400, 415, 422), whatever the endpoint.
//
// The problems travel as they were raised: a domain::Error whose details name the fields, or a
// refusal that belongs to HTTP itself (an unsupported media type), which the domain only passes
// on.
template <typename T>
class Parsed {
 public:
  // A value read without problems. Implicit, so that a caller holding a plain value (a test, the
  // command line) passes it as it is.
  template <typename U, typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                                    !std::is_same_v<std::decay_t<U>, Parsed>>>
  Parsed(U&& value)
      : value_(std::in_place, std::forward<U>(value)) {}  // NOLINT(google-explicit-constructor)

  // A request that could not be read; `problems` is rethrown by Value().
  static Parsed Unreadable(std::exception_ptr problems) {
    Parsed parsed;
    parsed.problems_ = std::move(problems);
    return parsed;
  }

  bool ok() const { return problems_ == nullptr; }

  // The value; throws the problems when there were any.
  const T& Value() const {
    if (problems_ != nullptr) std::rethrow_exception(problems_);
    return *value_;
  }

 private:
  Parsed() = default;

  std::optional<T> value_;
  std::exception_ptr problems_;
};

}  // namespace coco::domain
