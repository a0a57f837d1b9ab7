#include "tests/support/memory_world.hpp"

#include <filesystem>

#include "app/catalogue_files.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/shipped.hpp"

namespace coco::test {

MemoryWorld::MemoryWorld() {
  security::OpensslHasher sha256;  // the catalogue's content hashes are real ones
  catalogue_repository.Import(app::LoadCatalogueDirectory(ShippedStandards(), sha256));
  database.supplier_exists = [this](const domain::SupplierId& id) {
    return supplier_repository.Find(id).has_value();
  };
  database.find_evidence = [this](const domain::EvidenceId& id) {
    return evidence_repository.Find(id);
  };
  database.exceptions_of = [this](const domain::AssessmentId& id) {
    return exception_repository.AllOf(id);
  };
}

domain::Actor MemoryWorld::ActorOf(domain::Role role, std::optional<domain::SupplierId> supplier) {
  const int n = ++next_user_;
  return domain::Actor{domain::Principal{domain::UserId::Parse(NthUuid(n)),
                                         std::string(domain::ToString(role)),
                                         role,
                                         std::move(supplier),
                                         {},
                                         domain::TokenId::Parse(NthUuid(n + 50000)),
                                         clock.Now() + std::chrono::hours(24)},
                       "unit-request-" + std::to_string(n)};
}

domain::Supplier MemoryWorld::NewSupplier(const std::string& name) {
  return suppliers.Create(Admin(), domain::NewSupplier{name, std::nullopt, "security@example.org"});
}

domain::Service MemoryWorld::NewService(const domain::Supplier& supplier,
                                        const domain::ScopeProfile& profile) {
  return services.Create(
      Admin(), supplier.id,
      domain::NewService{"payroll", std::nullopt, std::nullopt, std::nullopt, profile});
}

domain::Assessment MemoryWorld::NewDraft(const domain::Service& service, domain::StandardKey key) {
  const auto standard = catalogue.Latest(key);
  domain::Assessment draft{domain::AssessmentId(ids.NewId()),
                           service.id,
                           service.supplier_id,
                           key,
                           standard->version,
                           domain::AssessmentState::kDraft,
                           service.profile_hash,
                           Admin().principal.user_id,
                           clock.Now(),
                           std::nullopt,
                           1,
                           domain::ScopedResponses(*standard, service.profile)};
  assessment_repository.Create(
      draft, Admin(),
      domain::AuditEntry{
          "assessment.start", "assessment", draft.id.str(), service.supplier_id, {}});
  return draft;
}

domain::EvidenceId MemoryWorld::Upload(const domain::SupplierId& supplier,
                                       domain::EvidenceKind kind) {
  const std::string bytes = "evidence " + std::to_string(++next_user_);
  const domain::Evidence file{domain::EvidenceId(ids.NewId()),
                              supplier,
                              "evidence.pdf",
                              "application/pdf",
                              static_cast<long long>(bytes.size()),
                              hasher.Sha256Hex(bytes),
                              kind,
                              std::nullopt,
                              std::nullopt,
                              Admin().principal.user_id,
                              clock.Now()};
  evidence_repository.Store(
      file, bytes, Admin(),
      domain::AuditEntry{"evidence.upload", "evidence", file.id.str(), supplier, {}});
  return file.id;
}

void MemoryWorld::AnswerEverythingMet(const domain::Actor& supplier_user,
                                      const domain::AssessmentId& id) {
  const auto assessment = assessments.Get(supplier_user, id);
  const auto standard = catalogue.Get(assessment.standard, assessment.standard_version);
  for (const auto& response : assessment.responses) {
    std::vector<domain::EvidenceId> files;
    const auto* requirement = standard->Find(response.requirement_id);
    if (requirement != nullptr && !requirement->evidence_kinds.empty()) {
      files.push_back(Upload(assessment.supplier_id, requirement->evidence_kinds.front()));
    }
    assessments.Answer(supplier_user, id, response.requirement_id,
                       domain::ResponseUpdate{domain::Answer::kMet, "", files, std::nullopt},
                       std::nullopt);
  }
}

domain::Assessment MemoryWorld::InReview(const domain::Actor& supplier_user,
                                         const domain::ServiceId& service,
                                         const domain::Actor& assessor) {
  const auto draft = assessments.Start(supplier_user, service, domain::StandardKey::kSupplier);
  AnswerEverythingMet(supplier_user, draft.id);
  assessments.Submit(supplier_user, draft.id, std::nullopt);
  return assessments.Claim(assessor, draft.id, std::nullopt);
}

}  // namespace coco::test
