#pragma once

#include <memory>
#include <string>

#include "domain/assessment/assessment_service.hpp"
#include "domain/review/review_service.hpp"
#include "domain/risk_exception/risk_exception_service.hpp"
#include "domain/service/service_service.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/supplier/supplier_service.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/memory_assessment_repository.hpp"
#include "tests/support/memory_catalogue_repository.hpp"
#include "tests/support/memory_comment_repository.hpp"
#include "tests/support/memory_evidence_repository.hpp"
#include "tests/support/memory_risk_exception_repository.hpp"
#include "tests/support/memory_service_repository.hpp"
#include "tests/support/memory_supplier_repository.hpp"

// The domain's use cases over in-memory repositories, with the shipped catalogue: for unit tests
// of their rules without a database. Tests/http holds the same stories over HTTP.
namespace coco::test {

class MemoryWorld {
 public:
  MemoryWorld();

  // A principal of `role` (and of `supplier`, for a supplier user), as authentication makes it.
  domain::Actor ActorOf(domain::Role role,
                        std::optional<domain::SupplierId> supplier = std::nullopt);
  domain::Actor Admin() { return ActorOf(domain::Role::kAdmin); }

  domain::Supplier NewSupplier(const std::string& name);
  domain::Service NewService(const domain::Supplier& supplier, const domain::ScopeProfile& profile);
  // A draft of the latest version of `key`, scoped on the service's profile.
  domain::Assessment NewDraft(const domain::Service& service, domain::StandardKey key);
  // An evidence file of `supplier`, stored through the port.
  domain::EvidenceId Upload(const domain::SupplierId& supplier, domain::EvidenceKind kind);
  // Answers every response met, attaching a file of a kind its requirement accepts.
  void AnswerEverythingMet(const domain::Actor& supplier_user, const domain::AssessmentId& id);
  // A SUPPLIER assessment of `service` started, answered, submitted and claimed by `assessor`.
  domain::Assessment InReview(const domain::Actor& supplier_user, const domain::ServiceId& service,
                              const domain::Actor& assessor);

  FakeClock clock;
  FakeHasher hasher;
  SequentialIds ids{1000};
  MemoryDatabase database;
  InMemorySupplierRepository supplier_repository;
  InMemoryServiceRepository service_repository{database};
  InMemoryAssessmentRepository assessment_repository{database};
  InMemoryCatalogueRepository catalogue_repository;
  domain::Catalogue catalogue{catalogue_repository};
  domain::SupplierService suppliers{supplier_repository, ids, clock};
  InMemoryEvidenceRepository evidence_repository;
  InMemoryRiskExceptionRepository exception_repository;
  InMemoryCommentRepository comment_repository;
  domain::ServiceService services{
      service_repository, supplier_repository, catalogue, ids, hasher, clock};
  domain::AssessmentService assessments{
      assessment_repository, service_repository, evidence_repository, catalogue, ids, clock};
  domain::ReviewService reviews{assessment_repository, comment_repository, catalogue, ids, clock};
  domain::RiskExceptionService exceptions{exception_repository, assessment_repository, ids, clock};

 private:
  int next_user_ = 100;
};

}  // namespace coco::test
