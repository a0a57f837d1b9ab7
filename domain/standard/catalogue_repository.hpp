#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/standard/standard.hpp"

namespace coco::domain {

struct StandardVersionInfo {
  StandardKey key;
  std::string version;
  std::string title;
  int must_count = 0;
  int should_count = 0;
  int review_interval_months = 12;
  std::string imported_at;  // RFC 3339
};

struct ImportReport {
  std::vector<std::string> added;      // "COCO 1.0"
  std::vector<std::string> unchanged;  // already imported with the same content
};

// The published standards. Versions are immutable once imported.
class CatalogueRepository {
 public:
  virtual ~CatalogueRepository() = default;

  // Imports all of `standards` in one transaction: a version not yet present is added; one
  // present with the same content_sha256 is left alone; one present with other content fails the
  // whole import with kFailedPrecondition ("catalogue_version_changed") naming the standard and
  // version, and nothing is written.
  virtual ImportReport Import(const std::vector<Standard>& standards) = 0;

  // Every imported version of every standard.
  virtual std::vector<StandardVersionInfo> ListVersions() = 0;

  // One version with its requirements in catalogue order, if imported.
  virtual std::optional<Standard> Load(StandardKey key, const std::string& version) = 0;
};

}  // namespace coco::domain
