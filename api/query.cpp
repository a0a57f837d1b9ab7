#include "api/query.hpp"

#include <algorithm>

#include "domain/common/error.hpp"

namespace coco::api {

void RejectUnknownQuery(const Request& request, std::initializer_list<std::string_view> known) {
  std::vector<domain::ErrorDetail> problems;
  for (const auto& [name, value] : request.query) {
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      problems.push_back({"query/" + name.substr(0, 64), "unknown_parameter",
                          "this endpoint has no parameter '" + name.substr(0, 64) + "'"});
    }
  }
  if (!problems.empty()) {
    throw domain::InvalidArgument("the request has unknown query parameters", "invalid_query")
        .WithDetails(std::move(problems));
  }
}

std::optional<domain::Date> QueryDate(const Request& request, const std::string& name) {
  const auto text = request.Query(name);
  if (!text) return std::nullopt;
  try {
    return domain::Date::Parse(*text, name);
  } catch (const domain::Error& error) {
    throw domain::InvalidArgument(error.message(), "invalid_query")
        .WithDetail({"query/" + name, "invalid_date", error.message()});
  }
}

std::optional<domain::Uuid> QueryUuid(const Request& request, const std::string& name) {
  const auto text = request.Query(name);
  if (!text) return std::nullopt;
  if (!domain::Uuid::IsValid(*text)) {
    throw domain::InvalidArgument(name + " is not a UUID", "invalid_query")
        .WithDetail({"query/" + name, "invalid_uuid", name + " is not a UUID"});
  }
  return domain::Uuid::Parse(*text, name);
}

std::optional<bool> QueryBool(const Request& request, const std::string& name) {
  const auto value = request.Query(name);
  if (!value) return std::nullopt;
  if (*value == "true") return true;
  if (*value == "false") return false;
  throw domain::InvalidArgument(name + " must be true or false", "invalid_query")
      .WithDetail({"query/" + name, "invalid_boolean", name + " must be true or false"});
}

}  // namespace coco::api
