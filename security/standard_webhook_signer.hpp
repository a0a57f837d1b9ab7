#pragma once

#include <string>
#include <string_view>

#include "domain/webhook/webhook_ports.hpp"

namespace coco::security {

// The Standard Webhooks scheme with OpenSSL: HMAC-SHA256 keyed by the base64-decoded part of a
// "whsec_" secret, over "<id>.<timestamp>.<body>", written "v1,<base64>".
class StandardWebhookSigner final : public domain::WebhookSigner {
 public:
  std::string NewSecret() override;
  std::string Signature(std::string_view secret, std::string_view id, std::string_view timestamp,
                        std::string_view body) const override;
};

// Standard (padded) base64, both ways; DecodeBase64 throws std::invalid_argument on bad input.
std::string EncodeBase64(std::string_view raw);
std::string DecodeBase64(std::string_view text);

}  // namespace coco::security
