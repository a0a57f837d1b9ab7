#include "api/json/paging.hpp"

#include "domain/common/base64url.hpp"
#include "domain/common/error.hpp"
#include "domain/common/uuid.hpp"

namespace coco::api::json {
namespace {

[[noreturn]] void Invalid(const std::string& name, const std::string& detail) {
  throw domain::InvalidArgument(detail, "invalid_query")
      .WithDetail({"query/" + name, "invalid", detail});
}

bool IsCursorKey(const std::string& id, CursorKey key) {
  switch (key) {
    case CursorKey::kUuid:
      return domain::Uuid::IsValid(id);
    case CursorKey::kUuidPair: {
      const auto comma = id.find(',');
      return comma != std::string::npos && domain::Uuid::IsValid(id.substr(0, comma)) &&
             domain::Uuid::IsValid(id.substr(comma + 1));
    }
    case CursorKey::kRowNumber:
      return IsRowNumber(id);
  }
  return false;
}

}  // namespace

std::string EncodeCursor(const domain::PagePosition& position) {
  return domain::Base64UrlEncode(std::to_string(position.created_micros) + "|" + position.id);
}

std::optional<domain::PagePosition> DecodeCursor(const std::string& cursor, CursorKey key) {
  if (cursor.empty() || cursor.size() > 128) return std::nullopt;
  const auto raw = domain::Base64UrlDecode(cursor);
  if (!raw) return std::nullopt;
  const auto bar = raw->find('|');
  if (bar == std::string::npos || bar == 0 || bar > 16) return std::nullopt;
  const std::string micros = raw->substr(0, bar);
  const std::string id = raw->substr(bar + 1);
  for (char c : micros) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (!IsCursorKey(id, key)) return std::nullopt;
  return domain::PagePosition{std::stoll(micros), id};
}

bool IsRowNumber(std::string_view text) {
  return !text.empty() && text.size() <= 18 &&
         text.find_first_not_of("0123456789") == std::string_view::npos;
}

int LimitFromQuery(const Request& request, int default_limit) {
  const auto limit = request.Query("limit");
  if (!limit) return default_limit;
  const bool digits = !limit->empty() && limit->size() <= 3 &&
                      limit->find_first_not_of("0123456789") == std::string::npos;
  const int value = digits ? std::stoi(std::string(*limit)) : 0;
  if (value < 1 || value > domain::kMaxPageSize) Invalid("limit", "limit must be 1 to 200");
  return value;
}

domain::PageRequest PageFromQuery(const Request& request, CursorKey key) {
  domain::PageRequest page;
  page.limit = LimitFromQuery(request, page.limit);
  if (auto cursor = request.Query("cursor")) {
    page.after = DecodeCursor(*cursor, key);
    if (!page.after) Invalid("cursor", "cursor is not one this server gave out");
  }
  return page;
}

nlohmann::json PageJson(nlohmann::json items, const std::optional<domain::PagePosition>& next) {
  return {{"items", std::move(items)},
          {"next_cursor", next ? nlohmann::json(EncodeCursor(*next)) : nlohmann::json(nullptr)}};
}

}  // namespace coco::api::json
