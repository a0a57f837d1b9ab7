#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/catalogue_files.hpp"
#include "domain/assessment/assessment_repository.hpp"
#include "domain/common/error.hpp"
#include "domain/service/service_repository.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/repository_contract_support.hpp"
#include "tests/support/shipped.hpp"

// What the service and assessment repository contracts (service_repository_contract.hpp,
// assessment_repository_contract.hpp) share: the fixture and its way of making rows. A Harness
// provides services(), assessments(), AddSupplier(), AddEvidence(supplier) and AuditActions()
// (the actions appended so far, oldest first); every write is ContractAdmin()'s, a user the
// database knows.
namespace coco::test {

inline domain::ScopeProfile Connected(bool offshore = false) {
  domain::ScopeProfile profile;
  profile.connects_to_network = true;
  if (offshore) profile.offshore = {{"IN", domain::OffshoreActivity::kDevelopment}};
  return profile;
}

// The shipped catalogue, loaded from standards/ once per test binary.
inline const domain::Standard& ShippedStandard(domain::StandardKey key) {
  static const auto kShipped = [] {
    security::OpensslHasher hasher;
    std::map<domain::StandardKey, domain::Standard> by_key;
    for (auto& standard : app::LoadCatalogueDirectory(ShippedStandards(), hasher)) {
      by_key.emplace(standard.key, std::move(standard));
    }
    return by_key;
  }();
  return kShipped.at(key);
}

template <typename Harness>
class AssuranceContract : public ::testing::Test {
 protected:
  Harness harness_;
  security::OpensslHasher hasher_;
  int next_id_ = 100;

  domain::ServiceRepository& services() { return harness_.services(); }
  domain::AssessmentRepository& assessments() { return harness_.assessments(); }

  static std::chrono::system_clock::time_point At(int seconds) { return ContractMoment(seconds); }

  domain::Service NewService(const domain::SupplierId& supplier, int seconds,
                             const domain::ScopeProfile& profile, const std::string& name) {
    return domain::Service{domain::ServiceId::Parse(NthUuid(++next_id_)),
                           supplier,
                           name,
                           std::nullopt,
                           std::nullopt,
                           std::nullopt,
                           profile,
                           domain::ProfileHash(hasher_, profile),
                           At(seconds),
                           At(seconds),
                           1};
  }

  domain::Service AddService(const domain::SupplierId& supplier, int seconds,
                             const domain::ScopeProfile& profile = Connected(),
                             const std::string& name = "payroll") {
    auto service = NewService(supplier, seconds, profile, name);
    services().Insert(
        service, ContractAdmin(),
        domain::AuditEntry{"service.create", "service", service.id.str(), supplier, {}});
    return service;
  }

  // A draft of `key` scoped on the service's profile, created `seconds` after the fixed moment.
  domain::Assessment NewDraft(const domain::Service& service, domain::StandardKey key,
                              int seconds) {
    const auto& standard = ShippedStandard(key);
    domain::Assessment assessment{domain::AssessmentId::Parse(NthUuid(++next_id_)),
                                  service.id,
                                  service.supplier_id,
                                  key,
                                  standard.version,
                                  domain::AssessmentState::kDraft,
                                  service.profile_hash,
                                  ContractAdminId(),
                                  At(seconds),
                                  std::nullopt,
                                  1,
                                  domain::ScopedResponses(standard, service.profile)};
    for (auto& response : assessment.responses) response.updated_at = At(seconds);
    return assessment;
  }

  domain::Assessment AddDraft(const domain::Service& service,
                              domain::StandardKey key = domain::StandardKey::kCoco,
                              int seconds = 10) {
    auto assessment = NewDraft(service, key, seconds);
    assessments().Create(assessment, ContractAdmin(), Entry("assessment.start", assessment));
    return assessment;
  }

  // A draft moved to `state` (submitted `submitted_seconds` after the fixed moment).
  domain::Assessment AddInState(const domain::Service& service, domain::StandardKey key,
                                domain::AssessmentState state, int submitted_seconds) {
    const auto draft = AddDraft(service, key, submitted_seconds - 5);
    return assessments().Transition(draft.id, std::nullopt, ContractAdmin(),
                                    [&](domain::Assessment& assessment) {
                                      assessment.state = state;
                                      assessment.submitted_at = At(submitted_seconds);
                                      if (state == domain::AssessmentState::kInReview) {
                                        assessment.claimed_by = ContractAdminId();
                                      }
                                      return Entry("assessment.submit", assessment);
                                    });
  }

  static domain::AuditEntry Entry(const std::string& action, const domain::Assessment& assessment) {
    return domain::AuditEntry{
        action, "assessment", assessment.id.str(), assessment.supplier_id, {}};
  }

  // A write of one response that admits everything and answers it met with `files`.
  static domain::ResponseWrite Answering(std::vector<domain::EvidenceId> files = {}) {
    domain::ResponseWrite write;
    write.admit = [](const domain::Assessment&, const domain::EvidenceLookup&) {};
    write.change = [files](const domain::Assessment& assessment, domain::Response& response) {
      response.answer = domain::Answer::kMet;
      response.justification = "done";
      response.evidence_ids = files;
      return Entry("response.answer", assessment);
    };
    return write;
  }
};

}  // namespace coco::test
