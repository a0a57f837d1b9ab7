#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.hpp"

namespace coco::api {

// Addresses whose forwarding headers are believed (COCO_TRUSTED_PROXIES): the reverse proxies in
// front of coco. Each entry is an IPv4 or IPv6 address, optionally with a /prefix length.
class TrustedProxies {
 public:
  // Parses a comma-separated list; nullopt names nothing wrong but means the list is invalid.
  // An empty text trusts no one.
  static std::optional<TrustedProxies> Parse(std::string_view text);

  bool Contains(std::string_view address) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    std::array<unsigned char, 16> bytes{};  // IPv4 as an IPv4-mapped IPv6 address
    int prefix = 128;
  };
  std::vector<Network> networks_;
};

// The address a request came from, as throttling sees it. The peer address, unless the peer is a
// trusted proxy: then the right-most X-Forwarded-For entry that is not itself a trusted proxy
// (entries left of it could be forged by the client), else X-Real-IP, else the peer. Never empty:
// an unknown peer is "unknown".
std::string ClientAddress(const Request& request, const TrustedProxies& trusted);

}  // namespace coco::api
