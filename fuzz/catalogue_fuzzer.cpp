// Catalogue files (app/catalogue_files.hpp): JSON checked against the catalogue JSON Schema,
// then the applies_when expressions and the catalogue rules.
//   - ParseCatalogueFile returns or throws domain::Error kInvalidArgument "invalid_catalogue"
//     with at least one detail; anything else is a finding;
//   - a file that parses, re-formatted (indented, keys reordered by nlohmann), parses to the same
//     standard: same key, version, requirement ids and content hash.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "app/catalogue_files.hpp"
#include "domain/common/error.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

// Not SHA-256 (the fuzz build links no OpenSSL), but as deterministic, which is all that is
// checked here.
class FakeHasher : public coco::domain::Hasher {
 public:
  std::string Sha256Hex(std::string_view bytes) const override {
    return std::to_string(std::hash<std::string_view>{}(bytes)) + ":" +
           std::to_string(bytes.size());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const FakeHasher hasher;
  std::optional<coco::domain::Standard> standard;
  try {
    standard = coco::app::ParseCatalogueFile("fuzz.json", text, hasher);
  } catch (const coco::domain::Error& error) {
    FUZZ_CHECK(error.kind() == coco::domain::ErrorKind::kInvalidArgument);
    FUZZ_CHECK(error.code() == "invalid_catalogue");
    FUZZ_CHECK(!error.details().empty());
    return 0;
  }
  const std::string reformatted = nlohmann::json::parse(text).dump(2);
  const auto again = coco::app::ParseCatalogueFile("fuzz.json", reformatted, hasher);
  FUZZ_CHECK(again.key == standard->key && again.version == standard->version);
  FUZZ_CHECK(again.content_sha256 == standard->content_sha256);
  FUZZ_CHECK(again.requirements.size() == standard->requirements.size());
  for (std::size_t i = 0; i < again.requirements.size(); ++i) {
    FUZZ_CHECK(again.requirements[i].id == standard->requirements[i].id);
  }
  return 0;
}
