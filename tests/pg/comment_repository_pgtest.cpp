#include "persistence/pg_review_repositories.hpp"
#include "tests/pg/contract_harness.hpp"
#include "tests/support/comment_repository_contract.hpp"

namespace coco::test {
namespace {

struct PostgresHarness : PgContractHarness {
  persistence::PgCommentRepository repo{*pool, *audit};
  domain::CommentRepository& repository() { return repo; }
};

using Harnesses = ::testing::Types<PostgresHarness>;
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, CommentRepositoryContract, Harnesses);

}  // namespace
}  // namespace coco::test
