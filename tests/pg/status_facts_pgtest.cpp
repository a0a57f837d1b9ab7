// The per-supplier status facts row (migration 0010), at the level of SQL: what the triggers
// keep it equal to, and what they do under concurrency and in large transactions. That the
// decoded row gives the right statuses after every kind of write is status_projection_pgtest's
// job (it reads through PgStatusRepository::Read, which reads this row).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <pqxx/pqxx>
#include <string>
#include <thread>

#include "domain/common/error.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_status.hpp"
#include "tests/support/test_database.hpp"

namespace coco {
namespace {

constexpr const char* kSupplier = "00000000-0000-4000-8000-00000000f001";
constexpr const char* kServiceA = "00000000-0000-4000-8000-00000000f0a1";
constexpr const char* kServiceB = "00000000-0000-4000-8000-00000000f0b1";

std::string InsertService(const std::string& id, const std::string& name) {
  return "INSERT INTO services (id, supplier_id, name, classification, connects_to_network,"
         " personal_data, hmg_crypto, operates_pki, profile_hash, required_standards) VALUES ('" +
         id + "', '" + kSupplier + "', '" + name + "', 'OFFICIAL', true, false, false, false, '" +
         std::string(64, 'a') + "', '{COCO,CRYPTOGRAPHY,SUPPLIER}')";
}

// Holds a supplier's facts lock (migration 0010's bucket) on a connection of its own while in
// scope.
class BucketLock {
 public:
  BucketLock(pqxx::connection& connection, const std::string& supplier)
      : connection_(connection), key_("10, hashtext('" + supplier + "') & 1023") {
    pqxx::nontransaction tx(connection_);
    tx.exec("SELECT pg_advisory_lock(" + key_ + ")");
  }
  ~BucketLock() {
    try {
      pqxx::nontransaction tx(connection_);
      tx.exec("SELECT pg_advisory_unlock(" + key_ + ")");
    } catch (const std::exception&) {
      connection_.disconnect();  // ends the session, and its lock with it
    }
  }
  BucketLock(const BucketLock&) = delete;
  BucketLock& operator=(const BucketLock&) = delete;

 private:
  pqxx::connection& connection_;
  std::string key_;
};

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
    return database_.QueryValue(
        std::string("SELECT facts FROM status_facts WHERE supplier_id = '") + kSupplier + "'");
  }
  std::string FreshFacts() const {
    return database_.QueryValue(std::string("SELECT coco_supplier_facts('") + kSupplier + "')");
  }

