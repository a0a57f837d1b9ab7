// applies_when expressions (catalogue files, domain/standard/applies_when.*).
//   - Parse only ever throws domain::Error kInvalidArgument "invalid_expression", whose message
//     names a 1-based position inside the text (or just past it);
//   - a parsed expression keeps its text, and evaluates on every scope profile;
//   - "(e)" means e, "!(e)" its negation, "(e) && (e)" and "(e) || (e)" e again, on every profile.
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/standard/applies_when.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using coco::domain::AppliesWhen;
using coco::domain::Classification;
using coco::domain::OffshoreActivity;
using coco::domain::ScopeProfile;

// 2 classifications x 5 offshore shapes x 2^4 flags.
std::vector<ScopeProfile> AllProfiles() {
  std::vector<ScopeProfile> profiles;
  const OffshoreActivity activities[] = {OffshoreActivity::kHosting, OffshoreActivity::kSupport,
                                         OffshoreActivity::kDevelopment,
                                         OffshoreActivity::kProcessing};
  for (int bits = 0; bits < 2 * 5 * 16; ++bits) {
    ScopeProfile profile;
    profile.classification =
        bits & 1 ? Classification::kOfficialSensitive : Classification::kOfficial;
    const int offshore = bits / 2 % 5;
    if (offshore > 0) profile.offshore.push_back({"IN", activities[offshore - 1]});
    const int flags = bits / 10;
    profile.connects_to_network = flags & 1;
    profile.personal_data = flags & 2;
    profile.hmg_crypto = flags & 4;
    profile.operates_pki = flags & 8;
    profiles.push_back(profile);
  }
  return profiles;
}

std::vector<bool> TruthTable(const AppliesWhen& expression) {
  static const std::vector<ScopeProfile> kProfiles = AllProfiles();
  std::vector<bool> table;
  table.reserve(kProfiles.size());
  for (const auto& profile : kProfiles) table.push_back(expression.Evaluate(profile));
  return table;
}

std::vector<bool> Negated(std::vector<bool> table) {
  table.flip();
  return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<AppliesWhen> parsed;
  try {
    parsed = AppliesWhen::Parse(text);
  } catch (const coco::domain::Error& error) {
    FUZZ_CHECK(error.kind() == coco::domain::ErrorKind::kInvalidArgument);
    FUZZ_CHECK(error.code() == "invalid_expression");
    const std::string& message = error.message();
    FUZZ_CHECK(message.rfind("at position ", 0) == 0);
    const std::size_t position = std::stoul(message.substr(12));
    FUZZ_CHECK(position >= 1 && position <= (size > 500 ? 501 : size + 1));
    return 0;
  }
  FUZZ_CHECK(parsed->text() == text);
  const auto table = TruthTable(*parsed);
  if (size > 240) return 0;  // the variants below must stay within the 500-character limit
  const std::string inner = "(" + std::string(text) + ")";
  FUZZ_CHECK(TruthTable(AppliesWhen::Parse(inner)) == table);
  FUZZ_CHECK(TruthTable(AppliesWhen::Parse("!" + inner)) == Negated(table));
  FUZZ_CHECK(TruthTable(AppliesWhen::Parse(inner + "&&" + inner)) == table);
  FUZZ_CHECK(TruthTable(AppliesWhen::Parse(inner + " || " + inner)) == table);
  return 0;
}
