#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/standard/catalogue_repository.hpp"

namespace coco::domain {

// Read access to the published standards for the rest of the domain. A version never changes
// once imported, so each is loaded (and its expressions compiled) once and kept; the list of
// versions is read from the repository each time, so an import by the CLI shows up at once.
class Catalogue {
 public:
  explicit Catalogue(CatalogueRepository& repository) : repository_(repository) {}

  std::vector<StandardVersionInfo> Versions();
  // The versions of one standard, oldest first; empty if none was imported.
  std::vector<StandardVersionInfo> Versions(StandardKey key);
  // The newest version of `key`; kNotFound ("standard_not_found") if none was imported.
  std::shared_ptr<const Standard> Latest(StandardKey key);
  // The newest of `versions` (as returned by Versions(key)), saving a second listing.
  std::shared_ptr<const Standard> Latest(StandardKey key,
                                         const std::vector<StandardVersionInfo>& versions);
  // kNotFound ("version_not_found") if that version was never imported.
  std::shared_ptr<const Standard> Get(StandardKey key, const std::string& version);

 private:
  CatalogueRepository& repository_;
  std::mutex mutex_;
  std::map<std::pair<StandardKey, std::string>, std::shared_ptr<const Standard>> loaded_;
};

// Parses a standard key as it appears in URLs and bodies ("COCO"); kNotFound
// ("standard_not_found") for anything else, since the key names a resource.
StandardKey ParseStandardKeyOrNotFound(std::string_view text);

}  // namespace coco::domain
