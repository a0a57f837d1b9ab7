#include "domain/common/paging.hpp"

#include "domain/common/error.hpp"

namespace coco::domain {

long long DayPosition(Date date) { return date.days().time_since_epoch().count(); }

void RequireDayPosition(const PageRequest& page) {
  // Days from 1970 fit well inside ±3,000,000 (about 8,000 years); a time in microseconds since
  // 1970 is out of that range for any moment after 1970-01-01T00:00:03.
  constexpr long long kFirstDay = -1000000;
  constexpr long long kLastDay = 3000000;
  if (!page.after) return;
  const long long key = page.after->created_micros;
  if (key < kFirstDay || key > kLastDay) {
    throw InvalidArgument("cursor is not one this server gave out", "invalid_query")
        .WithDetail({"cursor", "invalid", "cursor is not one this server gave out"});
  }
}

}  // namespace coco::domain
