#include <set>

#include "tests/support/assessment_repository_contract.hpp"
#include "tests/support/memory_assessment_repository.hpp"
#include "tests/support/memory_service_repository.hpp"
#include "tests/support/service_repository_contract.hpp"

namespace coco::test {
namespace {

// The in-memory service and assessment repositories over one MemoryDatabase, with the suppliers
// and evidence files the contracts make.
struct InMemoryHarness {
  MemoryDatabase database;
  InMemoryServiceRepository service_repository{database};
  InMemoryAssessmentRepository assessment_repository{database};
  std::set<std::string> suppliers;
  std::map<std::string, domain::Evidence> files;
  int next_id = 5000;

  InMemoryHarness() {
    database.supplier_exists = [this](const domain::SupplierId& id) {
      return suppliers.contains(id.str());
    };
    database.find_evidence = [this](const domain::EvidenceId& id) {
      const auto found = files.find(id.str());
      return found == files.end() ? std::nullopt : std::optional(found->second);
    };
  }

  domain::ServiceRepository& services() { return service_repository; }
  domain::AssessmentRepository& assessments() { return assessment_repository; }
  domain::Actor actor() const {
    return domain::Actor{domain::Principal{domain::UserId::Parse(NthUuid(900)),
                                           "contract admin",
                                           domain::Role::kAdmin,
                                           std::nullopt,
                                           {},
                                           domain::TokenId::Parse(NthUuid(901)),
                                           {}},
                         "contract-request"};
  }
  domain::SupplierId AddSupplier() {
    const auto id = domain::SupplierId::Parse(NthUuid(++next_id));
    suppliers.insert(id.str());
    return id;
  }
  domain::EvidenceId AddEvidence(const domain::SupplierId& supplier) {
    const domain::Evidence file{domain::EvidenceId::Parse(NthUuid(++next_id)),
                                supplier,
                                "policy.pdf",
                                "application/pdf",
                                4,
                                std::string(64, '0'),
                                domain::EvidenceKind::kPolicy,
                                std::nullopt,
                                std::nullopt,
                                actor().principal.user_id,
                                {}};
    files.emplace(file.id.str(), file);
    return file.id;
  }
  std::vector<std::string> AuditActions() { return database.AuditActions(); }
};

using Harnesses = ::testing::Types<InMemoryHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, ServiceRepositoryContract, Harnesses);
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, AssessmentRepositoryContract, Harnesses);

}  // namespace
}  // namespace coco::test
