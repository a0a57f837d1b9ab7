#pragma once

#include <optional>
#include <string_view>
#include <vector>

// Files compiled into the binary by cmake/embed.cmake: the migrations, the OpenAPI contract and
// the docs page. Each is found by its file name ("0001_identity.sql", "openapi.yaml").
namespace coco::assets {

struct Asset {
  std::string_view name;
  std::string_view bytes;
};

// Every embedded file, in the order CMake listed them (migrations sorted by name).
const std::vector<Asset>& All();

std::optional<std::string_view> Find(std::string_view name);

}  // namespace coco::assets
