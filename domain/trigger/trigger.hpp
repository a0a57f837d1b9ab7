#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessment/assessment.hpp"

// A reassessment trigger: an event on a service after which its approval no longer stands on its
// own (DESIGN.md §2).
namespace coco::domain {

struct TriggerIdTag {
  static constexpr std::string_view kWhat = "trigger id";
};
using TriggerId = Id<TriggerIdTag>;

enum class TriggerKind {
  kIncident,
  kMajorChange,
  kNewSubcontractor,
  kNewOffshoreLocation,
  kCertificateRevoked,
  kOther,
};
std::optional<TriggerKind> TryParseTriggerKind(std::string_view text);
std::string_view ToString(TriggerKind kind);
std::vector<std::string> TriggerKindNames();

struct Trigger {
  TriggerId id;
  ServiceId service_id;
  SupplierId supplier_id;
  TriggerKind kind = TriggerKind::kOther;
  Date occurred_on;
  std::string note;
  UserId recorded_by;
  std::chrono::system_clock::time_point recorded_at;
};

}  // namespace coco::domain
