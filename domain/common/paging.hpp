#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/date.hpp"

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

// Lists ordered by a date (actions by due date, exceptions by expiry) key their pages by (days
// since 1970-01-01, id): the day goes where a time-ordered list keeps its microseconds.
long long DayPosition(Date date);

// A 422 (`invalid_query`, naming the cursor) when `page` starts after a position that cannot be a
// day: a cursor of a list ordered by time. Every date-ordered list checks its cursor here.
void RequireDayPosition(const PageRequest& page);

}  // namespace coco::domain
