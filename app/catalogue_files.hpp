#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "domain/common/ports.hpp"
#include "domain/standard/standard.hpp"

namespace coco::app {

// Reads every catalogue file (*.json except schema.json) in `dir`, checks each against the
// catalogue JSON Schema compiled into coco (standards/schema.json), compiles every applies_when
// expression and applies the catalogue rules, before anything is written anywhere.
//
// Throws domain::Error(kInvalidArgument, "invalid_catalogue") whose details name every problem
// found: the file, the requirement and the position ("standards/coco-1.0.json: COCO-23
// applies_when: at position 2: unknown field 'offshor'"). Two files for the same key and version
// are a problem too.
std::vector<domain::Standard> LoadCatalogueDirectory(const std::filesystem::path& dir,
                                                     const domain::Hasher& hasher);

// The same for one file's text; `name` is used in messages.
domain::Standard ParseCatalogueFile(const std::string& name, const std::string& text,
                                    const domain::Hasher& hasher);

}  // namespace coco::app
