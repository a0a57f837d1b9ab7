#include "app/catalogue_files.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "assets/assets.hpp"
#include "domain/common/error.hpp"

namespace coco::app {
namespace {

using domain::ErrorDetail;

// A problem found in a catalogue file; collected, then thrown together.
class Problems {
 public:
  void Add(std::string where, std::string code, std::string detail) {
    list_.push_back(ErrorDetail{std::move(where), std::move(code), std::move(detail)});
  }
  bool empty() const { return list_.empty(); }
  std::vector<ErrorDetail> Take() { return std::move(list_); }

 private:
  std::vector<ErrorDetail> list_;
};

[[noreturn]] void ThrowProblems(std::vector<ErrorDetail> problems) {
  std::string message = "the catalogue was not imported: ";
  message += problems.front().field + ": " + problems.front().detail;
  if (problems.size() > 1) message += " (and " + std::to_string(problems.size() - 1) + " more)";
  throw domain::InvalidArgument(message, "invalid_catalogue").WithDetails(std::move(problems));
}

const valijson::Schema& CatalogueSchema() {
  // Compiled once; valijson schemas are neither copyable nor movable.
  static const std::unique_ptr<valijson::Schema> kSchema = [] {
    const auto text = assets::Find("schema.json");
    if (!text) throw domain::Internal("the catalogue schema is missing from the build");
    const nlohmann::json document = nlohmann::json::parse(*text);
    auto compiled = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    parser.populateSchema(adapter, *compiled);
    return compiled;
  }();
  return *kSchema;
}

std::string Describe(const std::vector<std::string>& context) {
  // valijson's context looks like ["<root>", "[requirements]", "[3]", "[level]"].
  std::string path;
  for (const auto& part : context) {
    if (part == "<root>") continue;
    std::string clean = part;
    if (clean.size() >= 2 && clean.front() == '[' && clean.back() == ']') {
      clean = clean.substr(1, clean.size() - 2);
    }
    if (clean.size() >= 2 && clean.front() == '"' && clean.back() == '"') {
      clean = clean.substr(1, clean.size() - 2);
    }
    path += "/" + clean;
  }
  return path.empty() ? "/" : path;
}

domain::SourceReference ReadSource(const nlohmann::json& source) {
  return domain::SourceReference{source.at("document").get<std::string>(),
                                 source.value("clause", std::string()),
                                 source.at("date").get<std::string>()};
}

// Names a requirement in messages by its id when it has one, else by its index.
std::string RequirementLabel(const nlohmann::json& document, const std::string& json_path) {
  // json_path like /requirements/12/level
  const std::string prefix = "/requirements/";
  if (json_path.rfind(prefix, 0) != 0) return json_path;
  const std::string rest = json_path.substr(prefix.size());
  const std::string index = rest.substr(0, rest.find('/'));
  const std::string field =
      rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/') + 1);
  try {
    const auto& requirement = document.at("requirements").at(std::stoul(index));
    if (requirement.contains("id") && requirement["id"].is_string()) {
      return requirement["id"].get<std::string>() + (field.empty() ? "" : " " + field);
    }
  } catch (const std::exception&) {
  }
  return json_path;
}

}  // namespace

domain::Standard ParseCatalogueFile(const std::string& name, const std::string& text,
                                    const domain::Hasher& hasher) {
  Problems problems;
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // nlohmann's byte offset is the position of the failure.
    problems.Add(name, "malformed_json", "not valid JSON at byte " + std::to_string(error.byte));
    ThrowProblems(problems.Take());
  } catch (const nlohmann::json::out_of_range&) {
    // A number beyond double's range ("1e400") is out_of_range, not parse_error, in nlohmann.
    problems.Add(name, "malformed_json", "not valid JSON: a number is out of range");
    ThrowProblems(problems.Take());
  }

  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter adapter(document);
  if (!validator.validate(CatalogueSchema(), adapter, &results)) {
    // valijson reports a failure at every enclosing level too ("requirements/4 is invalid");
    // keep only the deepest places, which say what is actually wrong.
    std::vector<std::pair<std::string, std::string>> failures;
    valijson::ValidationResults::Error error;
    while (results.popError(error))
      failures.emplace_back(Describe(error.context), error.description);
    std::set<std::string> seen;
    for (const auto& failure : failures) {
      // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
      const std::string& where = failure.first;
      const std::string& description = failure.second;
      const bool enclosing = std::any_of(failures.begin(), failures.end(), [&](const auto& other) {
        return other.first.size() > where.size() &&
               other.first.compare(0, where.size(), where) == 0 &&
               (where == "/" || other.first[where.size()] == '/');
      });
      if (enclosing) continue;
      const std::string line = name + ": " + RequirementLabel(document, where);
      if (seen.insert(line + description).second) {
        problems.Add(line, "schema_violation", where + ": " + description);
      }
    }
    ThrowProblems(problems.Take());
  }

