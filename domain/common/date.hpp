#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace coco::domain {

// A calendar date (UTC civil date), as in "valid until 2027-11-30". Built only through Parse or
// FromYmd, so holding one proves it is a real day of the proleptic Gregorian calendar.
class Date {
 public:
  // Strict "YYYY-MM-DD" (years 1900..9999); anything else is kInvalidArgument naming `what`.
  static Date Parse(std::string_view text, std::string_view what = "date");
  static Date FromYmd(int year, unsigned month, unsigned day);
  static Date FromDays(std::chrono::sys_days days);
  // The UTC date of a point in time.
  static Date Of(std::chrono::system_clock::time_point at);

  int year() const { return static_cast<int>(ymd().year()); }
  unsigned month() const { return static_cast<unsigned>(ymd().month()); }
  unsigned day() const { return static_cast<unsigned>(ymd().day()); }
  std::chrono::sys_days days() const { return days_; }

  Date AddDays(int days) const;
  // Adds calendar months; a day past the end of the target month is clamped to its last day
  // (2026-01-31 + 1 month = 2026-02-28).
  Date AddMonthsClamped(int months) const;
  // The last day of this date's month.
  Date EndOfMonth() const;

  std::string ToString() const;

  friend bool operator==(const Date& a, const Date& b) { return a.days() == b.days(); }
  friend std::strong_ordering operator<=>(const Date& a, const Date& b) {
    return a.days() <=> b.days();
  }

 private:
  explicit Date(std::chrono::year_month_day ymd) : days_(ymd) {}
  explicit Date(std::chrono::sys_days days) : days_(days) {}
  std::chrono::year_month_day ymd() const { return std::chrono::year_month_day(days_); }
  // A day count rather than year/month/day: the status rules compare and add days far more
  // often than they print dates.
  std::chrono::sys_days days_;
};

// RFC 3339 UTC with microseconds, "2026-11-22T13:57:42.123456Z".
std::string FormatTimestamp(std::chrono::system_clock::time_point at);

// An RFC 3339 date-time ("2026-03-03T09:30:00Z", "2026-03-03T10:30:00.5+01:00"): a date of
// Date::Parse, "T", hours 00-23, minutes, seconds 00-59 (a leap second is refused), an optional
// fraction of up to 9 digits (kept to the microsecond), then "Z" or an offset of at most 23:59,
// in the years 1900 to 2261 (a system_clock instant ends in 2262). Absent for anything else.
std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text);

}  // namespace coco::domain
