#include "domain/standard/catalogue.hpp"

#include <algorithm>

#include "domain/common/error.hpp"

namespace coco::domain {

StandardKey ParseStandardKeyOrNotFound(std::string_view text) {
  if (auto key = TryParseStandardKey(text)) return *key;
  throw NotFound("no standard with key '" + std::string(text.substr(0, 40)) +
                     "'; the keys are COCO, OFFSHORING, CRYPTOGRAPHY, SUPPLIER",
                 "standard_not_found");
}

std::vector<StandardVersionInfo> Catalogue::Versions() {
  auto versions = repository_.ListVersions();
  std::sort(versions.begin(), versions.end(), [](const auto& a, const auto& b) {
    if (a.key != b.key) return a.key < b.key;
    return CompareVersions(a.version, b.version) < 0;
  });
  return versions;
}

std::vector<StandardVersionInfo> Catalogue::Versions(StandardKey key) {
  auto versions = Versions();
  std::erase_if(versions, [key](const auto& info) { return info.key != key; });
  return versions;
}

std::shared_ptr<const Standard> Catalogue::Latest(StandardKey key) {
  return Latest(key, Versions(key));
}

std::shared_ptr<const Standard> Catalogue::Latest(
    StandardKey key, const std::vector<StandardVersionInfo>& versions) {
  if (versions.empty()) {
    throw NotFound("no version of " + std::string(ToString(key)) + " has been imported",
                   "standard_not_found");
  }
  return Get(key, versions.back().version);
}

std::shared_ptr<const Standard> Catalogue::Get(StandardKey key, const std::string& version) {
  {
    std::lock_guard lock(mutex_);
    auto found = loaded_.find({key, version});
    if (found != loaded_.end()) return found->second;
  }
  auto standard = repository_.Load(key, version);
  if (!standard) {
    throw NotFound(std::string(ToString(key)) + " has no version '" + version.substr(0, 40) + "'",
                   "version_not_found");
  }
  auto shared = std::make_shared<const Standard>(std::move(*standard));
  std::lock_guard lock(mutex_);
  return loaded_.emplace(std::make_pair(key, version), std::move(shared)).first->second;
}

}  // namespace coco::domain
