#include "domain/supplier/supplier.hpp"

#include <algorithm>
#include <cctype>

#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"

namespace coco::domain {
namespace {

void CheckName(const std::string& name, std::vector<ErrorDetail>& problems) {
  if (name.empty() || CharacterCount(name) > 200) {
    problems.push_back({"name", "invalid_length", "name must be 1 to 200 characters"});
  }
}

void CheckCompaniesHouse(const std::string& number, std::vector<ErrorDetail>& problems) {
  const bool ok = number.size() == 8 && std::all_of(number.begin(), number.end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                  });
  if (!ok) {
    problems.push_back({"companies_house_number", "invalid_format",
                        "a Companies House number is 8 characters of A-Z and 0-9"});
  }
}

void CheckEmail(const std::string& email, std::vector<ErrorDetail>& problems) {
  if (!IsPlausibleEmail(email)) {
    problems.push_back(
        {"contact_email", "invalid_email", "contact_email is not an e-mail address"});
  }
}

void Throw(std::vector<ErrorDetail> problems) {
  if (problems.empty()) return;
  throw InvalidArgument("the supplier is invalid: " + problems.front().detail, "invalid_body")
      .WithDetails(std::move(problems));
}

}  // namespace

std::optional<SupplierState> TryParseSupplierState(std::string_view text) {
  if (text == "active") return SupplierState::kActive;
  if (text == "offboarded") return SupplierState::kOffboarded;
  return std::nullopt;
}

std::string_view ToString(SupplierState state) {
  return state == SupplierState::kActive ? "active" : "offboarded";
}

bool IsPlausibleEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return false;
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at != email.rfind('@')) return false;
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.') {
    return false;
  }
  return std::none_of(email.begin(), email.end(),
                      [](unsigned char c) { return std::isspace(c) || std::iscntrl(c); });
}

void ValidateNewSupplier(const NewSupplier& supplier) {
  std::vector<ErrorDetail> problems;
  CheckName(supplier.name, problems);
  if (supplier.companies_house_number)
    CheckCompaniesHouse(*supplier.companies_house_number, problems);
  CheckEmail(supplier.contact_email, problems);
  Throw(std::move(problems));
}

void ValidateSupplierPatch(const SupplierPatch& patch) {
  std::vector<ErrorDetail> problems;
  if (patch.name) CheckName(*patch.name, problems);
  if (patch.companies_house_number && *patch.companies_house_number) {
    CheckCompaniesHouse(**patch.companies_house_number, problems);
  }
  if (patch.contact_email) CheckEmail(*patch.contact_email, problems);
  Throw(std::move(problems));
}

}  // namespace coco::domain
