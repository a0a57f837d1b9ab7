#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/http.hpp"
#include "domain/common/paging.hpp"

namespace coco::api::json {

// `limit` (1..200, default 50) and the opaque `cursor` of the previous page's `next_cursor`.
// A malformed cursor or limit is a 422 naming the parameter.
domain::PageRequest PageFromQuery(const Request& request);

// {"items": [...], "next_cursor": "..." | null}
nlohmann::json PageJson(nlohmann::json items, const std::optional<domain::PagePosition>& next);

std::string EncodeCursor(const domain::PagePosition& position);
std::optional<domain::PagePosition> DecodeCursor(const std::string& cursor);

}  // namespace coco::api::json
