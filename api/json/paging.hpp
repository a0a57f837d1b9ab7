#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/http.hpp"
#include "domain/common/paging.hpp"

namespace coco::api::json {

// `limit` (1..200, default 50) and the opaque `cursor` of the previous page's `next_cursor`.
// A malformed cursor or limit is a 422 naming the parameter. Only a list keyed by two ids (the
// portfolio) passes `two_ids`: its cursors are refused everywhere else, and others' by it.
domain::PageRequest PageFromQuery(const Request& request, bool two_ids = false);

// {"items": [...], "next_cursor": "..." | null}
nlohmann::json PageJson(nlohmann::json items, const std::optional<domain::PagePosition>& next);

std::string EncodeCursor(const domain::PagePosition& position);
std::optional<domain::PagePosition> DecodeCursor(const std::string& cursor, bool two_ids = false);

}  // namespace coco::api::json
