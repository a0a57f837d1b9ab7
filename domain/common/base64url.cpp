#include "domain/common/base64url.hpp"

namespace coco::domain {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

std::string Base64UrlEncode(std::string_view raw) {
  std::string out;
  out.reserve((raw.size() * 4 + 2) / 3);
  unsigned value = 0;
  int bits = 0;
  for (unsigned char c : raw) {
    value = ((value << 8) | c) & 0xffffu;
    bits += 8;
    while (bits >= 6) {
      out.push_back(kAlphabet[(value >> (bits - 6)) & 63]);
      bits -= 6;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(value << (6 - bits)) & 63]);
  return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  unsigned value = 0;
  int bits = 0;
  for (char c : text) {
    const auto found = kAlphabet.find(c);
    if (found == std::string_view::npos) return std::nullopt;
    value = ((value << 6) | static_cast<unsigned>(found)) & 0xffffu;
    bits += 6;
    if (bits >= 8) {
      out.push_back(static_cast<char>((value >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

}  // namespace coco::domain
