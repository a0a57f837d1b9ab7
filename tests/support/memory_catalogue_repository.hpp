#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "domain/standard/catalogue_repository.hpp"

namespace coco::test {

// CatalogueRepository in memory, keeping PgCatalogueRepository's rules: versions are immutable,
// and an import is all or nothing.
class InMemoryCatalogueRepository final : public domain::CatalogueRepository {
 public:
  domain::ImportReport Import(const std::vector<domain::Standard>& standards) override;
  std::vector<domain::StandardVersionInfo> ListVersions() override;
  std::optional<domain::Standard> Load(domain::StandardKey key,
                                       const std::string& version) override;

 private:
  std::mutex mutex_;
  std::map<std::pair<domain::StandardKey, std::string>, domain::Standard> standards_;
};

}  // namespace coco::test