  domain::Standard standard;
  standard.key = *domain::TryParseStandardKey(document.at("key").get<std::string>());
  standard.version = document.at("version").get<std::string>();
  standard.title = document.at("title").get<std::string>();
  standard.description = document.value("description", std::string());
  standard.source = ReadSource(document.at("source"));
  standard.legacy = document.value("legacy", false);
  standard.review_interval_months = document.at("review_interval_months").get<int>();
  if (document.contains("applies_when")) {
    try {
      standard.applies_when =
          domain::AppliesWhen::Parse(document.at("applies_when").get<std::string>());
    } catch (const domain::Error& error) {
      problems.Add(name + ": applies_when", "invalid_expression", error.message());
    }
  }
  for (const auto& item : document.at("requirements")) {
    domain::Requirement requirement;
    requirement.id = item.at("id").get<std::string>();
    requirement.title = item.at("title").get<std::string>();
    requirement.text = item.at("text").get<std::string>();
    requirement.level = *domain::TryParseLevel(item.at("level").get<std::string>());
    for (const auto& kind : item.at("evidence_kinds")) {
      requirement.evidence_kinds.push_back(*domain::TryParseEvidenceKind(kind.get<std::string>()));
    }
    requirement.source = ReadSource(item.at("source"));
    requirement.legacy = item.value("legacy", false);
    requirement.thresholds_json =
        item.contains("thresholds") ? item.at("thresholds").dump() : std::string("{}");
    requirement.notes = item.value("notes", std::string());
    if (item.contains("applies_when")) {
      try {
        requirement.applies_when =
            domain::AppliesWhen::Parse(item.at("applies_when").get<std::string>());
      } catch (const domain::Error& error) {
        problems.Add(name + ": " + requirement.id + " applies_when", "invalid_expression",
                     error.message());
      }
    }
    standard.requirements.push_back(std::move(requirement));
  }
  if (!problems.empty()) ThrowProblems(problems.Take());

  try {
    domain::ValidateStandard(standard);
  } catch (const domain::Error& error) {
    for (const auto& detail : error.details()) {
      problems.Add(name + ": " + detail.field, detail.code, detail.detail);
    }
    ThrowProblems(problems.Take());
  }

  // The canonical form (keys sorted, no whitespace) so formatting changes are not "changes".
  document.erase("$schema");
  standard.content_sha256 = hasher.Sha256Hex(document.dump());
  return standard;
}

std::vector<domain::Standard> LoadCatalogueDirectory(const std::filesystem::path& dir,
                                                     const domain::Hasher& hasher) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    ThrowProblems({{dir.string(), "not_a_folder", "is not a folder"}});
  }
  std::vector<std::filesystem::path> files;
  try {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.is_regular_file() && entry.path().extension() == ".json" &&
          entry.path().filename() != "schema.json") {
        files.push_back(entry.path());
      }
    }
  } catch (const std::filesystem::filesystem_error&) {
    ThrowProblems({{dir.string(), "unreadable", "cannot be read"}});
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    ThrowProblems({{dir.string(), "empty", "holds no catalogue files (*.json)"}});
  }

  std::vector<domain::Standard> standards;
  std::vector<ErrorDetail> problems;
  std::map<std::pair<domain::StandardKey, std::string>, std::string> seen;
  for (const auto& path : files) {
    const std::string name = path.string();
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      problems.push_back({name, "unreadable", "cannot be read"});
      continue;
    }
    std::stringstream text;
    text << in.rdbuf();
    try {
      domain::Standard standard = ParseCatalogueFile(name, text.str(), hasher);
      auto [it, inserted] = seen.emplace(std::make_pair(standard.key, standard.version), name);
      if (!inserted) {
        problems.push_back({name, "duplicate_version",
                            std::string(domain::ToString(standard.key)) + " " + standard.version +
                                " is also defined by " + it->second});
      }
      standards.push_back(std::move(standard));
    } catch (const domain::Error& failure) {
      for (const auto& detail : failure.details()) problems.push_back(detail);
    }
  }
  if (!problems.empty()) ThrowProblems(std::move(problems));
  return standards;
}

}  // namespace coco::app
