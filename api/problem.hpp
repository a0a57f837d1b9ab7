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

// A problem the transport raises itself, before any route runs (a malformed or oversized
// request, a timeout): only the status, the code and a fixed sentence.
Response TransportProblem(int status, std::string_view code, std::string_view detail,
                          const std::string& request_id);

}  // namespace coco::api
