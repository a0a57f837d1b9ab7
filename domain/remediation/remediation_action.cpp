#include "domain/remediation/remediation_action.hpp"

#include <array>
#include <utility>

#include "domain/common/names.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<ActionState, std::string_view>, 3> kActionStates{{
    {ActionState::kOpen, "open"},
    {ActionState::kDone, "done"},
    {ActionState::kVerified, "verified"},
}};

}  // namespace

std::optional<ActionState> TryParseActionState(std::string_view text) {
  return ValueIn<ActionState>(kActionStates, text);
}
std::string_view ToString(ActionState state) { return NameIn(kActionStates, state); }

}  // namespace coco::domain
