#pragma once

#include <map>
#include <string>

namespace coco::test {

// The cluster's admin URL; fails the current test (and returns "") when unset.
std::string AdminDatabaseUrl();

// A database of its own on the throwaway cluster that ./scripts/test starts (its URL in
// COCO_TEST_DATABASE_URL), created empty and dropped when this goes out of scope. Without that
// variable the test fails: a green run must mean PostgreSQL really ran.
class TestDatabase {
 public:
  // On the cluster of `admin_url` (by default ./scripts/test's).
  explicit TestDatabase(std::string admin_url = AdminDatabaseUrl());
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  // Runs SQL outside any coco code, for setting up and inspecting state.
  void Exec(const std::string& sql) const;
  std::string QueryValue(const std::string& sql) const;

  // Row count of every table of the schema, by name: bad input must leave all of them unchanged.
  std::map<std::string, long long> RowCounts() const;

  // Applies the embedded migrations.
  void Migrate() const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

}  // namespace coco::test
