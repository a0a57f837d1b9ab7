#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "domain/common/error.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/transaction.hpp"
#include "tests/support/test_database.hpp"

namespace coco::persistence {
namespace {

domain::ErrorKind KindOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const domain::Error& error) {
    return error.kind();
  }
  ADD_FAILURE() << "no domain error";
  return domain::ErrorKind::kInternal;
}

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_.Exec("CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)");
  }
  test::TestDatabase database_;
};

TEST_F(PoolTest, CommitsWorkAndRollsBackOnDomainErrors) {
  ConnectionPool pool(PoolOptions{database_.url(), 2});
  WithTransaction(pool, [](pqxx::work& tx) { tx.exec("INSERT INTO items VALUES (1, 'kept')"); });
  EXPECT_EQ(KindOf([&] {
              WithTransaction(pool, [](pqxx::work& tx) {
                tx.exec("INSERT INTO items VALUES (2, 'dropped')");
                throw domain::FailedPrecondition("changed my mind");
              });
            }),
            domain::ErrorKind::kFailedPrecondition);
  EXPECT_EQ(database_.QueryValue("SELECT string_agg(label, ',') FROM items"), "kept");
}

void PrepareCount(pqxx::connection& connection) {
  connection.prepare("items_count", "SELECT count(*) FROM items");
}
void PrepareLabel(pqxx::connection& connection) {
  connection.prepare("items_label", "SELECT label FROM items WHERE id = $1");
}

// A repository registers its statements when it is built, which may be after the pool's
// connections were made and while one of them is lent out: every connection lent afterwards
// has them, and registering the same statements twice changes nothing.
TEST_F(PoolTest, StatementsRegisteredLaterReachEveryConnectionLentAfterwards) {
  ConnectionPool pool(PoolOptions{database_.url(), 2});
  pool.Use(&PrepareCount);
  WithTransaction(pool, [](pqxx::work& tx) { tx.exec("INSERT INTO items VALUES (1, 'a')"); });
  {
    auto held = pool.Acquire();  // lent while the next statements are registered
    pool.Use(&PrepareLabel);
    pool.Use(&PrepareLabel);
    pool.Use(&PrepareCount);
    pqxx::work tx(held.connection());
    EXPECT_EQ(tx.exec_prepared("items_count")[0][0].as<int>(), 1);
  }
  // Both connections, the one that was lent and the one that was idle, run both statements.
  auto first = pool.Acquire();
  auto second = pool.Acquire();
  for (auto* lease : {&first, &second}) {
    pqxx::work tx(lease->connection());
    EXPECT_EQ(tx.exec_prepared("items_label", 1)[0][0].as<std::string>(), "a");
    EXPECT_EQ(tx.exec_prepared("items_count")[0][0].as<int>(), 1);
  }
}

void PrepareCountOtherwise(pqxx::connection& connection) {
  connection.prepare("items_count", "SELECT count(*) + 1 FROM items");
}

// A registration that fails on a connection (here, a statement redefined otherwise: a bug)
// fails the acquire that catches up, and the connection goes back to the pool: nothing leaks.
TEST_F(PoolTest, ACatchUpThatFailsReturnsItsConnection) {
  ConnectionPool pool(PoolOptions{database_.url(), 1, std::chrono::milliseconds(200)});
  pool.Use(&PrepareCount);
  pool.Acquire();  // the connection has caught up with PrepareCount
  pool.Use(&PrepareCountOtherwise);
  EXPECT_THROW(pool.Acquire(), std::invalid_argument);  // libpqxx: inconsistent redefinition
  EXPECT_EQ(pool.in_use(), 0);
  // The pool's one connection came back: the next acquire meets the same bug, not a 200 ms wait
  // for a connection that leaked (which would be domain::Error "busy").
  EXPECT_THROW(pool.Acquire(), std::invalid_argument);
  EXPECT_EQ(pool.in_use(), 0);
}

