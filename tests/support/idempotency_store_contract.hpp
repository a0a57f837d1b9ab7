#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "domain/idempotency/idempotency.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/repository_contract_support.hpp"

// The contract every IdempotencyStore keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg). The claim on a key is taken by a guarded write, not by this port; a Harness
// provides store(), Claim(IdempotencyClaim, entity, entity_id) (a write that claims the key, as
// its audit append does), Advance(duration) and Now() (the clock both use).
namespace coco::test {

template <typename Harness>
class IdempotencyStoreContract : public ::testing::Test {
 protected:
  Harness harness_;
  domain::IdempotencyStore& store() { return harness_.store(); }

  static domain::UserId User(int n) { return domain::UserId::Parse(NthUuid(n)); }
  static domain::IdempotencyClaim ClaimOf(int user, const std::string& key,
                                          const std::string& claim_id) {
    return domain::IdempotencyClaim{User(user), key, std::string(64, 'f'), claim_id};
  }
  static domain::StoredResponse Created() {
    return domain::StoredResponse{
        201, "application/json", {{"Location", "/suppliers/1"}, {"ETag", "\"1\""}}, R"({"id":1})"};
  }
};

TYPED_TEST_SUITE_P(IdempotencyStoreContract);

TYPED_TEST_P(IdempotencyStoreContract, AClaimedKeyIsFoundUncompletedAndOnlyForItsUser) {
  EXPECT_FALSE(this->store().Find(this->User(1), "key-1").has_value());
  this->harness_.Claim(this->ClaimOf(1, "key-1", "claim-a"), "supplier", NthUuid(101));
  const auto record = this->store().Find(this->User(1), "key-1");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->fingerprint, std::string(64, 'f'));
  EXPECT_EQ(record->created_at, this->harness_.Now());
  EXPECT_EQ(record->entity, "supplier");
  EXPECT_EQ(record->entity_id, NthUuid(101));
  EXPECT_FALSE(record->completed);
  EXPECT_FALSE(record->response.has_value());
  EXPECT_FALSE(this->store().Find(this->User(2), "key-1").has_value());
  EXPECT_FALSE(this->store().Find(this->User(1), "key-2").has_value());
}

TYPED_TEST_P(IdempotencyStoreContract, ACompletedClaimKeepsTheResponseForReplay) {
  const auto claim = this->ClaimOf(1, "key-1", "claim-a");
  this->harness_.Claim(claim, "supplier", NthUuid(101));
  this->store().Complete(claim, this->Created(), true);
  const auto record = this->store().Find(this->User(1), "key-1");
  ASSERT_TRUE(record.has_value());
  EXPECT_TRUE(record->completed);
  EXPECT_EQ(record->entity_id, NthUuid(101));
  ASSERT_TRUE(record->response.has_value());
  EXPECT_EQ(record->response->status, 201);
  EXPECT_EQ(record->response->content_type, "application/json");
  EXPECT_EQ(record->response->headers, this->Created().headers);
  EXPECT_EQ(record->response->body, R"({"id":1})");
}

// A response holding a secret is not kept: the record says only that the request completed.
TYPED_TEST_P(IdempotencyStoreContract, AResponseNotKeptLeavesOnlyTheCompletion) {
  const auto claim = this->ClaimOf(1, "key-1", "claim-a");
  this->harness_.Claim(claim, "token", NthUuid(5));
  this->store().Complete(claim, this->Created(), false);
  const auto record = this->store().Find(this->User(1), "key-1");
  ASSERT_TRUE(record.has_value());
  EXPECT_TRUE(record->completed);
  EXPECT_FALSE(record->response.has_value());
}

// A guarded request whose write claimed nothing (it appended no audit event) is recorded now.
TYPED_TEST_P(IdempotencyStoreContract, CompletingAnUnclaimedKeyRecordsIt) {
  this->store().Complete(this->ClaimOf(1, "key-1", "claim-a"), this->Created(), true);
  const auto record = this->store().Find(this->User(1), "key-1");
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->fingerprint, std::string(64, 'f'));
  EXPECT_EQ(record->created_at, this->harness_.Now());
  EXPECT_FALSE(record->entity.has_value());
  EXPECT_TRUE(record->completed);
  ASSERT_TRUE(record->response.has_value());
  EXPECT_EQ(record->response->status, 201);
}

// Only the request holding the claim completes it.
TYPED_TEST_P(IdempotencyStoreContract, ACompletionUnderAnotherRequestsClaimChangesNothing) {
  this->harness_.Claim(this->ClaimOf(1, "key-1", "claim-a"), "supplier", NthUuid(101));
  this->store().Complete(this->ClaimOf(1, "key-1", "claim-b"), this->Created(), true);
  const auto record = this->store().Find(this->User(1), "key-1");
  ASSERT_TRUE(record.has_value());
  EXPECT_FALSE(record->completed);
  EXPECT_FALSE(record->response.has_value());
}

TYPED_TEST_P(IdempotencyStoreContract, AKeyIsForgottenAtTheEndOfItsLifetime) {
  const auto claim = this->ClaimOf(1, "key-1", "claim-a");
  this->harness_.Claim(claim, "supplier", NthUuid(101));
  this->store().Complete(claim, this->Created(), true);
  this->harness_.Advance(domain::kIdempotencyKeyLifetime - std::chrono::microseconds(1));
  EXPECT_TRUE(this->store().Find(this->User(1), "key-1").has_value());
  this->harness_.Advance(std::chrono::microseconds(1));
  EXPECT_FALSE(this->store().Find(this->User(1), "key-1").has_value());
  // Once forgotten, the key is free for a new request's write.
  this->harness_.Claim(this->ClaimOf(1, "key-1", "claim-b"), "service", NthUuid(7));
  const auto fresh = this->store().Find(this->User(1), "key-1");
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(fresh->created_at, this->harness_.Now());
  EXPECT_EQ(fresh->entity_id, NthUuid(7));
  EXPECT_FALSE(fresh->completed);
}

REGISTER_TYPED_TEST_SUITE_P(IdempotencyStoreContract,
                            AClaimedKeyIsFoundUncompletedAndOnlyForItsUser,
                            ACompletedClaimKeepsTheResponseForReplay,
                            AResponseNotKeptLeavesOnlyTheCompletion,
                            CompletingAnUnclaimedKeyRecordsIt,
                            ACompletionUnderAnotherRequestsClaimChangesNothing,
                            AKeyIsForgottenAtTheEndOfItsLifetime);

}  // namespace coco::test
