#pragma once

#include <chrono>
#include <string>

#include "domain/common/date.hpp"

// Dates as the tests reckon them: calendar days in UTC, as the server reckons "today", written
// YYYY-MM-DD. The future is reached by naming a date (as_of, due dates), never by waiting.
namespace coco::test {

// Today in UTC.
std::chrono::sys_days TodayUtc();

// YYYY-MM-DD.
std::string Format(std::chrono::sys_days day);
// The day a YYYY-MM-DD text names; throws std::runtime_error on anything else.
std::chrono::sys_days ParseDay(const std::string& text);

// The date a YYYY-MM-DD text names, as the domain holds it; a single letter, because the domain's
// tests read as tables of dates.
domain::Date D(const char* text);

// Today plus `days` (negative for the past), as YYYY-MM-DD.
std::string Day(int days);
// `date` plus `days`, as YYYY-MM-DD.
std::string AddDays(const std::string& date, int days);
// The same day `months` later, clamped to the end of a shorter month (29 February plus twelve
// months is 28 February).
std::string MonthsLater(std::chrono::sys_days from, int months);
// The default valid_until of an approval decided on `today`: every standard reviews yearly, so
// the same day twelve months on (clamped). Also the last day a risk exception may expire on.
std::string DefaultValidUntil(std::chrono::sys_days today = TodayUtc());

}  // namespace coco::test
