#include "tests/support/contract.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <regex>
#include <stdexcept>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace coco::test {
namespace {

nlohmann::json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& item : node) array.push_back(ToJson(item));
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& item : node) object[item.first.as<std::string>()] = ToJson(item.second);
      return object;
    }
    case YAML::NodeType::Scalar: {
      const std::string text = node.Scalar();
      if (node.Tag() != "?") return text;  // quoted: a string whatever it looks like
      if (text == "true") return true;
      if (text == "false") return false;
      if (text == "null" || text == "~") return nullptr;
      static const std::regex kInteger("^-?[0-9]+$");
      static const std::regex kNumber("^-?[0-9]+\\.[0-9]+([eE][-+]?[0-9]+)?$");
      if (std::regex_match(text, kInteger)) return std::stoll(text);
      if (std::regex_match(text, kNumber)) return std::stod(text);
      return text;
    }
  }
  return nullptr;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = path.find('/', start);
    parts.push_back(path.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

// The documented path template for a concrete path, preferring literal segments.
std::optional<std::string> MatchTemplate(const nlohmann::json& paths, const std::string& path) {
  const auto concrete = Split(path);
  std::optional<std::string> best;
  int best_literals = -1;
  for (const auto& [pattern, item] : paths.items()) {
    const auto segments = Split(pattern);
    if (segments.size() != concrete.size()) continue;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      if (segments[i].size() > 2 && segments[i].front() == '{') continue;
      if (segments[i] == concrete[i]) {
        ++literals;
      } else {
        ok = false;
      }
    }
    if (ok && literals > best_literals) {
      best = pattern;
      best_literals = literals;
    }
  }
  return best;
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

const nlohmann::json& Resolve(const nlohmann::json& document, const nlohmann::json& node) {
  if (node.is_object() && node.contains("$ref")) {
    const std::string ref = node["$ref"].get<std::string>();
    return Resolve(document, document.at(nlohmann::json::json_pointer(ref.substr(1))));
  }
  return node;
}

// valijson checks the formats date, time and date-time by compiling a std::regex on every string
// it meets, which made the contract check cost more than the requests it checks. The same
// expressions as patterns are compiled once, in the validator's cache.
void FormatsAsPatterns(nlohmann::json& schema) {
  static const std::map<std::string, std::string> kPatterns = {
      {"date", "^[0-9]+-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$"},
      {"time",
       "^([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?([Zz]|[-+]([01][0-9]|2[0-3]):[0-"
       "5]"
       "[0-9])$"},
      {"date-time",
       "^[0-9]+-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5]"
       "[0-9]|60)(\\.[0-9]+)?([Zz]|[-+]([01][0-9]|2[0-3]):[0-5][0-9])$"}};
  if (schema.is_array()) {
    for (auto& item : schema) FormatsAsPatterns(item);
    return;
  }
  if (!schema.is_object()) return;
  for (auto& [key, value] : schema.items()) FormatsAsPatterns(value);
  const auto format = schema.find("format");
  if (format == schema.end() || !format->is_string()) return;
  const auto pattern = kPatterns.find(format->get<std::string>());
  if (pattern == kPatterns.end()) return;
  schema.erase(format);
  schema["allOf"].push_back({{"pattern", pattern->second}});
}

}  // namespace

struct ContractValidator::Compiled {
  nlohmann::json document;
  valijson::Schema schema;
  valijson::Validator validator;
};

nlohmann::json LoadYamlAsJson(const std::string& path) { return ToJson(YAML::LoadFile(path)); }

const ContractValidator& ContractValidator::Load() {
  static const ContractValidator kContract(
      LoadYamlAsJson(std::string(COCO_SOURCE_DIR) + "/openapi/openapi.yaml"));
  return kContract;
}

ContractValidator::ContractValidator(nlohmann::json document) : document_(std::move(document)) {}

