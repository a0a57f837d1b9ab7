#include "persistence/pg_types.hpp"

namespace coco::persistence {

std::string SqlTimeOf(const std::string& micros) {
  return "'epoch'::timestamptz + " + micros + " * interval '1 microsecond'";
}

std::string SqlTime(int n) { return SqlTimeOf("$" + std::to_string(n) + "::bigint"); }

std::string SqlMicros(const std::string& column) {
  return "(extract(epoch FROM " + column + ") * 1000000)::bigint";
}

long long ToEpochMicros(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
}

std::chrono::system_clock::time_point FromEpochMicros(long long micros) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(micros)));
}

std::string ToUuidArray(const std::vector<domain::SupplierId>& ids) {
  std::string literal = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) literal += ',';
    literal += ids[i].str();
  }
  return literal + "}";
}

std::vector<domain::SupplierId> ParseSupplierIdArray(const pqxx::field& field) {
  return ParseIdArray<domain::SupplierId>(field);
}

std::optional<std::string> OptionalText(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::string>();
}

std::optional<domain::UserId> OptionalUser(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return domain::UserId::Parse(field.as<std::string>());
}

std::optional<std::chrono::system_clock::time_point> OptionalTime(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return FromEpochMicros(field.as<long long>());
}

std::optional<long long> OptionalMicros(
    const std::optional<std::chrono::system_clock::time_point>& at) {
  if (!at) return std::nullopt;
  return ToEpochMicros(*at);
}

std::optional<std::string> OptionalIdText(const std::optional<domain::UserId>& id) {
  if (!id) return std::nullopt;
  return id->str();
}

std::optional<domain::Date> OptionalDate(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return domain::Date::Parse(field.as<std::string>());
}

std::optional<std::string> DateText(const std::optional<domain::Date>& date) {
  return date ? std::optional<std::string>(date->ToString()) : std::nullopt;
}

KeysetAfter AfterOf(const domain::PageRequest& page) {
  if (!page.after) return {};
  return {page.after->created_micros, page.after->id};
}

// A text[] literal: every element quoted, quotes and backslashes escaped; absent ones NULL.
std::string TextArray(const std::vector<std::optional<std::string>>& values) {
  std::string out = "{";
  for (const auto& value : values) {
    if (out.size() > 1) out += ',';
    if (!value) {
      out += "NULL";
      continue;
    }
    out += '"';
    for (const char c : *value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string TextArray(const std::vector<std::string>& values) {
  return TextArray(std::vector<std::optional<std::string>>(values.begin(), values.end()));
}

std::vector<std::string> ParseTextArray(const pqxx::field& field) {
  std::vector<std::string> values;
  if (field.is_null()) return values;
  auto parser = field.as_array();
  for (auto element = parser.get_next(); element.first != pqxx::array_parser::done;
       element = parser.get_next()) {
    if (element.first == pqxx::array_parser::string_value) values.push_back(element.second);
  }
  return values;
}

}  // namespace coco::persistence