TEST_F(PoolTest, TranslatesDriverErrorsToDomainKinds) {
  ConnectionPool pool(PoolOptions{database_.url(), 1});
  WithTransaction(pool, [](pqxx::work& tx) { tx.exec("INSERT INTO items VALUES (1, 'a')"); });
  EXPECT_EQ(KindOf([&] {
              WithTransaction(pool,
                              [](pqxx::work& tx) { tx.exec("INSERT INTO items VALUES (1, 'b')"); });
            }),
            domain::ErrorKind::kAlreadyExists);
  EXPECT_EQ(KindOf([&] {
              WithTransaction(pool, [](pqxx::work& tx) { tx.exec("SELECT * FROM missing"); });
            }),
            domain::ErrorKind::kInternal);
  // The connection is still usable after errors.
  EXPECT_EQ(WithTransaction(pool,
                            [](pqxx::work& tx) {
                              return tx.exec("SELECT count(*) FROM items")[0][0].as<int>();
                            }),
            1);
}

// What the work raises that is not the driver's (an HTTP refusal a use case passes on from a
// callback run under a lock) comes out as itself, not as a database error; the transaction is
// rolled back all the same, and the connection goes back to the pool.
TEST_F(PoolTest, AnErrorThatIsNotTheDatabasesPassesThroughAndRollsBack) {
  struct Refusal : std::runtime_error {
    Refusal() : std::runtime_error("refused by the caller") {}
  };
  ConnectionPool pool(PoolOptions{database_.url(), 1});
  EXPECT_THROW(WithTransaction(pool,
                               [](pqxx::work& tx) {
                                 tx.exec("INSERT INTO items VALUES (1, 'dropped')");
                                 throw Refusal();
                               }),
               Refusal);
  EXPECT_THROW(WithSingleRead(pool,
                              [](pqxx::nontransaction& tx) {
                                tx.exec("SELECT 1");
                                throw Refusal();
                              }),
               Refusal);
  EXPECT_EQ(database_.QueryValue("SELECT count(*) FROM items"), "0");
  // The driver's own errors still translate, also from a single read.
  EXPECT_EQ(KindOf([&] {
              WithSingleRead(pool, [](pqxx::nontransaction& tx) { tx.exec("SELECT * FROM x"); });
            }),
            domain::ErrorKind::kInternal);
}

TEST_F(PoolTest, StatementTimeoutIsUnavailableNotAHang) {
  ConnectionPool pool(
      PoolOptions{database_.url(), 1, std::chrono::seconds(2), std::chrono::milliseconds(200)});
  try {
    WithTransaction(pool, [](pqxx::work& tx) { tx.exec("SELECT pg_sleep(5)"); });
    FAIL() << "the statement timeout did not fire";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.kind(), domain::ErrorKind::kUnavailable);
    EXPECT_EQ(error.code(), "database_timeout");
  }
  // The long class lifts it for its own transaction only.
  WithTransaction(
      pool, [](pqxx::work& tx) { tx.exec("SELECT pg_sleep(0.3)"); }, StatementClass::kLong);
}

TEST_F(PoolTest, ABrokenConnectionIsReplacedOnNextUse) {
  ConnectionPool pool(PoolOptions{database_.url(), 1});
  const int backend = WithTransaction(
      pool, [](pqxx::work& tx) { return tx.exec("SELECT pg_backend_pid()")[0][0].as<int>(); });
  database_.Exec("SELECT pg_terminate_backend(" + std::to_string(backend) + ")");
  EXPECT_EQ(KindOf([&] { WithTransaction(pool, [](pqxx::work& tx) { tx.exec("SELECT 1"); }); }),
            domain::ErrorKind::kUnavailable);
  const int replacement = WithTransaction(
      pool, [](pqxx::work& tx) { return tx.exec("SELECT pg_backend_pid()")[0][0].as<int>(); });
  EXPECT_NE(replacement, backend);
}

TEST_F(PoolTest, AcquireWaitsBoundedlyThenAnswersBusy) {
  ConnectionPool pool(PoolOptions{database_.url(), 1, std::chrono::milliseconds(100)});
  auto held = pool.Acquire();
  EXPECT_EQ(pool.in_use(), 1);
  try {
    pool.Acquire();
    FAIL() << "a second lease came out of a pool of one";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.kind(), domain::ErrorKind::kUnavailable);
    EXPECT_EQ(error.code(), "busy");
  }
}

TEST(PoolStartTest, UnreachableDatabaseFailsAtConstruction) {
  EXPECT_EQ(
      KindOf([] {
        ConnectionPool pool(PoolOptions{"postgresql://coco@127.0.0.1:1/coco?connect_timeout=2", 1});
      }),
      domain::ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace coco::persistence
