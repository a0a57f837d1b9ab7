#include "domain/review/review.hpp"

#include <array>
#include <utility>

namespace coco::domain {
namespace {

constexpr std::array<std::pair<ActionState, std::string_view>, 3> kActionStates{{
    {ActionState::kOpen, "open"},
    {ActionState::kDone, "done"},
    {ActionState::kVerified, "verified"},
}};

constexpr std::array<std::pair<TriggerKind, std::string_view>, 6> kTriggerKinds{{
    {TriggerKind::kIncident, "incident"},
    {TriggerKind::kMajorChange, "major_change"},
    {TriggerKind::kNewSubcontractor, "new_subcontractor"},
    {TriggerKind::kNewOffshoreLocation, "new_offshore_location"},
    {TriggerKind::kCertificateRevoked, "certificate_revoked"},
    {TriggerKind::kOther, "other"},
}};

template <typename Table, typename Value>
std::string_view NameOf(const Table& table, Value value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return table.front().second;
}

template <typename Value, typename Table>
std::optional<Value> ValueOf(const Table& table, std::string_view text) {
  for (const auto& [value, name] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ActionState> TryParseActionState(std::string_view text) {
  return ValueOf<ActionState>(kActionStates, text);
}
std::string_view ToString(ActionState state) { return NameOf(kActionStates, state); }

std::optional<TriggerKind> TryParseTriggerKind(std::string_view text) {
  return ValueOf<TriggerKind>(kTriggerKinds, text);
}
std::string_view ToString(TriggerKind kind) { return NameOf(kTriggerKinds, kind); }

std::vector<std::string> TriggerKindNames() {
  std::vector<std::string> names;
  for (const auto& [kind, name] : kTriggerKinds) names.emplace_back(name);
  return names;
}

}  // namespace coco::domain
