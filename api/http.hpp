#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/idempotency/idempotency.hpp"
#include "domain/identity/principal.hpp"

// The server's own view of an HTTP exchange, independent of Pistache: handlers and the pipeline
// see only these types, so they can be exercised without a socket.
namespace coco::api {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kTrace, kConnect };

inline constexpr Method kAllMethods[] = {Method::kGet,     Method::kHead,  Method::kPost,
                                         Method::kPut,     Method::kPatch, Method::kDelete,
                                         Method::kOptions, Method::kTrace, Method::kConnect};

std::string_view ToString(Method method);

struct Request {
  Method method = Method::kGet;
  std::string path;                                          // without the query, as received
  std::map<std::string, std::string> query;                  // percent-decoded; first value wins
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  // The TCP peer's address as the transport saw it (a proxy's, behind one); see ClientAddress.
  std::string remote_address;

  // Filled by the pipeline before the handler runs.
  std::string request_id;
  std::string route;  // the matched pattern, "/suppliers/{id}"
  std::map<std::string, std::string> path_params;
  std::optional<domain::Principal> principal;
  // For kBearerInHandler routes: the bearer secret, still to be authenticated.
  std::string bearer_secret;
  // On a creating route called with an Idempotency-Key: the claim the write commits with.
  std::optional<domain::IdempotencyClaim> idempotency;
  // Set by a handler that hands the domain a value read from a header: where a problem the
  // domain names by that field is in the request ({"media_type", "header/content-type"}).
  std::map<std::string, std::string> field_locations;

  std::optional<std::string_view> Header(std::string_view lower_name) const;
  std::optional<std::string> Query(const std::string& name) const;
  const std::string& PathParam(const std::string& name) const;
  // The authenticated caller; only valid on routes that require authentication.
  const domain::Principal& Caller() const;
};

struct Response {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  Response& WithHeader(std::string name, std::string value);
};

std::string PercentDecode(std::string_view text);

// The reason phrase of a status code (RFC 9110 §15), "Unknown" for one coco never sends.
std::string_view ReasonPhrase(int status);

// Well-formed UTF-8 without NUL: what any text coco stores or echoes must be.
bool IsCleanText(std::string_view text);

}  // namespace coco::api
