#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "domain/common/date.hpp"
#include "domain/common/uuid.hpp"
#include "domain/standard/standard.hpp"

namespace coco::domain {

struct EvidenceIdTag {
  static constexpr std::string_view kWhat = "evidence id";
};
using EvidenceId = Id<EvidenceIdTag>;

// One uploaded file's metadata (DESIGN.md §2). The bytes are immutable and stored once per
// SHA-256 within the supplier.
struct Evidence {
  EvidenceId id;
  SupplierId supplier_id;
  std::string filename;
  std::string media_type;
  long long size = 0;
  std::string sha256;  // hex
  EvidenceKind kind;
  std::optional<Date> issued_on;
  std::optional<Date> expires_on;
  UserId uploaded_by;
  std::chrono::system_clock::time_point uploaded_at;

  std::optional<Date> LapsesOn() const;
};

// The lapse date of a file: `expires_on`; else `issued_on` + 12 months for pen test reports,
// IT health checks and both Cyber Essentials kinds; else none.
std::optional<Date> LapseDate(EvidenceKind kind, const std::optional<Date>& issued_on,
                              const std::optional<Date>& expires_on);

// File names: 1..255 characters, no path separators, no control characters.
bool IsSafeFilename(std::string_view name);
// Media types: "type/subtype" of token characters, optional parameters, at most 127 characters.
bool IsPlausibleMediaType(std::string_view media_type);

}  // namespace coco::domain
