// The per-supplier status facts row (migration 0010), at the level of SQL: what the triggers
// keep it equal to, and what they do under concurrency and in large transactions. That the
// decoded row gives the right statuses after every kind of write is status_projection_pgtest's
// job (it reads through PgStatusRepository::Read, which reads this row).
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/support/test_database.hpp"

namespace coco {
namespace {

constexpr const char* kSupplier = "00000000-0000-4000-8000-00000000f001";
constexpr const char* kServiceA = "00000000-0000-4000-8000-00000000f0a1";
constexpr const char* kServiceB = "00000000-0000-4000-8000-00000000f0b1";

std::string InsertService(const std::string& id, const std::string& name) {
  return "INSERT INTO services (id, supplier_id, name, classification, connects_to_network,"
         " personal_data, hmg_crypto, operates_pki, profile_hash) VALUES ('" + id + "', '" +
         kSupplier + "', '" + name + "', 'OFFICIAL', true, false, false, false, '" +
         std::string(64, 'a') + "')";
}

class StatusFactsPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_.Migrate();
    database_.Exec(std::string("INSERT INTO suppliers (id, name, contact_email) VALUES ('") +
                   kSupplier + "', 'Acme', 'sec@acme.example')");
    database_.Exec(InsertService(kServiceA, "Alpha"));
    database_.Exec(InsertService(kServiceB, "Beta"));
  }

  std::string Facts() const {
    return database_.QueryValue(std::string("SELECT facts FROM status_facts WHERE supplier_id = '") +
                                kSupplier + "'");
  }
  std::string FreshFacts() const {
    return database_.QueryValue(std::string("SELECT coco_supplier_facts('") + kSupplier + "')");
  }

  // Backends of this database waiting for an advisory lock.
  int AdvisoryWaiters(pqxx::connection& observer) {
    pqxx::nontransaction tx(observer);
    return tx.exec("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                   " AND wait_event_type = 'Lock' AND wait_event = 'advisory'")[0][0]
        .as<int>();
  }

  test::TestDatabase database_;
};

TEST_F(StatusFactsPgTest, TheRowFollowsEveryTableItIsBuiltFrom) {
  EXPECT_EQ(Facts(), FreshFacts());
  EXPECT_NE(Facts().find("5:Alpha"), std::string::npos) << Facts();

  database_.Exec(std::string("UPDATE services SET name = 'Alpha Prime', contract_ref = 'C-1'"
                             " WHERE id = '") + kServiceA + "'");
  EXPECT_EQ(Facts(), FreshFacts());
  EXPECT_NE(Facts().find("11:Alpha Prime3:C-1"), std::string::npos) << Facts();

  // Dates are stored as YYYY-MM-DD whatever DateStyle the writing session uses.
  {
    pqxx::connection other_client(database_.url());
    pqxx::work tx(other_client);
    tx.exec("SET DateStyle = 'SQL, DMY'");
    tx.exec(std::string("UPDATE services SET contract_start = '2026-01-31' WHERE id = '") +
            kServiceA + "'");
    tx.commit();
  }
  EXPECT_NE(Facts().find("10:2026-01-31"), std::string::npos) << Facts();

  database_.Exec(std::string("UPDATE suppliers SET name = 'Acme Ltd' WHERE id = '") + kSupplier + "'");
  EXPECT_EQ(Facts().rfind("8:Acme Ltd", 0), 0u) << Facts();

  // A field's length counts bytes, so names outside ASCII decode as they were written.
  database_.Exec(std::string("UPDATE services SET name = 'Zürich ~ 3:x' WHERE id = '") + kServiceB + "'");
  EXPECT_NE(Facts().find("13:Zürich ~ 3:x"), std::string::npos) << Facts();
  EXPECT_EQ(Facts(), FreshFacts());
}

// Two transactions change different services of one supplier and commit at the same time. Each
// rebuilds the row at commit; without the per-supplier lock each would build it from a snapshot
// without the other's change, and the later write would lose the earlier one. An observer holds
// that lock until PostgreSQL shows both commits waiting for it, so the test does not depend on
// scheduling.
TEST_F(StatusFactsPgTest, ConcurrentCommitsForOneSupplierLeaveBothChanges) {
  pqxx::connection observer(database_.url());
  pqxx::connection first(database_.url());
  pqxx::connection second(database_.url());
  {
    pqxx::nontransaction tx(observer);
    tx.exec(std::string("SELECT pg_advisory_lock(10, hashtext('") + kSupplier + "') & 1023)");
  }
  pqxx::work first_tx(first);
  first_tx.exec(std::string("UPDATE services SET name = 'Alpha 2' WHERE id = '") + kServiceA + "'");
  pqxx::work second_tx(second);
  second_tx.exec(std::string("UPDATE services SET name = 'Beta 2' WHERE id = '") + kServiceB + "'");
  auto first_commit = std::async(std::launch::async, [&] { first_tx.commit(); });
  auto second_commit = std::async(std::launch::async, [&] { second_tx.commit(); });

  int waiting = 0;
  for (int poll = 0; poll < 500 && waiting < 2; ++poll) {
    waiting = AdvisoryWaiters(observer);
    if (waiting < 2) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  {
    pqxx::nontransaction tx(observer);
    tx.exec(std::string("SELECT pg_advisory_unlock(10, hashtext('") + kSupplier + "') & 1023)");
  }
  first_commit.get();
  second_commit.get();
  ASSERT_EQ(waiting, 2) << "both commits should have waited for the supplier's facts lock";

  const std::string facts = Facts();
  EXPECT_NE(facts.find("7:Alpha 2"), std::string::npos) << facts;
  EXPECT_NE(facts.find("6:Beta 2"), std::string::npos) << facts;
  EXPECT_EQ(facts, FreshFacts());
}

// The lock is taken per bucket of suppliers, not per supplier: a transaction that creates more
// suppliers than the lock table has room for (an import; the benchmark's seed) still commits.
TEST_F(StatusFactsPgTest, ATransactionTouchingManySuppliersCommits) {
  database_.Exec(
      "INSERT INTO suppliers (id, name, contact_email)"
      " SELECT gen_random_uuid(), 'Supplier ' || n, 's' || n || '@example.org'"
      "   FROM generate_series(1, 20000) AS n");
  EXPECT_EQ(database_.QueryValue("SELECT count(*) FROM status_facts"), "20001");
  EXPECT_EQ(database_.QueryValue("SELECT count(*) FROM suppliers s JOIN status_facts f"
                                 " ON f.supplier_id = s.id WHERE f.facts = coco_supplier_facts(s.id)"),
            "20001");
}

}  // namespace
}  // namespace coco
