#pragma once

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/common/date.hpp"
#include "domain/common/paging.hpp"
#include "domain/common/uuid.hpp"

// Conversions between the domain's value types and what libpqxx 6.4 reads and writes.
namespace coco::persistence {

// Timestamps cross the wire as microseconds since the epoch (see the SQL's extract(epoch ...)
// and 'epoch' + n microseconds: exact integer arithmetic), which avoids parsing PostgreSQL's
// text form and floating-point rounding.
long long ToEpochMicros(std::chrono::system_clock::time_point at);
std::chrono::system_clock::time_point FromEpochMicros(long long micros);

// SQL for the wire form of timestamps: the timestamptz of bind parameter $n (microseconds), and
// a column's value as microseconds.
std::string SqlTime(int n);
// The same of any SQL expression of microseconds (a column of unnest, say).
std::string SqlTimeOf(const std::string& micros);
std::string SqlMicros(const std::string& column);

// A PostgreSQL uuid[] literal ("{a,b}") and back.
std::string ToUuidArray(const std::vector<domain::SupplierId>& ids);
// A text[] literal of `values`: every element quoted, quotes and backslashes escaped; absent ones
// NULL. Cast in SQL to the array type wanted ($1::uuid[], $2::bigint[]).
std::string TextArray(const std::vector<std::optional<std::string>>& values);
std::string TextArray(const std::vector<std::string>& values);
// The strings of a text[] field; none for NULL.
std::vector<std::string> ParseTextArray(const pqxx::field& field);
std::vector<domain::SupplierId> ParseSupplierIdArray(const pqxx::field& field);

// A uuid[] (or text[] of uuids) column as typed ids; NULL is empty.
template <typename IdType>
std::vector<IdType> ParseIdArray(const pqxx::field& field) {
  std::vector<IdType> ids;
  if (field.is_null()) return ids;
  auto parser = field.as_array();
  for (auto element = parser.get_next(); element.first != pqxx::array_parser::done;
       element = parser.get_next()) {
    if (element.first == pqxx::array_parser::string_value)
      ids.push_back(IdType::Parse(element.second));
  }
  return ids;
}

// Nullable columns and bind values.
std::optional<std::string> OptionalText(const pqxx::field& field);
std::optional<domain::UserId> OptionalUser(const pqxx::field& field);
std::optional<std::chrono::system_clock::time_point> OptionalTime(const pqxx::field& field);
std::optional<long long> OptionalMicros(
    const std::optional<std::chrono::system_clock::time_point>& at);
std::optional<std::string> OptionalIdText(const std::optional<domain::UserId>& id);

// Nullable dates cross the wire as ISO text ("2027-01-31") or NULL.
std::optional<domain::Date> OptionalDate(const pqxx::field& field);
std::optional<std::string> DateText(const std::optional<domain::Date>& date);

// The bind values of a keyset position: (micros, id), both NULL for the first page.
struct KeysetAfter {
  std::optional<long long> micros;
  std::optional<std::string> id;
};
KeysetAfter AfterOf(const domain::PageRequest& page);

// Turns rows fetched with LIMIT page.limit + 1 into a page: the extra row only says that more
// follow, and the next page starts after the last item kept (its `position_of`).
template <typename T, typename FromRow, typename PositionOf>
domain::PageResult<T> KeysetPage(const pqxx::result& rows, int limit, FromRow from_row,
                                 PositionOf position_of) {
  domain::PageResult<T> result;
  for (const auto& row : rows) {
    if (static_cast<int>(result.items.size()) == limit) {
      result.next = position_of(result.items.back());
      break;
    }
    result.items.push_back(from_row(row));
  }
  return result;
}

}  // namespace coco::persistence
