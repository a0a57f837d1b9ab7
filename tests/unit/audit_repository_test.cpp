#include "security/openssl_hasher.hpp"
#include "tests/support/audit_repository_contract.hpp"
#include "tests/support/memory_audit_repository.hpp"

namespace coco::test {
namespace {

struct InMemoryAuditHarness {
  security::OpensslHasher sha256;  // the hash the chain really uses
  FakeClock clock;
  InMemoryAuditRepository repo{sha256, clock};
  domain::AuditRepository& repository() { return repo; }
  const domain::Hasher& hasher() const { return sha256; }
  long long Append(const domain::Actor& actor, const domain::AuditEntry& entry) {
    return repo.Append(actor, entry);
  }
  void Advance(std::chrono::system_clock::duration by) { clock.Advance(by); }
  std::chrono::system_clock::time_point Now() const { return clock.Now(); }
  void TamperDetail(long long seq, const std::string& detail) {
    repo.Tamper(seq, [&](domain::AuditEvent& event) { event.detail = detail; });
  }
};

using AuditHarnesses = ::testing::Types<InMemoryAuditHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, AuditRepositoryContract, AuditHarnesses);

}  // namespace
}  // namespace coco::test
