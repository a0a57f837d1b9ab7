#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <pqxx/pqxx>
#include <random>
#include <stdexcept>

#include "persistence/migrator.hpp"
#include "security/openssl_hasher.hpp"

namespace coco::test {
namespace {

// Replaces the database name (the last path segment before any query) of a libpq URL.
std::string WithDatabase(const std::string& url, const std::string& database) {
  const auto query = url.find('?');
  const std::string base = url.substr(0, query);
  const std::string rest = query == std::string::npos ? "" : url.substr(query);
  const auto slash = base.rfind('/');
  return base.substr(0, slash + 1) + database + rest;
}

}  // namespace

std::string AdminDatabaseUrl() {
  const char* url = std::getenv("COCO_TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "COCO_TEST_DATABASE_URL is not set: run the tests through ./scripts/test, which starts "
        "a throwaway PostgreSQL");
  }
  return url;
}

TestDatabase::TestDatabase(std::string admin_url) : admin_url_(std::move(admin_url)) {
  std::random_device random;
  name_ = "coco_test_" + std::to_string(random()) + std::to_string(random() % 1000);
  pqxx::connection admin(admin_url_);
  pqxx::nontransaction tx(admin);
  tx.exec("CREATE DATABASE " + tx.quote_name(name_) + " TEMPLATE template0");
  url_ = WithDatabase(admin_url_, name_);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception& error) {
    ADD_FAILURE() << "could not drop test database " << name_ << ": " << error.what();
  }
}

void TestDatabase::Exec(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::work tx(connection);
  tx.exec(sql);
  tx.commit();
}

std::string TestDatabase::QueryValue(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::read_transaction tx(connection);
  const pqxx::result rows = tx.exec(sql);
  if (rows.empty() || rows[0][0].is_null()) return "";
  return rows[0][0].as<std::string>();
}

std::map<std::string, long long> TestDatabase::RowCounts() const {
  pqxx::connection connection(url_);
  pqxx::read_transaction tx(connection);
  std::map<std::string, long long> counts;
  for (const auto& row : tx.exec("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
    const std::string table = row[0].as<std::string>();
    counts[table] = tx.exec("SELECT count(*) FROM " + tx.quote_name(table))[0][0].as<long long>();
  }
  return counts;
}

void TestDatabase::Migrate() const {
  security::OpensslHasher hasher;
  persistence::Migrator(url_, persistence::EmbeddedMigrations(hasher)).Apply();
}

}  // namespace coco::test
