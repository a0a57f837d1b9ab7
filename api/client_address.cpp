#include "api/client_address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace coco::api {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// An address as 16 bytes (IPv4 mapped into IPv6), or nullopt when it is not an address.
std::optional<std::array<unsigned char, 16>> ParseAddress(std::string_view text, bool* ipv4) {
  std::array<unsigned char, 16> bytes{};
  const std::string copy(text);
  if (inet_pton(AF_INET6, copy.c_str(), bytes.data()) == 1) {
    if (ipv4 != nullptr) *ipv4 = false;
    return bytes;
  }
  unsigned char v4[4];
  if (inet_pton(AF_INET, copy.c_str(), v4) == 1) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, v4, 4);
    if (ipv4 != nullptr) *ipv4 = true;
    return bytes;
  }
  return std::nullopt;
}

}  // namespace

std::optional<TrustedProxies> TrustedProxies::Parse(std::string_view text) {
  TrustedProxies proxies;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    if (item.empty()) continue;
    Network network;
    std::string_view address = item;
    std::optional<int> prefix;
    if (const std::size_t slash = item.find('/'); slash != std::string_view::npos) {
      address = item.substr(0, slash);
      const std::string_view digits = item.substr(slash + 1);
      if (digits.empty() || digits.size() > 3 ||
          digits.find_first_not_of("0123456789") != std::string_view::npos) {
        return std::nullopt;
      }
      prefix = std::stoi(std::string(digits));
    }
    bool ipv4 = false;
    const auto bytes = ParseAddress(address, &ipv4);
    if (!bytes) return std::nullopt;
    network.bytes = *bytes;
    if (prefix) {
      if (*prefix > (ipv4 ? 32 : 128)) return std::nullopt;
      network.prefix = ipv4 ? *prefix + 96 : *prefix;
    }
    proxies.networks_.push_back(network);
  }
  return proxies;
}

bool TrustedProxies::Contains(std::string_view address) const {
  if (networks_.empty()) return false;
  const auto bytes = ParseAddress(Trim(address), nullptr);
  if (!bytes) return false;
  for (const Network& network : networks_) {
    int bits = network.prefix;
    bool match = true;
    for (std::size_t i = 0; i < 16 && bits > 0 && match; ++i, bits -= 8) {
      const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
      match = ((*bytes)[i] & mask) == (network.bytes[i] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string ClientAddress(const Request& request, const TrustedProxies& trusted) {
  const std::string peer = request.remote_address.empty() ? "unknown" : request.remote_address;
  if (!trusted.Contains(peer)) return peer;
  if (const auto forwarded = request.Header("x-forwarded-for")) {
    std::string_view list = *forwarded;
    while (!list.empty()) {
      const std::size_t comma = list.rfind(',');
      const std::string_view item =
          Trim(comma == std::string_view::npos ? list : list.substr(comma + 1));
      list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
      if (item.empty()) continue;
      // Anything that is not an address ends the walk: what lies left of it is not trustworthy.
      if (!ParseAddress(item, nullptr)) break;
      if (!trusted.Contains(item)) return std::string(item);
    }
  }
  if (const auto real = request.Header("x-real-ip")) {
    const std::string_view item = Trim(*real);
    if (ParseAddress(item, nullptr)) return std::string(item);
  }
  return peer;
}

}  // namespace coco::api
