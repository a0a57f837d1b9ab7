#include "api/context.hpp"

#include "domain/common/error.hpp"

namespace coco::api {

domain::Actor ActorOf(const Request& request) {
  return {request.Caller(), request.request_id, request.idempotency};
}

std::string EntityTag(long long version) { return "\"" + std::to_string(version) + "\""; }

std::optional<long long> IfMatchVersion(const Request& request) {
  const auto header = request.Header("if-match");
  if (!header) return std::nullopt;
  std::string tag(*header);
  tag.erase(0, tag.find_first_not_of(" \t"));
  tag.erase(tag.find_last_not_of(" \t") + 1);
  if (tag == "*") return std::nullopt;
  // If-Match uses strong comparison (RFC 9110 §13.1.1): a weak tag never matches.
  if (tag.rfind("W/", 0) == 0) return -1;
  const bool quoted = tag.size() >= 3 && tag.front() == '"' && tag.back() == '"';
  const std::string inner = quoted ? tag.substr(1, tag.size() - 2) : "";
  if (!quoted || inner.size() > 18 || inner.find_first_not_of("0123456789") != std::string::npos) {
    // Can never match a current version.
    return -1;
  }
  return std::stoll(inner);
}

}  // namespace coco::api
