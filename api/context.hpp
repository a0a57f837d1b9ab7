#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "api/http.hpp"
#include "domain/audit/audit.hpp"
#include "domain/common/parsed.hpp"

namespace coco::api {

// The authenticated caller of a request, as the domain's use cases take it.
domain::Actor ActorOf(const Request& request);

// Reads a request into a typed value at the edge, letting no problem escape: the use case it is
// handed to authorises its caller first and only then asks for the value (domain::Parsed), so a
// caller who may not act is refused before anything it sent is judged.
template <typename Read>
auto Parse(Read&& read) -> domain::Parsed<std::decay_t<std::invoke_result_t<Read&>>> {
  using Value = std::decay_t<std::invoke_result_t<Read&>>;
  try {
    return domain::Parsed<Value>(read());
  } catch (...) {
    return domain::Parsed<Value>::Unreadable(std::current_exception());
  }
}

// `"<version>"`: the ETag of a versioned object.
std::string EntityTag(long long version);

// The version named by If-Match, if the header is present. `*` means any (nullopt). Anything
// that is not one of our tags is a stale tag (412), since it cannot match.
std::optional<long long> IfMatchVersion(const Request& request);

}  // namespace coco::api
