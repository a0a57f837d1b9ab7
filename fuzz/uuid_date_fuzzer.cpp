// UUIDs and dates, as read from paths, query strings and bodies.
//   - Uuid::IsValid agrees with Parse; Parse only ever throws domain::Error kInvalidArgument;
//     a parsed UUID is the input lower-cased, and parses again to itself;
//   - Date::Parse only ever throws domain::Error kInvalidArgument; a parsed date prints as the
//     input exactly (the form is strict), and print -> parse gives the same day; adding and
//     taking away days or months keeps a valid date;
//   - ParseTimestamp (the status's `at`) never throws; a parsed instant prints (RFC 3339 UTC)
//     as something that parses back to the same instant, whose day is a valid date.
#include <cctype>
#include <chrono>
#include <string>
#include <string_view>

#include "domain/common/date.hpp"
#include "domain/common/error.hpp"
#include "domain/common/uuid.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using coco::domain::Date;
using coco::domain::Error;
using coco::domain::ErrorKind;
using coco::domain::Uuid;

void CheckUuid(std::string_view text) {
  const bool valid = Uuid::IsValid(text);
  try {
    const Uuid uuid = Uuid::Parse(text, "fuzz id");
    FUZZ_CHECK(valid);
    FUZZ_CHECK(uuid.str().size() == 36);
    for (std::size_t i = 0; i < 36; ++i) {
      FUZZ_CHECK(uuid.str()[i] ==
                 static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
    }
    FUZZ_CHECK(Uuid::Parse(uuid.str()) == uuid);
  } catch (const Error& error) {
    FUZZ_CHECK(!valid);
    FUZZ_CHECK(error.kind() == ErrorKind::kInvalidArgument);
  }
}

void CheckDate(std::string_view text, int shift) {
  try {
    const Date date = Date::Parse(text, "fuzz date");
    const std::string printed = date.ToString();
    FUZZ_CHECK(printed == text);
    FUZZ_CHECK(Date::Parse(printed) == date);
    FUZZ_CHECK(Date::FromYmd(date.year(), date.month(), date.day()) == date);
    FUZZ_CHECK(date.AddDays(shift).AddDays(-shift) == date);
    const Date later = date.AddMonthsClamped(shift);
    FUZZ_CHECK(later.day() <= date.day());
    FUZZ_CHECK(Date::FromYmd(later.year(), later.month(), later.day()) == later);
    FUZZ_CHECK(date.EndOfMonth() >= date);
  } catch (const Error& error) {
    FUZZ_CHECK(error.kind() == ErrorKind::kInvalidArgument);
  }
}

void CheckTimestamp(std::string_view text) {
  const auto at = coco::domain::ParseTimestamp(text);
  if (!at) return;
  const std::string printed = coco::domain::FormatTimestamp(*at);
  const auto again = coco::domain::ParseTimestamp(printed);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == std::chrono::floor<std::chrono::microseconds>(*at));
  FUZZ_CHECK(Date::Parse(Date::Of(*at).ToString()) == Date::Of(*at));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  coco::fuzz::Bytes bytes(data, size);
  const int shift = static_cast<int>(bytes.Byte()) - 128;
  const std::string_view text = bytes.Rest();
  CheckUuid(text);
  CheckDate(text, shift);
  CheckTimestamp(text);
  return 0;
}
