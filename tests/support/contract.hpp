#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/http_client.hpp"

namespace coco::test {

// The OpenAPI contract (openapi/openapi.yaml) as JSON, with a JSON Schema validator for the
// response bodies it describes. OpenAPI 3.1 schemas are JSON Schema; coco keeps to the subset
// that draft 7 validators read the same way.
class ContractValidator {
 public:
  static const ContractValidator& Load();  // from the source tree, once per process

  // Problems with `response` to `method target`: an undocumented path, method, status or media
  // type, or a body that breaks its schema. Empty when it conforms.
  std::vector<std::string> Check(const std::string& method, const std::string& target,
                                 const HttpResponse& response) const;

  // Every (METHOD, path template) the contract documents.
  std::set<std::pair<std::string, std::string>> Operations() const;

  const nlohmann::json& document() const { return document_; }

 private:
  explicit ContractValidator(nlohmann::json document);
  std::vector<std::string> ValidateBody(const nlohmann::json& schema,
                                        const std::string& body) const;

  nlohmann::json document_;
  // Each schema compiled once, with a validator whose regex cache it keeps: compiling the whole
  // components section and its patterns for every response cost more than the requests did.
  struct Compiled;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<Compiled>> compiled_;
};

// YAML (as yaml-cpp reads it) to JSON: plain scalars become booleans, nulls and numbers where
// they look like them; quoted scalars stay strings.
nlohmann::json LoadYamlAsJson(const std::string& path);

}  // namespace coco::test
