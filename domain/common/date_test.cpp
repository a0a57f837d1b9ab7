#include "domain/common/date.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

TEST(DateTest, ParsesAndFormatsIsoDates) {
  EXPECT_EQ(Date::Parse("2026-11-22").ToString(), "2026-11-22");
  EXPECT_EQ(Date::Parse("2028-02-29").ToString(), "2028-02-29");
}

// Every day from 1900 to 2400 prints as the civil calendar says and parses back to itself:
// dates are kept as a day count, so printing converts.
TEST(DateTest, EveryDayPrintsAndParsesBackToItself) {
  const std::chrono::sys_days first = std::chrono::year(1900) / 1 / 1;
  const std::chrono::sys_days last = std::chrono::year(2400) / 12 / 31;
  for (auto day = first; day <= last; day += std::chrono::days(1)) {
    const std::chrono::year_month_day ymd(day);
    char expected[16];
    std::snprintf(expected, sizeof expected, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    const Date date = Date::FromDays(day);
    ASSERT_EQ(date.ToString(), expected);
    ASSERT_EQ(Date::Parse(expected), date);
    ASSERT_EQ(date.year(), static_cast<int>(ymd.year()));
    ASSERT_EQ(date.month(), static_cast<unsigned>(ymd.month()));
    ASSERT_EQ(date.day(), static_cast<unsigned>(ymd.day()));
  }
}

TEST(DateTest, YearsPastFourDigitsStillPrint) {
  const std::chrono::sys_days far = std::chrono::year(10000) / 1 / 1;
  EXPECT_EQ(Date::FromDays(far).ToString(), "10000-01-01");
  EXPECT_EQ(Date::FromDays(far).AddDays(-1).ToString(), "9999-12-31");
}

TEST(DateTest, RejectsAnythingButAStrictRealDate) {
  for (const char* bad :
       {"", "2026-1-22", "2026/11/22", "2026-11-22T00:00:00Z", "2026-13-01", "2026-02-29",
        "2026-04-31", "20261122", "1899-12-31", " 2026-11-22", "2026-11-2x", "abcd-ef-gh"}) {
    try {
      Date::Parse(bad, "due_date");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidArgument) << bad;
      EXPECT_EQ(error.code(), "invalid_date");
      EXPECT_NE(error.message().find("due_date"), std::string::npos);
    }
  }
}

TEST(DateTest, AddsDaysAcrossMonthsAndYears) {
  EXPECT_EQ(Date::Parse("2026-12-31").AddDays(1).ToString(), "2027-01-01");
  EXPECT_EQ(Date::Parse("2026-03-01").AddDays(-1).ToString(), "2026-02-28");
  EXPECT_EQ(Date::Parse("2026-11-22").AddDays(30).ToString(), "2026-12-22");
}

TEST(DateTest, AddMonthsClampsToTheEndOfShorterMonths) {
  EXPECT_EQ(Date::Parse("2026-01-31").AddMonthsClamped(1).ToString(), "2026-02-28");
  EXPECT_EQ(Date::Parse("2028-01-31").AddMonthsClamped(1).ToString(), "2028-02-29");
  EXPECT_EQ(Date::Parse("2026-11-22").AddMonthsClamped(12).ToString(), "2027-11-22");
  EXPECT_EQ(Date::Parse("2026-08-31").AddMonthsClamped(-2).ToString(), "2026-06-30");
  EXPECT_EQ(Date::Parse("2026-11-22").EndOfMonth().ToString(), "2026-11-30");
}

TEST(DateTest, OrdersChronologically) {
  EXPECT_LT(Date::Parse("2026-11-22"), Date::Parse("2026-11-23"));
  EXPECT_EQ(Date::Parse("2026-11-22"), Date::FromYmd(2026, 11, 22));
}

TEST(DateTest, TodayIsTheUtcDateOfAnInstant) {
  using namespace std::chrono;
  const auto late = sys_days(year(2026) / 11 / 22) + hours(23) + minutes(59);
  EXPECT_EQ(Date::Of(late).ToString(), "2026-11-22");
  EXPECT_EQ(Date::Of(late + minutes(1)).ToString(), "2026-11-23");
}

TEST(DateTest, FormatsTimestampsAsRfc3339Utc) {
  using namespace std::chrono;
  const auto at =
      sys_days(year(2026) / 1 / 2) + hours(3) + minutes(4) + seconds(5) + microseconds(6);
  EXPECT_EQ(FormatTimestamp(at), "2026-01-02T03:04:05.000006Z");
}

TEST(TimestampTest, ParsesRfc3339AndRefusesTheRest) {
  const auto at = [](const char* text) { return ParseTimestamp(text); };
  ASSERT_TRUE(at("2026-03-03T09:30:00Z"));
  EXPECT_EQ(FormatTimestamp(*at("2026-03-03T09:30:00Z")), "2026-03-03T09:30:00.000000Z");
  EXPECT_EQ(FormatTimestamp(*at("2026-03-03T10:30:00.5+01:00")), "2026-03-03T09:30:00.500000Z");
  EXPECT_EQ(FormatTimestamp(*at("2026-03-03t00:15:00.123456789-00:30")),
            "2026-03-03T00:45:00.123456Z");
  EXPECT_EQ(FormatTimestamp(*at("2026-03-01T00:30:00+01:00")), "2026-02-28T23:30:00.000000Z");
  for (const char* bad :
       {"2026-03-03", "2026-03-03T09:30:00", "2026-03-03 09:30:00Z", "2026-02-30T09:30:00Z",
        "2026-03-03T24:00:00Z", "2026-03-03T09:60:00Z", "2026-03-03T09:30:60Z",
        "2026-03-03T09:30:00.Z", "2026-03-03T09:30:00.1234567890Z", "2026-03-03T09:30:00+24:00",
        "2026-03-03T09:30:00+0100", "2026-03-03T09:30:00Zjunk", "2026-03-03T9:30:00Z", "",
        "1900-01-01T00:30:00+01:00", "2261-12-31T23:30:00-01:00", "9999-01-01T00:00:00Z"}) {
    EXPECT_FALSE(at(bad)) << bad;
  }
}

}  // namespace
}  // namespace coco::domain
