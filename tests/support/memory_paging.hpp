#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

#include "domain/common/paging.hpp"

namespace coco::test {

// Keyset paging over (created_at, id) as the PostgreSQL repositories page: oldest first, a page
// starts after `page.after`, and `next` is set when more items follow.
template <typename T, typename CreatedAt>
domain::PageResult<T> KeysetPageOf(std::vector<T> items, const domain::PageRequest& page,
                                   CreatedAt created_at) {
  auto key = [&](const T& item) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(created_at(item).time_since_epoch())
            .count();
    return std::pair<long long, std::string>(micros, item.id.str());
  };
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
  domain::PageResult<T> result;
  for (const auto& item : items) {
    const auto position = key(item);
    if (page.after && position <= std::pair(page.after->created_micros, page.after->id)) continue;
    if (static_cast<int>(result.items.size()) == page.limit) {
      const auto last = key(result.items.back());
      result.next = domain::PagePosition{last.first, last.second};
      break;
    }
    result.items.push_back(item);
  }
  return result;
}

}  // namespace coco::test
