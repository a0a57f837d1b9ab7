#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coco::domain {

enum class Classification { kOfficial, kOfficialSensitive };
enum class OffshoreActivity { kHosting, kSupport, kDevelopment, kProcessing };

std::optional<Classification> TryParseClassification(std::string_view text);
std::string_view ToString(Classification classification);
std::optional<OffshoreActivity> TryParseOffshoreActivity(std::string_view text);
std::string_view ToString(OffshoreActivity activity);

struct OffshoreEntry {
  std::string country;  // ISO 3166-1 alpha-2
  OffshoreActivity activity;

  friend bool operator==(const OffshoreEntry&, const OffshoreEntry&) = default;
};

// What a service is and does, as far as the standards care (DESIGN.md §2). The field names are
// the ones the catalogue's applies_when expressions use.
struct ScopeProfile {
  Classification classification = Classification::kOfficial;
  bool connects_to_network = false;
  bool personal_data = false;
  std::vector<OffshoreEntry> offshore;  // empty: everything happens in the UK
  bool hmg_crypto = false;
  bool operates_pki = false;

  bool IsOffshore() const { return !offshore.empty(); }
  bool HasOffshoreActivity(OffshoreActivity activity) const;

  friend bool operator==(const ScopeProfile&, const ScopeProfile&) = default;
};

}  // namespace coco::domain
