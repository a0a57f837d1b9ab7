#pragma once

#include <string>

#include "api/http.hpp"
#include "domain/common/error.hpp"

namespace coco::api {

// The one place that turns a domain error kind into an HTTP status.
int HttpStatus(domain::ErrorKind kind);

// An RFC 9457 application/problem+json response: type, title, status, detail, code, request_id,
// plus `errors` and any extra fields the error carries. A kInternal error's message is never
// sent: the body says only that something failed, with the request id to quote.
Response ProblemResponse(const domain::Error& error, const std::string& request_id);

}  // namespace coco::api
