#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/http.hpp"
#include "domain/common/date.hpp"
#include "domain/common/error.hpp"

namespace coco::api::json {

// Reads a JSON object body strictly, collecting every problem before failing:
//   - Content-Type other than application/json (parameters allowed) -> 415 "unsupported_media_type"
//   - not JSON -> 400 "malformed_json" (with the byte offset)
//   - not an object -> 422 "invalid_body"
//   - each missing required field, wrong type, over-long string, bad date/UUID/enum, and each
//     field the endpoint does not define -> one entry in `errors` of a 422 "invalid_body",
//     pointing at the field ("/profile/offshore/0/country").
// Call the getters for every field the endpoint knows, then Finish().
class ObjectReader {
 public:
  // Parses the request body.
  explicit ObjectReader(const Request& request);
  // Reads a nested object already parsed (`pointer` prefixes its fields in messages).
  ObjectReader(const nlohmann::json& object, std::string pointer,
               std::vector<domain::ErrorDetail>* sink);

  std::optional<std::string> String(const std::string& name, bool required,
                                    std::size_t max_length = 200, std::size_t min_length = 1);
  std::optional<bool> Bool(const std::string& name, bool required);
  std::optional<domain::Date> Date(const std::string& name, bool required);
  // A string that must be one of `allowed`.
  std::optional<std::string> Enum(const std::string& name, bool required,
                                  const std::vector<std::string>& allowed);
  // A UUID in canonical form (lower-cased).
  std::optional<std::string> Uuid(const std::string& name, bool required);
  // An array of UUIDs (at most `max_items`, no duplicates).
  std::optional<std::vector<std::string>> UuidArray(const std::string& name, bool required,
                                                    std::size_t max_items = 100);
  // A raw JSON value (object/array), present or not; marks the field known.
  const nlohmann::json* Raw(const std::string& name, bool required, nlohmann::json::value_t type);

  // True when the body carries `name` (including an explicit null).
  bool Has(const std::string& name) const;
  std::string Pointer(const std::string& name) const { return pointer_ + "/" + name; }
  void Problem(const std::string& pointer, const std::string& code, const std::string& detail);

  // Reports unknown fields; for a top-level reader, throws if anything was wrong.
  void Finish();

 private:
  const nlohmann::json* Field(const std::string& name, bool required);

  nlohmann::json owned_;
  const nlohmann::json* object_ = nullptr;
  std::string pointer_;
  std::vector<domain::ErrorDetail> own_problems_;
  std::vector<domain::ErrorDetail>* problems_ = nullptr;
  std::set<std::string> known_;
  bool top_level_ = false;
};

// The names of the top-level fields of a JSON object body, whatever their values; none when the
// body is not a JSON object. For deciding who may make a change before reading it.
std::vector<std::string> TopLevelNames(const Request& request);

// Throws the 422 "invalid_body" for collected problems (no-op when empty).
void ThrowIfProblems(std::vector<domain::ErrorDetail> problems);

// 200/201 application/json responses.
Response Ok(const nlohmann::json& body, int status = 200);
// The same for a document already written as text (api/json/writer.hpp).
Response OkText(std::string body, int status = 200);
// The same with the ETag of a versioned object.
Response OkTagged(const nlohmann::json& body, long long version, int status = 200);

}  // namespace coco::api::json
