// The Content-Digest header of an evidence upload (RFC 9530; api/evidence_routes.hpp).
//   - Sha256FromContentDigest returns nothing, or 64 lower-case hex digits, or throws
//     domain::Error kMalformed "invalid_digest" (a 400), nothing else;
//   - what it returns, written back with ContentDigest, parses to the same digest, also after
//     another algorithm's member;
//   - any 32 bytes written with ContentDigest parse back to their hex.
#include <string>
#include <string_view>

#include "api/evidence_routes.hpp"
#include "domain/common/error.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

std::string Hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

bool IsSha256Hex(const std::string& text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using coco::api::ContentDigest;
  using coco::api::Sha256FromContentDigest;
  const std::string_view header(reinterpret_cast<const char*>(data), size);

  std::optional<std::string> digest;
  try {
    digest = Sha256FromContentDigest(header);
  } catch (const coco::domain::Error& error) {
    FUZZ_CHECK(error.kind() == coco::domain::ErrorKind::kMalformed);
    FUZZ_CHECK(error.code() == "invalid_digest");
  }
  if (digest) {
    FUZZ_CHECK(IsSha256Hex(*digest));
    FUZZ_CHECK(Sha256FromContentDigest(ContentDigest(*digest)) == digest);
    FUZZ_CHECK(Sha256FromContentDigest("sha-512=:AAAA:, " + ContentDigest(*digest)) == digest);
  }

  if (size >= 32) {
    const std::string hex = Hex(header.substr(0, 32));
    FUZZ_CHECK(Sha256FromContentDigest(ContentDigest(hex)) == hex);
  }
  return 0;
}
