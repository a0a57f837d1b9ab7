#include "tests/support/comment_repository_contract.hpp"
#include "tests/support/memory_comment_repository.hpp"

namespace coco::test {
namespace {

struct InMemoryCommentHarness {
  InMemoryCommentRepository repo;
  domain::CommentRepository& repository() { return repo; }
  std::vector<std::string> AuditActions() const { return repo.AuditActions(); }
  // The fake keeps no users or assessments: a comment's references are the caller's to check.
  void SeedUser(const domain::UserId&) {}
  void SeedAssessment(const domain::Assessment&) {}
};

using CommentHarnesses = ::testing::Types<InMemoryCommentHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(InMemory, CommentRepositoryContract, CommentHarnesses);

}  // namespace
}  // namespace coco::test
