#pragma once

#include "domain/common/ports.hpp"

namespace coco::security {

// The real clock. Release builds have no other.
class SystemClock final : public domain::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace coco::security
