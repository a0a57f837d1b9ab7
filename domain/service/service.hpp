#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/common/date.hpp"
#include "domain/common/ports.hpp"
#include "domain/common/uuid.hpp"
#include "domain/standard/scope_profile.hpp"
#include "domain/standard/standard.hpp"

namespace coco::domain {

// One system or contract a supplier runs for the department (DESIGN.md §2).
struct Service {
  ServiceId id;
  SupplierId supplier_id;
  std::string name;
  std::optional<std::string> contract_ref;
  std::optional<Date> contract_start;
  std::optional<Date> contract_end;
  ScopeProfile profile;
  std::string profile_hash;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
  long long version = 1;
  // The standards the profile requires, in key order: each standard's applies_when (its latest
  // version) evaluated when the profile was written or a standard version was imported. Every
  // status read takes the required standards from here.
  std::vector<StandardKey> required_standards = {};
};

struct NewService {
  std::string name;
  std::optional<std::string> contract_ref;
  std::optional<Date> contract_start;
  std::optional<Date> contract_end;
  ScopeProfile profile;
};

// Absent = unchanged; an inner nullopt clears an optional field.
struct ServicePatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> contract_ref;
  std::optional<std::optional<Date>> contract_start;
  std::optional<std::optional<Date>> contract_end;
  std::optional<ScopeProfile> profile;
};

// Rules beyond the wire format: name 1..200, contract_ref 1..100, contract_end not before
// contract_start, offshore countries ISO 3166-1 alpha-2, no offshore entry listed twice.
void ValidateService(const std::string& name, const std::optional<std::string>& contract_ref,
                     const std::optional<Date>& start, const std::optional<Date>& end,
                     const ScopeProfile& profile);

// The canonical JSON of a profile (offshore entries in a fixed order) and its SHA-256: two
// profiles that mean the same thing hash the same.
std::string CanonicalProfile(const ScopeProfile& profile);
std::string ProfileHash(const Hasher& hasher, const ScopeProfile& profile);

}  // namespace coco::domain