  // Backends of this database waiting for an advisory lock.
  int AdvisoryWaiters(pqxx::connection& observer) {
    pqxx::nontransaction tx(observer);
    return tx
        .exec(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND wait_event = 'advisory'")[0][0]
        .as<int>();
  }

  test::TestDatabase database_;
};

TEST_F(StatusFactsPgTest, TheRowFollowsEveryTableItIsBuiltFrom) {
  EXPECT_EQ(Facts(), FreshFacts());
  EXPECT_NE(Facts().find("5:Alpha"), std::string::npos) << Facts();

  database_.Exec(std::string("UPDATE services SET name = 'Alpha Prime', contract_ref = 'C-1'"
                             " WHERE id = '") +
                 kServiceA + "'");
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

  database_.Exec(std::string("UPDATE suppliers SET name = 'Acme Ltd' WHERE id = '") + kSupplier +
                 "'");
  EXPECT_EQ(Facts().rfind("8:Acme Ltd", 0), 0u) << Facts();

  // A field's length counts bytes, so names outside ASCII decode as they were written.
  database_.Exec(std::string("UPDATE services SET name = 'Zürich ~ 3:x' WHERE id = '") + kServiceB +
                 "'");
  EXPECT_NE(Facts().find("13:Zürich ~ 3:x"), std::string::npos) << Facts();
  EXPECT_EQ(Facts(), FreshFacts());
}

// Two transactions change different services of one supplier and commit at the same time. Each
// rebuilds the row at commit; without the per-supplier lock each would build it from a snapshot
// without the other's change, and the later write would lose the earlier one. An observer holds
// that lock until PostgreSQL shows both commits waiting for it, so the test does not depend on
// scheduling.
TEST_F(StatusFactsPgTest, ConcurrentCommitsForOneSupplierLeaveBothChanges) {
  int waiting = 0;
  pqxx::connection observer(database_.url());
  pqxx::connection first(database_.url());
  pqxx::connection second(database_.url());
  pqxx::work first_tx(first);
  first_tx.exec(std::string("UPDATE services SET name = 'Alpha 2' WHERE id = '") + kServiceA + "'");
  pqxx::work second_tx(second);
  second_tx.exec(std::string("UPDATE services SET name = 'Beta 2' WHERE id = '") + kServiceB + "'");

  std::future<void> first_commit;
  std::future<void> second_commit;
  {
    // Declared after the futures, so it is released before they are waited for even when an
    // assertion below throws: otherwise the commits would wait on it for ever.
    BucketLock lock(observer, kSupplier);
    first_commit = std::async(std::launch::async, [&] { first_tx.commit(); });
    second_commit = std::async(std::launch::async, [&] { second_tx.commit(); });
    for (int poll = 0; poll < 500 && waiting < 2; ++poll) {
      waiting = AdvisoryWaiters(observer);
      if (waiting < 2) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  first_commit.get();
  second_commit.get();
  ASSERT_EQ(waiting, 2) << "both commits should have waited for the supplier's facts lock";

  const std::string facts = Facts();
  EXPECT_NE(facts.find("7:Alpha 2"), std::string::npos) << facts;
  EXPECT_NE(facts.find("6:Beta 2"), std::string::npos) << facts;
  EXPECT_EQ(facts, FreshFacts());
}

// The lock is taken per bucket of suppliers, not per supplier: a transaction that changes
// thousands of suppliers (an import; the benchmark's seed) must not hold a lock for each, or it
// runs out of lock table slots (how many depends on max_connections, so the test counts the
// locks rather than waiting for the failure).
TEST_F(StatusFactsPgTest, ATransactionTouchingManySuppliersHoldsAtMostOneLockPerBucket) {
  pqxx::connection connection(database_.url());
  pqxx::work tx(connection);
  tx.exec(
      "INSERT INTO suppliers (id, name, contact_email)"
      " SELECT gen_random_uuid(), 'Supplier ' || n, 's' || n || '@example.org'"
      "   FROM generate_series(1, 3000) AS n");
  tx.exec("SET CONSTRAINTS ALL IMMEDIATE");  // runs the deferred rebuilds now
  const int locks = tx.exec(
                          "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                          " AND pid = pg_backend_pid()")[0][0]
                        .as<int>();
  EXPECT_GT(locks, 0);
  EXPECT_LE(locks, 1024);
  tx.commit();
  EXPECT_EQ(
      database_.QueryValue("SELECT count(*) FROM suppliers s JOIN status_facts f"
                           " ON f.supplier_id = s.id WHERE f.facts = coco_supplier_facts(s.id)"),
      "3001");
}

// A row that does not decode (damaged by hand, or by a bug in the SQL that builds it) is the
// server's fault: an internal error, never a status built from part of it and never a 422
// naming a date the caller did not send.
TEST_F(StatusFactsPgTest, AFactsRowThatDoesNotDecodeIsAnInternalError) {
  persistence::ConnectionPool pool(persistence::PoolOptions{database_.url(), 1});
  persistence::PgStatusRepository repository(pool);
  const auto supplier = domain::SupplierId::Parse(kSupplier);
  ASSERT_TRUE(repository.Read(supplier).has_value());
  const std::string good = Facts();
  // Alpha has no contract reference or dates: give it a start date that is not a day.
  const auto alpha = good.find("5:Alpha~~~");
  ASSERT_NE(alpha, std::string::npos) << good;
  const std::string bad_date =
      good.substr(0, alpha) + "5:Alpha~10:2026-13-01~" + good.substr(alpha + 10);
  for (const std::string& damaged :
       {std::string("garbage"), good.substr(0, good.size() - 3), good + "1:x",
        std::string("4:Acme1:1~"), std::string("4:Acme99:x"), bad_date}) {
    database_.Exec("UPDATE status_facts SET facts = '" + damaged + "' WHERE supplier_id = '" +
                   kSupplier + "'");
    try {
      repository.Read(supplier);
      ADD_FAILURE() << "decoded: " << damaged;
    } catch (const domain::Error& error) {
      EXPECT_EQ(error.kind(), domain::ErrorKind::kInternal) << damaged << ": " << error.message();
    }
  }
}

}  // namespace
}  // namespace coco
