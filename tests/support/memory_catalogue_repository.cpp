#include "tests/support/memory_catalogue_repository.hpp"

#include "domain/common/error.hpp"

namespace coco::test {

domain::ImportReport InMemoryCatalogueRepository::Import(
    const std::vector<domain::Standard>& standards) {
  std::lock_guard lock(mutex_);
  domain::ImportReport report;
  auto imported = standards_;  // committed only when every version passed
  for (const auto& standard : standards) {
    const std::string label = std::string(domain::ToString(standard.key)) + " " + standard.version;
    const auto [existing, added] =
        imported.try_emplace(std::pair(standard.key, standard.version), standard);
    if (added) {
      report.added.push_back(label);
    } else if (existing->second.content_sha256 == standard.content_sha256) {
      report.unchanged.push_back(label);
    } else {
      throw domain::FailedPrecondition(
          label +
              " is already imported with different content; a published version never "
              "changes: give the changed file a new version",
          "catalogue_version_changed");
    }
  }
  standards_ = std::move(imported);
  return report;
}

std::vector<domain::StandardVersionInfo> InMemoryCatalogueRepository::ListVersions() {
  std::lock_guard lock(mutex_);
  std::vector<domain::StandardVersionInfo> versions;
  for (const auto& [key, standard] : standards_) {
    domain::StandardVersionInfo info{standard.key,
                                     standard.version,
                                     standard.title,
                                     0,
                                     0,
                                     standard.review_interval_months,
                                     "2026-11-01T00:00:00.000000Z"};
    for (const auto& requirement : standard.requirements) {
      (requirement.level == domain::Level::kMust ? info.must_count : info.should_count)++;
    }
    versions.push_back(std::move(info));
  }
  return versions;
}

std::optional<domain::Standard> InMemoryCatalogueRepository::Load(domain::StandardKey key,
                                                                  const std::string& version) {
  std::lock_guard lock(mutex_);
  const auto found = standards_.find(std::pair(key, version));
  if (found == standards_.end()) return std::nullopt;
  return found->second;
}

}  // namespace coco::test
