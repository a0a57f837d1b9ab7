#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "domain/audit/audit_repository.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/repository_contract_support.hpp"

// The contract every AuditRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg). Events are written by the append every write makes, not by this port; a
// Harness provides repository(), hasher() (the one the chain is hashed with), Append(Actor,
// AuditEntry) (an append as a write makes it, at the harness clock's time), Advance(duration)
// (moves that clock) and TamperDetail(seq, text) (edits a stored event behind the chain's back).
namespace coco::test {

template <typename Harness>
class AuditRepositoryContract : public ::testing::Test {
 protected:
  Harness harness_;
  domain::AuditRepository& repository() { return harness_.repository(); }

  static domain::SupplierId Supplier(int n) { return domain::SupplierId::Parse(NthUuid(100 + n)); }
  static domain::Actor User(int n, domain::Role role = domain::Role::kAdmin) {
    auto actor = ContractAdmin();
    actor.principal.user_id = domain::UserId::Parse(NthUuid(n));
    actor.principal.role = role;
    actor.request_id = "request-" + std::to_string(n);
    return actor;
  }

  long long Appended(const std::string& action, const std::string& entity, int entity_n,
                     std::optional<domain::SupplierId> supplier = std::nullopt,
                     const domain::Actor& actor = ContractAdmin()) {
    return harness_.Append(actor,
                           domain::AuditEntry{action, entity, NthUuid(entity_n), supplier, {}});
  }

  std::vector<std::string> Actions(const domain::AuditFilter& filter) {
    std::vector<std::string> actions;
    for (const auto& event : repository().List(filter)) actions.push_back(event.action);
    return actions;
  }
};

TYPED_TEST_SUITE_P(AuditRepositoryContract);

TYPED_TEST_P(AuditRepositoryContract, AnAppendedEventIsFoundAsRecorded) {
  domain::JsonObject detail;
  detail.Set("name", "Acme Ltd");
  const auto seq = this->harness_.Append(
      this->User(7, domain::Role::kAssessor),
      domain::AuditEntry{"supplier.update", "supplier", NthUuid(101), this->Supplier(1), detail});
  EXPECT_EQ(seq, 1);
  const auto event = this->repository().Find(seq);
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->seq, 1);
  EXPECT_EQ(event->at, this->harness_.Now());
  EXPECT_EQ(event->actor_user_id, NthUuid(7));
  EXPECT_EQ(event->actor_role, "assessor");
  EXPECT_EQ(event->action, "supplier.update");
  EXPECT_EQ(event->entity, "supplier");
  EXPECT_EQ(event->entity_id, NthUuid(101));
  EXPECT_EQ(event->supplier_id, NthUuid(101));
  EXPECT_EQ(event->request_id, "request-7");
  EXPECT_EQ(event->detail, R"({"name":"Acme Ltd"})");
  EXPECT_FALSE(this->repository().Find(2).has_value());
  EXPECT_FALSE(this->repository().Find(0).has_value());
}

// Each event's prev_hash is the hash before it (the genesis hash first), its hash is AuditHash
// of its content, and the head is the last event.
TYPED_TEST_P(AuditRepositoryContract, EventsChainFromGenesisAndTheHeadIsTheLast) {
  const auto empty = this->repository().Head();
  EXPECT_EQ(empty.seq, 0);
  EXPECT_EQ(empty.hash, domain::kGenesisHash);
  for (int n = 1; n <= 3; ++n) this->Appended("thing.create", "thing", n);
  const auto chain = this->repository().ReadChain(0, 10);
  ASSERT_EQ(chain.size(), 3u);
  std::string previous = domain::kGenesisHash;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    EXPECT_EQ(chain[i].seq, static_cast<long long>(i + 1));
    EXPECT_EQ(chain[i].prev_hash, previous);
    EXPECT_EQ(chain[i].hash, domain::AuditHash(this->harness_.hasher(), chain[i]));
    previous = chain[i].hash;
  }
  const auto head = this->repository().Head();
  EXPECT_EQ(head.seq, 3);
  EXPECT_EQ(head.hash, chain.back().hash);
}

TYPED_TEST_P(AuditRepositoryContract, ReadsTheChainAPageAfterASeq) {
  for (int n = 1; n <= 5; ++n) this->Appended("thing.create", "thing", n);
  auto seqs = [](const std::vector<domain::AuditEvent>& events) {
    std::vector<long long> values;
    for (const auto& event : events) values.push_back(event.seq);
    return values;
  };
  EXPECT_EQ(seqs(this->repository().ReadChain(0, 2)), (std::vector<long long>{1, 2}));
  EXPECT_EQ(seqs(this->repository().ReadChain(2, 2)), (std::vector<long long>{3, 4}));
  EXPECT_EQ(seqs(this->repository().ReadChain(4, 2)), std::vector<long long>{5});
  EXPECT_TRUE(this->repository().ReadChain(5, 2).empty());
}

