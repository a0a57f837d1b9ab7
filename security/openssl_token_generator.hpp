#pragma once

#include "domain/common/ports.hpp"

namespace coco::security {

// Secrets of the form "coco_" + base64url(32 bytes from RAND_bytes): 256 bits, and a prefix that
// secret scanners and people can recognise.
class OpensslTokenGenerator final : public domain::TokenGenerator {
 public:
  std::string NewSecret() override;
};

std::string Base64Url(std::string_view raw);

}  // namespace coco::security
