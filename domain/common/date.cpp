#include "domain/common/date.hpp"

#include <cstdio>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

bool ParseDigits(std::string_view text, std::size_t from, std::size_t count, int& out) {
  int value = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

}  // namespace

Date Date::Parse(std::string_view text, std::string_view what) {
  auto invalid = [&] {
    return InvalidArgument(std::string(what) + " must be a date in the form YYYY-MM-DD",
                           "invalid_date");
  };
  int year = 0;
  int month = 0;
  int day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text, 0, 4, year) ||
      !ParseDigits(text, 5, 2, month) || !ParseDigits(text, 8, 2, day)) {
    throw invalid();
  }
  const std::chrono::year_month_day ymd{std::chrono::year(year),
                                        std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (year < 1900 || !ymd.ok()) throw invalid();
  return Date(ymd);
}

Date Date::FromYmd(int year, unsigned month, unsigned day) {
  const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                        std::chrono::day(day)};
  if (!ymd.ok()) throw InvalidArgument("not a calendar date", "invalid_date");
  return Date(ymd);
}

Date Date::FromDays(std::chrono::sys_days days) { return Date(days); }

Date Date::Of(std::chrono::system_clock::time_point at) {
  return FromDays(std::chrono::floor<std::chrono::days>(at));
}

Date Date::AddDays(int days) const { return Date(days_ + std::chrono::days(days)); }

Date Date::AddMonthsClamped(int months) const {
  const std::chrono::year_month_day civil = ymd();
  const std::chrono::year_month target =
      std::chrono::year_month(civil.year(), civil.month()) + std::chrono::months(months);
  const std::chrono::day last =
      std::chrono::year_month_day_last(target.year(), std::chrono::month_day_last(target.month()))
          .day();
  return Date(std::chrono::year_month_day(target.year(), target.month(),
                                          civil.day() > last ? last : civil.day()));
}

Date Date::EndOfMonth() const {
  const std::chrono::year_month_day civil = ymd();
  return Date(std::chrono::year_month_day(
      std::chrono::year_month_day_last(civil.year(), std::chrono::month_day_last(civil.month()))));
}

std::string Date::ToString() const {
  const std::chrono::year_month_day civil = ymd();
  const int signed_year = static_cast<int>(civil.year());
  const auto month = static_cast<unsigned>(civil.month());
  const auto day = static_cast<unsigned>(civil.day());
  if (signed_year < 0 || signed_year > 9999) {  // only reachable by arithmetic far from today
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", signed_year, month, day);
    return buffer;
  }
  const auto year = static_cast<unsigned>(signed_year);
  std::string text = "0000-00-00";
  text[0] = static_cast<char>('0' + year / 1000);
  text[1] = static_cast<char>('0' + year / 100 % 10);
  text[2] = static_cast<char>('0' + year / 10 % 10);
  text[3] = static_cast<char>('0' + year % 10);
  text[5] = static_cast<char>('0' + month / 10);
  text[6] = static_cast<char>('0' + month % 10);
  text[8] = static_cast<char>('0' + day / 10);
  text[9] = static_cast<char>('0' + day % 10);
  return text;
}

std::string FormatTimestamp(std::chrono::system_clock::time_point at) {
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss time(std::chrono::floor<std::chrono::microseconds>(at - day));
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%06ldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<long>(time.subseconds().count()));
  return buffer;
}

std::optional<std::chrono::system_clock::time_point> ParseTimestamp(std::string_view text) {
  constexpr int kLastInstantYear = 2261;
  const auto digits = [&](std::size_t at, std::size_t count) -> std::optional<int> {
    if (at + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() < 20 || text.size() > 40) return std::nullopt;
  std::optional<Date> date;
  try {
    date = Date::Parse(text.substr(0, 10));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  // Instants are held in nanoseconds, which end in 2262.
  if (date->year() > kLastInstantYear) return std::nullopt;
  if (text[10] != 'T' && text[10] != 't') return std::nullopt;
  const auto hours = digits(11, 2);
  const auto minutes = digits(14, 2);
  const auto seconds = digits(17, 2);
  if (!hours || !minutes || !seconds || text[13] != ':' || text[16] != ':' || *hours > 23 ||
      *minutes > 59 || *seconds > 59) {
    return std::nullopt;
  }
  std::size_t at = 19;
  long long micros = 0;
  if (at < text.size() && text[at] == '.') {
    std::size_t count = 0;
    long long scale = 100000;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, ++count) {
      micros += (text[at] - '0') * scale;
      scale /= 10;
    }
    if (count == 0 || count > 9) return std::nullopt;
  }
  if (at >= text.size()) return std::nullopt;
  int offset_minutes = 0;
  if (text[at] == 'Z' || text[at] == 'z') {
    ++at;
  } else if (text[at] == '+' || text[at] == '-') {
    const auto oh = digits(at + 1, 2);
    const auto om = digits(at + 4, 2);
    if (!oh || !om || at + 3 >= text.size() || text[at + 3] != ':' || *oh > 23 || *om > 59) {
      return std::nullopt;
    }
    offset_minutes = (text[at] == '+' ? 1 : -1) * (*oh * 60 + *om);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  const auto instant = std::chrono::system_clock::time_point(date->days()) +
                       std::chrono::hours(*hours) +
                       std::chrono::minutes(*minutes - offset_minutes) +
                       std::chrono::seconds(*seconds) + std::chrono::microseconds(micros);
  // An offset may carry the instant out of the years allowed.
  const int year = Date::Of(instant).year();
  if (year < 1900 || year > kLastInstantYear) return std::nullopt;
  return instant;
}

}  // namespace coco::domain
