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

// An RFC 9457 application/problem+json response: type, title, status, detail, code, request_id,
// plus `errors` and any extra fields the error carries. A kInternal error's message is never
// sent: the body says only that something failed, with the request id to quote.
Response ProblemResponse(const domain::Error& error, const std::string& request_id);
Response ProblemResponse(const HttpRefusal& refusal, const std::string& request_id);

// A problem the transport raises itself, before any route runs (a malformed or oversized
// request, a timeout): only the status, the code and a fixed sentence.
Response TransportProblem(int status, std::string_view code, std::string_view detail,
                          const std::string& request_id);

}  // namespace coco::api
