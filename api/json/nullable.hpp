#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/date.hpp"

// Optional values as JSON: the value, or null (every documented field is always present).
namespace coco::api::json {

template <typename T, typename Convert>
nlohmann::json OrNull(const std::optional<T>& value, Convert convert) {
  return value ? nlohmann::json(convert(*value)) : nlohmann::json(nullptr);
}

inline nlohmann::json TextOrNull(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

inline nlohmann::json DateOrNull(const std::optional<domain::Date>& date) {
  return date ? nlohmann::json(date->ToString()) : nlohmann::json(nullptr);
}

inline nlohmann::json TimeOrNull(const std::optional<std::chrono::system_clock::time_point>& at) {
  return at ? nlohmann::json(domain::FormatTimestamp(*at)) : nlohmann::json(nullptr);
}

// Any of the domain's Id<Tag> types.
template <typename IdType>
nlohmann::json IdOrNull(const std::optional<IdType>& id) {
  return id ? nlohmann::json(id->str()) : nlohmann::json(nullptr);
}

template <typename IdType>
nlohmann::json IdList(const std::vector<IdType>& ids) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& id : ids) list.push_back(id.str());
  return list;
}

}  // namespace coco::api::json
