#include "tests/support/memory_service_repository.hpp"

#include <algorithm>
#include <set>

#include "domain/common/error.hpp"
#include "tests/support/memory_paging.hpp"

namespace coco::test {

void InMemoryServiceRepository::Insert(const domain::Service& service, const domain::Actor&,
                                       const domain::AuditEntry& audit) {
  std::lock_guard lock(database_.mutex);
  if (!database_.supplier_exists(service.supplier_id)) {
    throw domain::NotFound("a referenced object does not exist");
  }
  if (database_.services.contains(service.id.str())) {
    throw domain::AlreadyExists("an object with the same key already exists");
  }
  database_.services.emplace(service.id.str(), service);
  database_.audit.push_back(audit);
}

std::optional<domain::Service> InMemoryServiceRepository::Find(const domain::ServiceId& id) {
  std::lock_guard lock(database_.mutex);
  const auto found = database_.services.find(id.str());
  if (found == database_.services.end()) return std::nullopt;
  return found->second;
}

domain::PageResult<domain::Service> InMemoryServiceRepository::ListBySupplier(
    const domain::SupplierId& supplier, const domain::PageRequest& page) {
  std::lock_guard lock(database_.mutex);
  std::vector<domain::Service> theirs;
  for (const auto& [id, service] : database_.services) {
    if (service.supplier_id == supplier) theirs.push_back(service);
  }
  return KeysetPageOf(std::move(theirs), page,
                      [](const domain::Service& service) { return service.created_at; });
}

domain::Service InMemoryServiceRepository::Update(
    const domain::ServiceId& id, std::optional<long long> expected_version, const domain::Actor&,
    const std::function<domain::AuditEntry(domain::Service&)>& change, const Rescope& rescope) {
  std::lock_guard lock(database_.mutex);
  const auto found = database_.services.find(id.str());
  if (found == database_.services.end()) throw domain::NotFound("no such service");
  if (expected_version && *expected_version != found->second.version) {
    throw domain::StaleVersion(found->second.version);
  }
  // Edits a copy: a change that throws leaves the stored row as it was.
  domain::Service service = found->second;
  domain::AuditEntry audit = change(service);
  ++service.version;
  if (service.profile_hash != found->second.profile_hash) RescopeDrafts(service, rescope, audit);
  found->second = service;
  database_.audit.push_back(audit);
  return service;
}

std::vector<domain::ServiceId> InMemoryServiceRepository::ReviseRequiredStandards(
    const domain::Actor&,
    const std::function<std::optional<domain::AuditEntry>(domain::Service&)>& revise) {
  std::lock_guard lock(database_.mutex);
  std::vector<domain::ServiceId> changed;
  for (auto& [id, stored] : database_.services) {
    domain::Service service = stored;
    auto audit = revise(service);
    if (!audit) continue;
    stored.required_standards = service.required_standards;  // only this is stored
    changed.push_back(service.id);
    database_.audit.push_back(std::move(*audit));
  }
  return changed;
}

void InMemoryServiceRepository::RescopeDrafts(const domain::Service& service,
                                              const Rescope& rescope, domain::AuditEntry& audit) {
  std::vector<domain::Assessment*> drafts;
  for (auto& [id, assessment] : database_.assessments) {
    if (assessment.service_id == service.id &&
        assessment.state == domain::AssessmentState::kDraft) {
      drafts.push_back(&assessment);
    }
  }
  std::sort(drafts.begin(), drafts.end(), [](const auto* a, const auto* b) {
    return std::pair(a->created_at, a->id.str()) < std::pair(b->created_at, b->id.str());
  });
  std::vector<std::string> rescoped;
  std::vector<std::string> withdrawn;
  for (domain::Assessment* draft : drafts) {
    const auto scoped = rescope(draft->standard, draft->standard_version, service.profile);
    draft->profile_hash = service.profile_hash;
    ++draft->version;
    if (scoped.empty()) {
      draft->state = domain::AssessmentState::kWithdrawn;
      withdrawn.push_back(draft->id.str());
      continue;
    }
    // Answers to requirements that still apply are kept; the rest go; new ones come empty.
    std::vector<domain::Response> responses;
    for (const auto& wanted : scoped) {
      if (const domain::Response* kept = draft->FindResponse(wanted.requirement_id)) {
        responses.push_back(*kept);
        responses.back().position = wanted.position;
      } else {
        responses.push_back(wanted);
        responses.back().updated_at = service.updated_at;
      }
    }
    std::sort(responses.begin(), responses.end(),
              [](const auto& a, const auto& b) { return a.position < b.position; });
    draft->responses = std::move(responses);
    rescoped.push_back(draft->id.str());
  }
  if (!rescoped.empty()) audit.detail.Set("rescoped_assessments", rescoped);
  if (!withdrawn.empty()) audit.detail.Set("withdrawn_assessments", withdrawn);
}

}  // namespace coco::test
