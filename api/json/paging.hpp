#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "domain/common/paging.hpp"

namespace coco::api::json {

// What identifies a row after the cursor's time: a UUID (most lists), two UUIDs joined by a comma
// (the portfolio's supplier and service) or a row number (the status journal). A cursor of one
// kind is refused by a list of another, so no foreign id ever reaches a query.
enum class CursorKey { kUuid, kUuidPair, kRowNumber };

// `limit`, 1..200, or `default_limit` when absent; anything else is a 422 naming it. Every list
// and feed reads its limit here.
int LimitFromQuery(const Request& request, int default_limit);

// 1 to 18 decimal digits: a row id as the journal's cursors and the feeds' `after` carry it.
bool IsRowNumber(std::string_view text);

// `limit` (1..200, default 50) and the opaque `cursor` of the previous page's `next_cursor`.
// A malformed cursor or limit is a 422 naming the parameter.
domain::PageRequest PageFromQuery(const Request& request, CursorKey key = CursorKey::kUuid);

// {"items": [...], "next_cursor": "..." | null}
nlohmann::json PageJson(nlohmann::json items, const std::optional<domain::PagePosition>& next);

std::string EncodeCursor(const domain::PagePosition& position);
std::optional<domain::PagePosition> DecodeCursor(const std::string& cursor,
                                                 CursorKey key = CursorKey::kUuid);

}  // namespace coco::api::json
