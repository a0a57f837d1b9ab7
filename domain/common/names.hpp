#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The wire names of the domain's enums, kept in one table per enum: an array of
// {value, "name"} pairs. These read it both ways.
namespace coco::domain {

// The name of `value`; the first entry's name for a value the table lacks (never in practice:
// every table lists every value, and the enums' tests check the round trip).
template <typename Table, typename Value>
std::string_view NameIn(const Table& table, Value value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return table.front().second;
}

template <typename Value, typename Table>
std::optional<Value> ValueIn(const Table& table, std::string_view text) {
  for (const auto& [value, name] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <typename Table>
std::vector<std::string> NamesIn(const Table& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.second);
  return names;
}

}  // namespace coco::domain
