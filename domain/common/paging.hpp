#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace coco::domain {

// Keyset paging over (created_at, id): a page starts after the position of the last item of the
// previous page. The API turns the position into an opaque cursor.
struct PagePosition {
  long long created_micros = 0;
  std::string id;
};

struct PageRequest {
  int limit = 50;  // 1..200
  std::optional<PagePosition> after;
};

template <typename T>
struct PageResult {
  std::vector<T> items;
  std::optional<PagePosition> next;  // set when more items may follow
};

inline constexpr int kMaxPageSize = 200;

}  // namespace coco::domain
