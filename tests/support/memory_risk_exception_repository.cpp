#include "tests/support/memory_risk_exception_repository.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "domain/common/error.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/memory_paging.hpp"

namespace coco::test {
namespace {

auto CreatedAt(const domain::RiskException& exception) { return exception.created_at; }

}  // namespace

std::vector<domain::RiskException> InMemoryRiskExceptionRepository::Matching(
    const std::function<bool(const domain::RiskException&)>& keep) const {
  std::vector<domain::RiskException> matching;
  for (const auto& [id, exception] : exceptions_) {
    if (keep(exception)) matching.push_back(exception);
  }
  // KeysetPageOf with no limit to speak of sorts them as the SQL does: (created_at, id).
  return KeysetPageOf(std::move(matching), domain::PageRequest{1 << 30, std::nullopt}, CreatedAt)
      .items;
}

domain::RiskException InMemoryRiskExceptionRepository::Add(const domain::AssessmentId& id,
                                                           const domain::Actor&,
                                                           const Maker& make) {
  std::lock_guard lock(mutex_);
  const auto assessment = assessments_.find(id.str());
  if (assessment == assessments_.end()) throw domain::NotFound("no such assessment");
  const auto [exception, audit] = make(
      assessment->second, Matching([&](const auto& other) { return other.assessment_id == id; }));
  // The primary key first, as PostgreSQL checks it before the foreign keys.
  if (exceptions_.count(exception.id.str()) != 0) {
    throw domain::AlreadyExists("an object with the same key already exists");
  }
  // The foreign keys of the table: the exception's assessment and its response must exist.
  const auto owner = assessments_.find(exception.assessment_id.str());
  if (owner == assessments_.end() ||
      owner->second.FindResponse(exception.requirement_id) == nullptr) {
    throw domain::NotFound("a referenced object does not exist");
  }
  exceptions_.emplace(exception.id.str(), exception);
  audit_.push_back(audit);
  return exception;
}

std::optional<domain::RiskException> InMemoryRiskExceptionRepository::Find(
    const domain::ExceptionId& id) {
  std::lock_guard lock(mutex_);
  const auto found = exceptions_.find(id.str());
  if (found == exceptions_.end()) return std::nullopt;
  return found->second;
}

domain::PageResult<domain::RiskException> InMemoryRiskExceptionRepository::List(
    const domain::AssessmentId& assessment, const domain::PageRequest& page) {
  std::lock_guard lock(mutex_);
  return KeysetPageOf(
      Matching([&](const auto& exception) { return exception.assessment_id == assessment; }), page,
      CreatedAt);
}

std::optional<domain::PageResult<domain::RiskException>>
InMemoryRiskExceptionRepository::ListBySupplier(const domain::SupplierId& supplier,
                                                const domain::PageRequest& page) {
  std::lock_guard lock(mutex_);
  auto page_of = KeysetPageOf(
      Matching([&](const auto& exception) { return exception.supplier_id == supplier; }), page,
      CreatedAt);
  if (page_of.items.empty() && suppliers_.count(supplier.str()) == 0) return std::nullopt;
  return page_of;
}

domain::PageResult<domain::RiskException> InMemoryRiskExceptionRepository::ListByExpiry(
    const domain::ExceptionQuery& query, const domain::PageRequest& page) {
  domain::RequireDayPosition(page);
  auto named = [&](const domain::RiskException& exception) {
    if (query.supplier && exception.supplier_id != *query.supplier) return false;
    if (query.expires_before && !(exception.expires_on < *query.expires_before)) return false;
    return !query.keep || query.keep(exception);
  };
  std::lock_guard lock(mutex_);
  return KeysetPageBy(Matching(named), page, [](const domain::RiskException& exception) {
    return std::pair<long long, std::string>(domain::DayPosition(exception.expires_on),
                                             exception.id.str());
  });
}

std::vector<domain::RiskException> InMemoryRiskExceptionRepository::AllOf(
    const domain::AssessmentId& assessment) {
  std::lock_guard lock(mutex_);
  return Matching([&](const auto& exception) { return exception.assessment_id == assessment; });
}

domain::RiskException InMemoryRiskExceptionRepository::Update(
    const domain::ExceptionId& id, std::optional<long long> expected_version, const domain::Actor&,
    const std::function<domain::AuditEntry(domain::RiskException&)>& change) {
  std::lock_guard lock(mutex_);
  const auto found = exceptions_.find(id.str());
  if (found == exceptions_.end()) throw domain::NotFound("no such exception");
  if (expected_version && *expected_version != found->second.version) {
    throw domain::StaleVersion(found->second.version);
  }
  domain::RiskException changed = found->second;  // a change that throws leaves it alone
  const domain::AuditEntry audit = change(changed);
  // Only the revocation is saved, as PostgreSQL's UPDATE saves nothing else.
  found->second.revoked_at = changed.revoked_at;
  found->second.revoked_by = changed.revoked_by;
  changed.version = ++found->second.version;
  audit_.push_back(audit);
  return changed;
}

void InMemoryRiskExceptionRepository::AddSupplier(const domain::SupplierId& supplier) {
  std::lock_guard lock(mutex_);
  suppliers_.insert(supplier.str());
}

void InMemoryRiskExceptionRepository::AddAssessment(const domain::Assessment& assessment) {
  std::lock_guard lock(mutex_);
  suppliers_.insert(assessment.supplier_id.str());
  assessments_.insert_or_assign(assessment.id.str(), assessment);
}

std::vector<std::string> InMemoryRiskExceptionRepository::AuditActions() const {
  std::lock_guard lock(mutex_);
  return ActionsOf(audit_);
}

}  // namespace coco::test
