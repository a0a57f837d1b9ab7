#pragma once

#include "domain/common/ports.hpp"

namespace coco::security {

// Version 4 UUIDs from OpenSSL's RAND_bytes.
class OpensslIdGenerator final : public domain::IdGenerator {
 public:
  domain::Uuid NewId() override;
};

}  // namespace coco::security
