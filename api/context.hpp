#pragma once

#include <optional>
#include <string>

#include "api/http.hpp"
#include "domain/audit/audit.hpp"

namespace coco::api {

// The authenticated caller of a request, as the domain's use cases take it.
domain::Actor ActorOf(const Request& request);

// `"<version>"`: the ETag of a versioned object.
std::string EntityTag(long long version);

// The version named by If-Match, if the header is present. `*` means any (nullopt). Anything
// that is not one of our tags is a stale tag (412), since it cannot match.
std::optional<long long> IfMatchVersion(const Request& request);

}  // namespace coco::api