// Filters combine; the list is in seq order after `after_seq`, at most limit + 1 events (the
// extra one tells the caller that more follow).
TYPED_TEST_P(AuditRepositoryContract, ListsMatchingEventsInSeqOrderAtMostLimitPlusOne) {
  this->Appended("supplier.create", "supplier", 1, std::nullopt, this->User(7));
  this->Appended("service.create", "service", 2, std::nullopt, this->User(8));
  this->harness_.Advance(std::chrono::hours(1));
  this->Appended("supplier.update", "supplier", 1, std::nullopt, this->User(8));
  this->Appended("supplier.update", "supplier", 3, std::nullopt, this->User(7));
  this->Appended("service.update", "service", 2, std::nullopt, this->User(7));

  domain::AuditFilter filter;
  EXPECT_EQ(this->Actions(filter).size(), 5u);
  filter.limit = 2;
  EXPECT_EQ(this->Actions(filter),
            (std::vector<std::string>{"supplier.create", "service.create", "supplier.update"}));
  filter.after_seq = 3;
  EXPECT_EQ(this->Actions(filter), (std::vector<std::string>{"supplier.update", "service.update"}));

  filter = {};
  filter.entity = "supplier";
  EXPECT_EQ(this->Actions(filter),
            (std::vector<std::string>{"supplier.create", "supplier.update", "supplier.update"}));
  filter.entity_id = NthUuid(1);
  EXPECT_EQ(this->Actions(filter),
            (std::vector<std::string>{"supplier.create", "supplier.update"}));
  filter = {};
  filter.actor_user_id = NthUuid(8);
  EXPECT_EQ(this->Actions(filter), (std::vector<std::string>{"service.create", "supplier.update"}));
  filter = {};
  filter.since = this->harness_.Now();  // inclusive
  EXPECT_EQ(this->Actions(filter),
            (std::vector<std::string>{"supplier.update", "supplier.update", "service.update"}));
}

// A supplier's view: only events of its own objects, and never internal ones.
TYPED_TEST_P(AuditRepositoryContract, ASupplierSeesItsOwnEventsButNoInternalOnes) {
  this->Appended("supplier.update", "supplier", 101, this->Supplier(1));
  this->Appended("supplier.update", "supplier", 102, this->Supplier(2));
  this->Appended("comment.internal", "comment", 5, this->Supplier(1));
  this->Appended("user.create", "user", 6);
  this->Appended("evidence.upload", "evidence", 7, this->Supplier(1));
  domain::AuditFilter filter;
  filter.supplier = this->Supplier(1);
  EXPECT_EQ(this->Actions(filter),
            (std::vector<std::string>{"supplier.update", "evidence.upload"}));
  filter.supplier = this->Supplier(3);
  EXPECT_TRUE(this->Actions(filter).empty());
}

TYPED_TEST_P(AuditRepositoryContract, TheHighestCheckpointIsTheLatestAndASeqKeepsItsFirstHash) {
  EXPECT_FALSE(this->repository().LatestCheckpoint().has_value());
  this->repository().SaveCheckpoint({5, std::string(64, 'b')});
  this->repository().SaveCheckpoint({3, std::string(64, 'a')});
  this->repository().SaveCheckpoint({5, std::string(64, 'c')});
  const auto latest = this->repository().LatestCheckpoint();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->seq, 5);
  EXPECT_EQ(latest->hash, std::string(64, 'b'));
}

// What /audit/verify relies on: the chain as read back verifies, and an event changed behind
// its back is found.
TYPED_TEST_P(AuditRepositoryContract, VerificationPassesOverTheStoredChainAndFindsAChange) {
  for (int n = 1; n <= 4; ++n) this->Appended("thing.create", "thing", n);
  domain::AuditLog log(this->repository(), this->harness_.hasher());
  const auto clean = log.Verify(ContractAdmin(), true);
  EXPECT_TRUE(clean.ok) << clean.problem;
  EXPECT_EQ(clean.events_checked, 4);
  ASSERT_TRUE(this->repository().LatestCheckpoint().has_value());
  EXPECT_EQ(this->repository().LatestCheckpoint()->seq, 4);

  this->harness_.TamperDetail(2, R"({"forged":true})");
  const auto broken = log.Verify(ContractAdmin(), true);
  EXPECT_FALSE(broken.ok);
  EXPECT_EQ(broken.first_broken_seq, 2);
}

REGISTER_TYPED_TEST_SUITE_P(AuditRepositoryContract, AnAppendedEventIsFoundAsRecorded,
                            EventsChainFromGenesisAndTheHeadIsTheLast, ReadsTheChainAPageAfterASeq,
                            ListsMatchingEventsInSeqOrderAtMostLimitPlusOne,
                            ASupplierSeesItsOwnEventsButNoInternalOnes,
                            TheHighestCheckpointIsTheLatestAndASeqKeepsItsFirstHash,
                            VerificationPassesOverTheStoredChainAndFindsAChange);

}  // namespace coco::test
