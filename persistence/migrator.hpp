#pragma once

#include <string>
#include <vector>

#include "domain/common/ports.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

struct Migration {
  std::string version;  // "0001"; a repeatable migration's version is its name
  std::string name;     // "0001_identity.sql", or "R__10_status_facts.sql"
  std::string sql;
  std::string checksum;  // SHA-256 hex of `sql`
  // Repeatable (migrations/functions/R__*.sql): the stored functions and views, one file each,
  // written with CREATE OR REPLACE. Re-applied whenever its checksum changes, after every
  // numbered migration, in name order; never refused for having changed.
  bool repeatable = false;
};

// The migrations compiled into this binary, numbered ones (migrations/NNNN_*.sql) in order, then
// repeatable ones (migrations/functions/R__*.sql) in name order. A file whose name is neither,
// or two files with one number, is kInternal: the build is wrong.
std::vector<Migration> EmbeddedMigrations(const domain::Hasher& hasher);

struct MigrationStatus {
  std::vector<std::string> applied;  // names, in order
  std::vector<std::string> pending;  // names, in order
};

// Applies forward-only migrations, each in its own transaction, recorded in schema_migrations
// with its checksum, then every repeatable migration whose checksum differs from the recorded
// one. A session advisory lock keeps two starting servers from racing.
class Migrator {
 public:
  Migrator(std::string database_url, std::vector<Migration> migrations);

  // Applies every pending migration; returns the names applied. Throws kFailedPrecondition
  // ("migration_changed") if an applied numbered migration's file changed, and ("schema_ahead")
  // if the database holds a numbered migration this binary does not know.
  std::vector<std::string> Apply();

  // Same checks as Apply, without changing anything.
  MigrationStatus Status();

 private:
  std::string database_url_;
  std::vector<Migration> migrations_;
};

// True when the database answers and every migration of `migrations` is applied unchanged.
// Used by /readyz; never throws.
bool MigrationsCurrent(ConnectionPool& pool, const std::vector<Migration>& migrations);

}  // namespace coco::persistence
