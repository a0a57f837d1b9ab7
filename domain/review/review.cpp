#include "domain/review/review.hpp"

#include "domain/common/names.hpp"

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

}  // namespace

std::optional<ActionState> TryParseActionState(std::string_view text) {
  return ValueIn<ActionState>(kActionStates, text);
}
std::string_view ToString(ActionState state) { return NameIn(kActionStates, state); }

std::optional<TriggerKind> TryParseTriggerKind(std::string_view text) {
  return ValueIn<TriggerKind>(kTriggerKinds, text);
}
std::string_view ToString(TriggerKind kind) { return NameIn(kTriggerKinds, kind); }

std::vector<std::string> TriggerKindNames() { return NamesIn(kTriggerKinds); }

}  // namespace coco::domain
