#pragma once

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "domain/common/paging.hpp"

namespace coco::test {

// Microseconds since the epoch, as the pg repositories' keyset positions count time.
inline long long EpochMicros(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
}

// Keyset paging as the PostgreSQL repositories page: ascending by `key(item)` (a (micros, id)
// pair), a page starts after `page.after`, and `next` is set when more items follow.
template <typename T, typename Key>
domain::PageResult<T> KeysetPageBy(std::vector<T> items, const domain::PageRequest& page, Key key) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
  domain::PageResult<T> result;
  for (const auto& item : items) {
    const std::pair<long long, std::string> position = key(item);
    if (page.after && position <= std::pair(page.after->created_micros, page.after->id)) continue;
    if (static_cast<int>(result.items.size()) == page.limit) {
      const std::pair<long long, std::string> last = key(result.items.back());
      result.next = domain::PagePosition{last.first, last.second};
      break;
    }
    result.items.push_back(item);
  }
  return result;
}

// KeysetPageBy over (created_at, id): oldest first.
template <typename T, typename CreatedAt>
domain::PageResult<T> KeysetPageOf(std::vector<T> items, const domain::PageRequest& page,
                                   CreatedAt created_at) {
  return KeysetPageBy(std::move(items), page, [&](const T& item) {
    return std::pair<long long, std::string>(EpochMicros(created_at(item)), item.id.str());
  });
}

}  // namespace coco::test
