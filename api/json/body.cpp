#include "api/json/body.hpp"

#include <algorithm>

#include "api/context.hpp"
#include "api/problem.hpp"
#include "domain/common/json_text.hpp"
#include "domain/common/uuid.hpp"

namespace coco::api::json {
namespace {

std::string TypeName(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::object:
      return "an object";
    default:
      return "an unexpected value";
  }
}

bool IsJsonMediaType(std::string_view content_type) {
  std::string media = domain::AsciiLower(content_type.substr(0, content_type.find(';')));
  media.erase(media.find_last_not_of(" \t") + 1);
  return media == "application/json";
}

// Counts UTF-8 code points, so limits are in characters, not bytes.
std::size_t Characters(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::vector<std::string> TopLevelNames(const Request& request) {
  std::vector<std::string> names;
  const auto body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return names;
  for (const auto& item : body.items()) names.push_back(item.key());
  return names;
}

void ThrowIfProblems(std::vector<domain::ErrorDetail> problems) {
  if (problems.empty()) return;
  const std::string first = problems.front().field + ": " + problems.front().detail;
  throw domain::InvalidArgument(problems.size() == 1
                                    ? "the request body is invalid: " + first
                                    : "the request body is invalid: " + first + " (and " +
                                          std::to_string(problems.size() - 1) + " more)",
                                "invalid_body")
      .WithDetails(std::move(problems));
}

ObjectReader::ObjectReader(const Request& request) : top_level_(true) {
  problems_ = &own_problems_;
  const auto content_type = request.Header("content-type");
  if (!content_type || !IsJsonMediaType(*content_type)) {
    throw HttpRefusal(415, "unsupported_media_type",
                      "send the body as Content-Type: application/json");
  }
  try {
    owned_ = nlohmann::json::parse(request.body);
  } catch (const nlohmann::json::parse_error& error) {
    throw domain::Malformed(
        "the body is not valid JSON (at byte " + std::to_string(error.byte) + ")",
        "malformed_json");
  } catch (const nlohmann::json::out_of_range&) {
    // A number beyond double's range ("1e400"): nlohmann throws out_of_range, not parse_error,
    // which would otherwise reach the client as a 500.
    throw domain::Malformed("the body is not valid JSON (a number is out of range)",
                            "malformed_json");
  }
  if (!owned_.is_object()) {
    ThrowIfProblems({{"/", "invalid_type", "the body must be a JSON object"}});
  }
  object_ = &owned_;
}

ObjectReader::ObjectReader(const nlohmann::json& object, std::string pointer,
                           std::vector<domain::ErrorDetail>* sink)
    : object_(&object), pointer_(std::move(pointer)), problems_(sink) {}

void ObjectReader::Problem(const std::string& pointer, const std::string& code,
                           const std::string& detail) {
  problems_->push_back({pointer, code, detail});
}

bool ObjectReader::Has(const std::string& name) const { return object_->contains(name); }

const nlohmann::json* ObjectReader::Field(const std::string& name, bool required) {
  known_.insert(name);
  auto found = object_->find(name);
  if (found == object_->end() || (found->is_null() && required)) {
    if (required) Problem(Pointer(name), "required", name + " is required");
    return nullptr;
  }
  if (found->is_null()) return nullptr;
  return &*found;
}

std::optional<std::string> ObjectReader::String(const std::string& name, bool required,
                                                std::size_t max_length, std::size_t min_length) {
  const nlohmann::json* value = Field(name, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) {
    Problem(Pointer(name), "invalid_type", name + " must be a string, not " + TypeName(*value));
    return std::nullopt;
  }
  std::string text = value->get<std::string>();
  // NUL would be cut off on the way to PostgreSQL, other C0 controls have no place in these
  // fields; tab, line feed and carriage return are ordinary text.
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
      })) {
    Problem(Pointer(name), "invalid_characters", name + " must not contain control characters");
    return std::nullopt;
  }
  const std::size_t length = Characters(text);
  if (length < min_length || length > max_length) {
    Problem(Pointer(name), "invalid_length",
            name + " must be " + std::to_string(min_length) + " to " + std::to_string(max_length) +
                " characters");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> ObjectReader::Bool(const std::string& name, bool required) {
  const nlohmann::json* value = Field(name, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) {
    Problem(Pointer(name), "invalid_type",
            name + " must be true or false, not " + TypeName(*value));
    return std::nullopt;
  }
  return value->get<bool>();
}

std::optional<domain::Date> ObjectReader::Date(const std::string& name, bool required) {
  auto text = String(name, required, 10, 10);
  if (!text) {
    // String() already reported a wrong type or length; make the message about dates.
    if (!problems_->empty() && problems_->back().field == Pointer(name) &&
        problems_->back().code == "invalid_length") {
      problems_->back() = {Pointer(name), "invalid_date", name + " must be a date YYYY-MM-DD"};
    }
    return std::nullopt;
  }
  try {
    return domain::Date::Parse(*text, name);
  } catch (const domain::Error& error) {
    Problem(Pointer(name), "invalid_date", error.message());
    return std::nullopt;
  }
}

std::optional<std::string> ObjectReader::Enum(const std::string& name, bool required,
                                              const std::vector<std::string>& allowed) {
  auto text = String(name, required, 100);
  if (!text) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *text) == allowed.end()) {
    std::string list;
    for (const auto& value : allowed) list += (list.empty() ? "" : ", ") + value;
    Problem(Pointer(name), "invalid_enum", name + " must be one of " + list);
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> ObjectReader::Uuid(const std::string& name, bool required) {
  auto text = String(name, required, 36, 36);
  if (!text) {
    if (!problems_->empty() && problems_->back().field == Pointer(name) &&
        problems_->back().code == "invalid_length") {
      problems_->back() = {Pointer(name), "invalid_id", name + " must be a UUID"};
    }
    return std::nullopt;
  }
  if (!domain::Uuid::IsValid(*text)) {
    Problem(Pointer(name), "invalid_id", name + " must be a UUID");
    return std::nullopt;
  }
  return domain::Uuid::Parse(*text).str();
}

std::optional<std::vector<std::string>> ObjectReader::UuidArray(const std::string& name,
                                                                bool required,
                                                                std::size_t max_items) {
  const nlohmann::json* value = Field(name, required);
  if (value == nullptr) return std::nullopt;
  if (!value->is_array()) {
    Problem(Pointer(name), "invalid_type", name + " must be an array, not " + TypeName(*value));
    return std::nullopt;
  }
  if (value->size() > max_items) {
    Problem(Pointer(name), "too_many_items",
            name + " may hold at most " + std::to_string(max_items) + " items");
    return std::nullopt;
  }
  std::vector<std::string> ids;
  bool ok = true;
  for (std::size_t i = 0; i < value->size(); ++i) {
    const auto& item = (*value)[i];
    const std::string pointer = Pointer(name) + "/" + std::to_string(i);
    if (!item.is_string() || !domain::Uuid::IsValid(item.get<std::string>())) {
      Problem(pointer, "invalid_id", "each item of " + name + " must be a UUID");
      ok = false;
      continue;
    }
    std::string id = domain::Uuid::Parse(item.get<std::string>()).str();
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
      Problem(pointer, "duplicate", name + " lists the same id twice");
      ok = false;
      continue;
    }
    ids.push_back(std::move(id));
  }
  if (!ok) return std::nullopt;
  return ids;
}

const nlohmann::json* ObjectReader::Raw(const std::string& name, bool required,
                                        nlohmann::json::value_t type) {
  const nlohmann::json* value = Field(name, required);
  if (value == nullptr) return nullptr;
  if (value->type() != type) {
    Problem(Pointer(name), "invalid_type",
            name + " must be " + TypeName(nlohmann::json(type)) + ", not " + TypeName(*value));
    return nullptr;
  }
  return value;
}

void ObjectReader::Finish() {
  for (const auto& [name, value] : object_->items()) {
    if (!known_.contains(name)) {
      Problem(Pointer(name.substr(0, 64)), "unknown_field",
              "unknown field '" + name.substr(0, 64) + "'");
    }
  }
  if (top_level_) ThrowIfProblems(std::move(own_problems_));
}

Response Ok(const nlohmann::json& body, int status) {
  return OkText(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), status);
}

Response OkText(std::string body, int status) {
  return Response{status, "application/json", std::move(body), {}};
}

Response OkTagged(const nlohmann::json& body, long long version, int status) {
  Response response = Ok(body, status);
  response.WithHeader("ETag", EntityTag(version));
  return response;
}

}  // namespace coco::api::json
