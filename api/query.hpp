#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "domain/common/date.hpp"
#include "domain/common/uuid.hpp"

// Query-string parsing shared by the handlers. Every failure is a 422 problem whose `errors`
// entry points at the parameter ("query/level").
namespace coco::api {

// Refuses parameters the endpoint does not define (a typo must not silently widen a listing).
void RejectUnknownQuery(const Request& request, std::initializer_list<std::string_view> known);

// A date "YYYY-MM-DD"; absent is nullopt.
std::optional<domain::Date> QueryDate(const Request& request, const std::string& name);

// A UUID (canonical form, either case); absent is nullopt.
std::optional<domain::Uuid> QueryUuid(const Request& request, const std::string& name);

// "true" or "false"; absent is nullopt.
std::optional<bool> QueryBool(const Request& request, const std::string& name);

}  // namespace coco::api