std::set<std::pair<std::string, std::string>> ContractValidator::Operations() const {
  std::set<std::pair<std::string, std::string>> operations;
  static const std::set<std::string> kMethods = {"get",     "put",  "post",  "delete",
                                                 "options", "head", "patch", "trace"};
  for (const auto& [path, item] : document_.at("paths").items()) {
    for (const auto& [key, operation] : item.items()) {
      if (kMethods.contains(key)) {
        std::string method = key;
        std::transform(method.begin(), method.end(), method.begin(), ::toupper);
        operations.emplace(method, path);
      }
    }
  }
  return operations;
}

std::vector<std::string> ContractValidator::ValidateBody(const nlohmann::json& schema,
                                                         const std::string& body) const {
  nlohmann::json instance;
  try {
    instance = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error&) {
    return {"body is not JSON: " + body.substr(0, 200)};
  }
  const std::string key = schema.dump();
  std::lock_guard lock(mutex_);
  auto compiled = compiled_[key];
  if (!compiled) {
    // The schema may $ref into components: compile a document that carries them.
    compiled = std::make_shared<Compiled>();
    compiled->document = {{"allOf", nlohmann::json::array({schema})},
                          {"components", document_.at("components")}};
    FormatsAsPatterns(compiled->document);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(compiled->document);
    parser.populateSchema(schema_adapter, compiled->schema);
    compiled_[key] = compiled;  // only once it compiled
  }
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter instance_adapter(instance);
  if (compiled->validator.validate(compiled->schema, instance_adapter, &results)) return {};
  std::vector<std::string> problems;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const auto& part : error.context) where += part;
    problems.push_back(where + ": " + error.description);
  }
  problems.push_back("body: " + body.substr(0, 300));
  return problems;
}

std::vector<std::string> ContractValidator::Check(const std::string& method,
                                                  const std::string& target,
                                                  const HttpResponse& response) const {
  const std::string path = target.substr(0, target.find('?'));
  std::string media_type = Lower(response.Header("content-type").value_or(""));
  media_type = media_type.substr(0, media_type.find(';'));

  const auto& paths = document_.at("paths");
  const auto pattern = MatchTemplate(paths, path);
  const std::string method_key = Lower(method);
  if (!pattern || !paths.at(*pattern).contains(method_key)) {
    // Not a documented operation: the only acceptable answer is a problem (404 or 405).
    if (media_type != "application/problem+json") {
      return {"undocumented operation answered with " + media_type};
    }
    if (response.status != 404 && response.status != 405 && response.status != 400 &&
        response.status != 413) {
      return {"undocumented operation answered " + std::to_string(response.status)};
    }
    return ValidateBody(nlohmann::json{{"$ref", "#/components/schemas/Problem"}}, response.body);
  }
  const auto& operation = paths.at(*pattern).at(method_key);
  const auto& responses = operation.at("responses");
  const std::string status = std::to_string(response.status);
  if (!responses.contains(status)) {
    // The contract's description names the answers every operation may give: 400 (malformed
    // request), 413 (body over the cap) and 503 (database unavailable or busy), as problems.
    if (status == "400" || status == "413" || status == "503") {
      if (media_type != "application/problem+json") {
        return {"status " + status + " must be a problem document"};
      }
      return ValidateBody(nlohmann::json{{"$ref", "#/components/schemas/Problem"}}, response.body);
    }
    return {"status " + status + " is not documented for " + method + " " + *pattern};
  }
  const auto& documented = Resolve(document_, responses.at(status));
  if (!documented.contains("content")) {
    if (!response.body.empty()) return {"documented without a body, but one came back"};
    return {};
  }
  const auto& content = documented.at("content");
  if (content.contains("*/*") && !content.contains(media_type)) return {};  // any file type
  if (!content.contains(media_type)) {
    return {"media type '" + media_type + "' is not documented for " + status + " of " + method +
            " " + *pattern};
  }
  const auto& media = content.at(media_type);
  const bool json_like = media_type == "application/json" ||
                         media_type == "application/problem+json" || media_type.ends_with("+json");
  if (!json_like || !media.contains("schema")) return {};
  return ValidateBody(media.at("schema"), response.body);
}

}  // namespace coco::test
