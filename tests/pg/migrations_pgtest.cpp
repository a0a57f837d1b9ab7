#include <gtest/gtest.h>

#include <algorithm>

#include "domain/common/error.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/migrator.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/test_database.hpp"

namespace coco::persistence {
namespace {

class MigrationsTest : public ::testing::Test {
 protected:
  std::vector<Migration> Embedded() const { return EmbeddedMigrations(hasher_); }
  std::string SchemaFingerprint() const {
    return database_.QueryValue(
        "SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY "
        "table_name, column_name) FROM information_schema.columns WHERE table_schema = 'public'");
  }
  security::OpensslHasher hasher_;
  test::TestDatabase database_;
};

TEST_F(MigrationsTest, EmbeddedMigrationsAreNumberedAndOrdered) {
  const auto migrations = Embedded();
  ASSERT_FALSE(migrations.empty());
  EXPECT_EQ(migrations.front().name, "0001_identity.sql");
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    EXPECT_LT(migrations[i - 1].version, migrations[i].version);
  }
}

TEST_F(MigrationsTest, AppliesEverythingToAnEmptyDatabaseAndRecordsIt) {
  Migrator migrator(database_.url(), Embedded());
  EXPECT_EQ(migrator.Status().pending.size(), Embedded().size());
  const auto applied = migrator.Apply();
  EXPECT_EQ(applied.size(), Embedded().size());
  EXPECT_EQ(database_.QueryValue("SELECT count(*) FROM schema_migrations"),
            std::to_string(Embedded().size()));
  EXPECT_EQ(database_.QueryValue("SELECT checksum FROM schema_migrations WHERE version = '0001'"),
            Embedded().front().checksum);
  EXPECT_EQ(database_.QueryValue("SELECT to_regclass('users') IS NOT NULL"), "t");
  EXPECT_TRUE(migrator.Status().pending.empty());
}

TEST_F(MigrationsTest, RunningAgainChangesNothing) {
  Migrator migrator(database_.url(), Embedded());
  migrator.Apply();
  const std::string schema = SchemaFingerprint();
  const std::string recorded = database_.QueryValue(
      "SELECT string_agg(version || applied_at::text, ',') FROM schema_migrations");
  EXPECT_TRUE(migrator.Apply().empty());
  EXPECT_EQ(SchemaFingerprint(), schema);
  EXPECT_EQ(database_.QueryValue(
                "SELECT string_agg(version || applied_at::text, ',') FROM schema_migrations"),
            recorded);
}

TEST_F(MigrationsTest, AChangedAppliedMigrationIsRefusedAndNothingRuns) {
  Migrator(database_.url(), Embedded()).Apply();
  auto tampered = Embedded();
  tampered.front().sql += "\n-- edited after release\n";
  tampered.front().checksum = hasher_.Sha256Hex(tampered.front().sql);
  tampered.push_back(Migration{"9999", "9999_never.sql", "CREATE TABLE never_applied (x int);",
                               hasher_.Sha256Hex("CREATE TABLE never_applied (x int);")});
  try {
    Migrator(database_.url(), tampered).Apply();
    FAIL() << "a changed migration was accepted";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), "migration_changed");
    EXPECT_NE(error.message().find("0001_identity.sql"), std::string::npos);
  }
  EXPECT_EQ(database_.QueryValue("SELECT to_regclass('never_applied') IS NULL"), "t");
}

// Stored functions are repeatable migrations (migrations/functions/R__*.sql): a changed file is
// applied again, alone, after the numbered ones; an unchanged one is not.
TEST_F(MigrationsTest, AChangedFunctionFileIsAppliedAgainAndNothingElse) {
  Migrator(database_.url(), Embedded()).Apply();
  auto changed = Embedded();
  const auto repeatable =
      std::find_if(changed.begin(), changed.end(), [](const Migration& m) { return m.repeatable; });
  ASSERT_NE(repeatable, changed.end());
  EXPECT_EQ(repeatable->name.rfind("R__", 0), 0u);
  EXPECT_TRUE(std::all_of(repeatable, changed.end(), [](const Migration& m) {
    return m.repeatable;
  })) << "repeatable migrations come after every numbered one";
  repeatable->sql +=
      "\nCREATE OR REPLACE FUNCTION coco_probe() RETURNS int LANGUAGE sql AS $$ SELECT 7 $$;\n";
  repeatable->checksum = hasher_.Sha256Hex(repeatable->sql);
  Migrator migrator(database_.url(), changed);
  EXPECT_EQ(migrator.Status().pending, std::vector<std::string>{repeatable->name});
  EXPECT_EQ(migrator.Apply(), std::vector<std::string>{repeatable->name});
  EXPECT_EQ(database_.QueryValue("SELECT coco_probe()"), "7");
  EXPECT_TRUE(migrator.Apply().empty());
  // Going back to the shipped file applies it again too: a function file is never refused.
  EXPECT_EQ(Migrator(database_.url(), Embedded()).Apply(),
            std::vector<std::string>{repeatable->name});
}

TEST_F(MigrationsTest, ADatabaseAheadOfTheBinaryIsRefused) {
  Migrator(database_.url(), Embedded()).Apply();
  database_.Exec(
      "INSERT INTO schema_migrations (version, name, checksum) VALUES ('9998', '9998_future.sql', "
      "'x')");
  try {
    Migrator(database_.url(), Embedded()).Apply();
    FAIL() << "an unknown applied migration was ignored";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.code(), "schema_ahead");
  }
}

TEST_F(MigrationsTest, AFailingMigrationRollsBackOnlyItself) {
  auto migrations = Embedded();
  const std::string bad = "CREATE TABLE half_done (x int); SELECT no_such_function();";
  migrations.push_back(Migration{"9997", "9997_broken.sql", bad, hasher_.Sha256Hex(bad)});
  EXPECT_THROW(Migrator(database_.url(), migrations).Apply(), domain::Error);
  EXPECT_EQ(database_.QueryValue("SELECT to_regclass('half_done') IS NULL"), "t");
  EXPECT_EQ(database_.QueryValue("SELECT count(*) FROM schema_migrations"),
            std::to_string(Embedded().size()));
}

TEST_F(MigrationsTest, ReadinessReflectsPendingMigrations) {
  ConnectionPool pool(PoolOptions{database_.url(), 1});
  EXPECT_FALSE(MigrationsCurrent(pool, Embedded()));
  Migrator(database_.url(), Embedded()).Apply();
  EXPECT_TRUE(MigrationsCurrent(pool, Embedded()));
}

TEST(MigratorTest, UnreachableDatabaseIsUnavailable) {
  security::OpensslHasher hasher;
  try {
    Migrator("postgresql://coco@127.0.0.1:1/coco?connect_timeout=2", EmbeddedMigrations(hasher))
        .Apply();
    FAIL() << "no error for an unreachable database";
  } catch (const domain::Error& error) {
    EXPECT_EQ(error.kind(), domain::ErrorKind::kUnavailable);
  }
}

}  // namespace
}  // namespace coco::persistence
