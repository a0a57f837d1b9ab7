// base64url (RFC 4648 §5, no padding): the page cursors and the JWS parts.
//   - decode(x), when it succeeds, re-encodes to the canonical form of x: x itself, except that
//     unused low bits of the last character are zero in the canonical form;
//   - decode refuses exactly: a length of 4k+1, and any character outside the alphabet;
//   - decode(encode(raw)) == raw for any bytes, and encode's output is in the alphabet with the
//     length ceil(8n/6).
#include <string>
#include <string_view>

#include "domain/common/base64url.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using coco::domain::Base64UrlDecode;
  using coco::domain::Base64UrlEncode;

  const auto encoded = Base64UrlEncode(text);
  FUZZ_CHECK(encoded.size() == (size * 8 + 5) / 6);
  FUZZ_CHECK(encoded.find_first_not_of(kAlphabet) == std::string::npos);
  const auto back = Base64UrlDecode(encoded);
  FUZZ_CHECK(back.has_value() && *back == text);

  const auto decoded = Base64UrlDecode(text);
  const bool in_alphabet = text.find_first_not_of(kAlphabet) == std::string_view::npos;
  FUZZ_CHECK(decoded.has_value() == (in_alphabet && size % 4 != 1));
  if (decoded) {
    FUZZ_CHECK(decoded->size() == size * 6 / 8);
    const auto again = Base64UrlEncode(*decoded);
    FUZZ_CHECK(again.size() == size);
    // Equal up to the unused low bits of the last character (2 bits for 4k+3, 4 for 4k+2).
    if (size > 0) {
      FUZZ_CHECK(std::string_view(again).substr(0, size - 1) == text.substr(0, size - 1));
      const unsigned unused = size % 4 == 2 ? 4 : size % 4 == 3 ? 2 : 0;
      const auto value = [](char c) { return static_cast<unsigned>(kAlphabet.find(c)); };
      FUZZ_CHECK(value(again.back()) == (value(text.back()) >> unused << unused));
    }
  }
  return 0;
}
