#include "persistence/pg_review_repositories.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/comment_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresCommentHarness : PgContractHarness {
  persistence::PgCommentRepository repo{*pool, *audit};
  domain::CommentRepository& repository() { return repo; }
};

using CommentHarnesses = ::testing::Types<PostgresCommentHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, CommentRepositoryContract, CommentHarnesses);

}  // namespace
}  // namespace coco::test
