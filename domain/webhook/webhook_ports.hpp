#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The webhook machinery's ports to the outside: signing (security/, OpenSSL) and sending
// (outbound/, libcurl). Tests use fakes.
namespace coco::domain {

// The Standard Webhooks signature scheme.
class WebhookSigner {
 public:
  virtual ~WebhookSigner() = default;
  // A new secret, "whsec_" and the base64 of 32 random bytes.
  virtual std::string NewSecret() = 0;
  // "v1," and the base64 HMAC-SHA256, keyed by the secret's decoded bytes, of
  // "<id>.<timestamp>.<body>".
  virtual std::string Signature(std::string_view secret, std::string_view id,
                                std::string_view timestamp, std::string_view body) const = 0;
};

struct OutgoingRequest {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct SendResult {
  std::optional<int> status;  // the receiver's answer, absent when none came
  std::string error;          // why none came (refused address, timeout, connection)
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // POSTs every request at once, each bounded by the sender's timeout, never following a
  // redirect, never to an address the egress policy refuses; one result per request, in order.
  virtual std::vector<SendResult> SendAll(const std::vector<OutgoingRequest>& requests) = 0;
};

}  // namespace coco::domain
