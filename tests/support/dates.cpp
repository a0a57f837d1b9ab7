#include "tests/support/dates.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace coco::test {

std::chrono::sys_days TodayUtc() {
  return std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
}

domain::Date D(const char* text) { return domain::Date::Parse(text); }

std::string Format(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

std::chrono::sys_days ParseDay(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3) {
    throw std::runtime_error("bad date " + text);
  }
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok()) throw std::runtime_error("bad date " + text);
  return std::chrono::sys_days(ymd);
}

std::string Day(int days) { return Format(TodayUtc() + std::chrono::days(days)); }

std::string AddDays(const std::string& date, int days) {
  return Format(ParseDay(date) + std::chrono::days(days));
}

std::string MonthsLater(std::chrono::sys_days from, int months) {
  const std::chrono::year_month_day ymd(from);
  const auto target =
      std::chrono::year_month(ymd.year(), ymd.month()) + std::chrono::months(months);
  const auto last =
      std::chrono::year_month_day_last(target.year(), std::chrono::month_day_last(target.month()))
          .day();
  return Format(std::chrono::sys_days(
      std::chrono::year_month_day(target.year(), target.month(), std::min(ymd.day(), last))));
}

std::string DefaultValidUntil(std::chrono::sys_days today) { return MonthsLater(today, 12); }

}  // namespace coco::test
