#pragma once

#include <string>
#include <vector>

#include "domain/common/ports.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

struct Migration {
  std::string version;  // "0001"
  std::string name;     // "0001_identity.sql"
  std::string sql;
  std::string checksum;  // SHA-256 hex of `sql`
};

// The migrations compiled into this binary (migrations/NNNN_*.sql), in order. A file whose name is
// not NNNN_name.sql, or two files with one number, is kInternal: the build is wrong.
std::vector<Migration> EmbeddedMigrations(const domain::Hasher& hasher);

struct MigrationStatus {
  std::vector<std::string> applied;  // names, in order
  std::vector<std::string> pending;  // names, in order
};

// Applies forward-only migrations, each in its own transaction, recorded in schema_migrations
// with its checksum. A session advisory lock keeps two starting servers from racing.
class Migrator {
 public:
  Migrator(std::string database_url, std::vector<Migration> migrations);

  // Applies every pending migration; returns the names applied. Throws kFailedPrecondition
  // ("migration_changed") if an applied migration's file changed, and ("schema_ahead") if the
  // database holds a migration this binary does not know.
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
