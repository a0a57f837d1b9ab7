#pragma once

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "api/http.hpp"
#include "domain/common/error.hpp"

namespace coco::api {

// A refusal that belongs to HTTP itself, not to the domain: 405 (with Allow), 415, 428. Only
// api/ raises it; the pipeline answers it as problem+json like a domain error.
class HttpRefusal : public std::exception {
 public:
  HttpRefusal(int status, std::string code, std::string message)
      : status_(status), code_(std::move(code)), message_(std::move(message)) {}

  // A response header and a member of the problem body with the same value ("Allow"/"allow").
  HttpRefusal& WithHeaderField(std::string header, std::string field, std::string value);

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  friend Response ProblemResponse(const HttpRefusal& refusal, const std::string& request_id);
  struct HeaderField {
    std::string header, field, value;
  };
  int status_;
  std::string code_;
  std::string message_;
  std::vector<HeaderField> header_fields_;
};

// The one place that turns a domain error kind into an HTTP status.
int HttpStatus(domain::ErrorKind kind);

// Where a problem is, as the answer names it (`pointer` in `errors`). The domain names fields
// ("name", "conflicts[2]", "profile.offshore[0].country"); a field the handler located
// (Request::field_locations) is put there, a field whose first name is a query parameter of the
// request becomes "query/<field>", and any other a JSON pointer into the body ("/conflicts/2"). A
// field the api wrote itself is a location already ("/...", "query/...", "header/...") and is kept.
// Body routes accept no query parameters, so the two never meet.
std::string ProblemLocation(std::string_view field, const Request& request);

// An RFC 9457 application/problem+json response: type, title, status, detail, code, request_id,
// plus `errors` (each field located in `request`) and any extra fields the error carries. A
// kInternal error's message is never sent: the body says only that something failed, with the
// request id to quote.
Response ProblemResponse(const domain::Error& error, const Request& request);
Response ProblemResponse(const HttpRefusal& refusal, const std::string& request_id);

// A problem the transport raises itself, before any route runs (a malformed or oversized
// request, a timeout): only the status, the code and a fixed sentence.
Response TransportProblem(int status, std::string_view code, std::string_view detail,
                          const std::string& request_id);

}  // namespace coco::api
