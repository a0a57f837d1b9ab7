#pragma once

#include <filesystem>

namespace coco::test {

// The standards catalogue the project ships (standards/ in the source tree), as `coco catalogue
// import` reads it.
inline std::filesystem::path ShippedStandards() {
  return std::filesystem::path(COCO_SOURCE_DIR) / "standards";
}

}  // namespace coco::test
