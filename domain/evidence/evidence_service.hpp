#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/evidence/evidence_repository.hpp"
#include "domain/supplier/supplier_repository.hpp"

namespace coco::domain {

struct Upload {
  std::string filename;
  EvidenceKind kind;
  std::optional<Date> issued_on;
  std::optional<Date> expires_on;
  std::string media_type;
  std::optional<std::string> expected_sha256;  // hex, from a Content-Digest header
};

// Evidence use cases (DESIGN.md §4): the owning supplier uploads; the supplier, assessors, risk
// owners and admins read metadata and bytes; procurement never gets bytes.
class EvidenceService {
 public:
  EvidenceService(EvidenceRepository& evidence, SupplierRepository& suppliers, const Hasher& hasher,
                  IdGenerator& ids, const Clock& clock)
      : evidence_(evidence), suppliers_(suppliers), hasher_(hasher), ids_(ids), clock_(clock) {}

  // kMalformed "empty_body" (400) for no bytes, "digest_mismatch" (400) when the bytes do
  // not hash to `expected_sha256`; nothing is stored then.
  Evidence Upload(const Actor& actor, const SupplierId& supplier,
                  const Parsed<domain::Upload>& upload, std::string_view bytes);
  Evidence Get(const Actor& actor, const EvidenceId& id);
  PageResult<Evidence> List(const Actor& actor, const SupplierId& supplier,
                            const EvidenceFilter& filter, const PageRequest& page);
  // The metadata and the exact bytes.
  std::pair<Evidence, std::string> Content(const Actor& actor, const EvidenceId& id);

 private:
  EvidenceRepository& evidence_;
  SupplierRepository& suppliers_;
  const Hasher& hasher_;
  IdGenerator& ids_;
  const Clock& clock_;
};

}  // namespace coco::domain
