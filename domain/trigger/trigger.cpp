#include "domain/trigger/trigger.hpp"

#include <array>
#include <utility>

#include "domain/common/names.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<TriggerKind, std::string_view>, 6> kTriggerKinds{{
    {TriggerKind::kIncident, "incident"},
    {TriggerKind::kMajorChange, "major_change"},
    {TriggerKind::kNewSubcontractor, "new_subcontractor"},
    {TriggerKind::kNewOffshoreLocation, "new_offshore_location"},
    {TriggerKind::kCertificateRevoked, "certificate_revoked"},
    {TriggerKind::kOther, "other"},
}};

}  // namespace

std::optional<TriggerKind> TryParseTriggerKind(std::string_view text) {
  return ValueIn<TriggerKind>(kTriggerKinds, text);
}
std::string_view ToString(TriggerKind kind) { return NameIn(kTriggerKinds, kind); }

std::vector<std::string> TriggerKindNames() { return NamesIn(kTriggerKinds); }

}  // namespace coco::domain
