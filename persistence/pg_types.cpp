#include "persistence/pg_types.hpp"

namespace coco::persistence {

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
  std::vector<domain::SupplierId> ids;
  if (field.is_null()) return ids;
  auto parser = field.as_array();
  for (auto element = parser.get_next(); element.first != pqxx::array_parser::done;
       element = parser.get_next()) {
    if (element.first == pqxx::array_parser::string_value) {
      ids.push_back(domain::SupplierId::Parse(element.second));
    }
  }
  return ids;
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

}  // namespace coco::persistence
