#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/uuid.hpp"

namespace coco::domain {

enum class SupplierState { kActive, kOffboarded };
std::optional<SupplierState> TryParseSupplierState(std::string_view text);
std::string_view ToString(SupplierState state);

// A service provider: the tenant boundary (DESIGN.md §2).
struct Supplier {
  SupplierId id;
  std::string name;
  std::optional<std::string> companies_house_number;
  std::string contact_email;
  SupplierState state = SupplierState::kActive;
  std::chrono::system_clock::time_point created_at;
  std::chrono::system_clock::time_point updated_at;
  long long version = 1;
};

struct NewSupplier {
  std::string name;
  std::optional<std::string> companies_house_number;
  std::string contact_email;
};

// Fields a PATCH may change; absent = unchanged. companies_house_number may be cleared.
struct SupplierPatch {
  std::optional<std::string> name;
  std::optional<std::optional<std::string>> companies_house_number;
  std::optional<std::string> contact_email;
  std::optional<SupplierState> state;
};

// Field rules, each failure a detail naming the field: name 1..200 characters; a Companies House
// number is 8 characters of A-Z and 0-9 (e.g. "01234567", "SC123456"); an e-mail address has one
// '@' with text on both sides and a dot in the domain.
void ValidateNewSupplier(const NewSupplier& supplier);
void ValidateSupplierPatch(const SupplierPatch& patch);
bool IsPlausibleEmail(std::string_view email);

}  // namespace coco::domain
