#include "persistence/migrator.hpp"

#include <algorithm>
#include <map>
#include <pqxx/pqxx>
#include <set>

#include "assets/assets.hpp"
#include "domain/common/error.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

// An arbitrary constant naming coco's migration lock among the advisory locks of the database.
constexpr long long kMigrationLockKey = 0x636f636f6d6967;  // "cocomig"

bool IsRepeatableName(std::string_view name) {
  return name.size() > 7 && name.substr(0, 3) == "R__" && name.substr(name.size() - 4) == ".sql";
}

bool IsMigrationName(std::string_view name) {
  if (name.size() < 10 || name.substr(name.size() - 4) != ".sql" || name[4] != '_') return false;
  for (int i = 0; i < 4; ++i) {
    if (name[i] < '0' || name[i] > '9') return false;
  }
  return true;
}

void EnsureTable(pqxx::connection& connection) {
  pqxx::work tx(connection);
  tx.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version text PRIMARY KEY,"
      " name text NOT NULL,"
      " checksum text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
  tx.commit();
}

std::map<std::string, std::pair<std::string, std::string>> ReadApplied(pqxx::transaction_base& tx) {
  std::map<std::string, std::pair<std::string, std::string>> applied;  // version -> name, checksum
  for (const auto& row : tx.exec("SELECT version, name, checksum FROM schema_migrations")) {
    applied[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
  }
  return applied;
}

MigrationStatus Compare(const std::vector<Migration>& migrations,
                        const std::map<std::string, std::pair<std::string, std::string>>& applied) {
  MigrationStatus status;
  std::set<std::string> known;
  for (const auto& migration : migrations) {
    known.insert(migration.version);
    auto found = applied.find(migration.version);
    if (found == applied.end()) {
      status.pending.push_back(migration.name);
    } else if (found->second.second != migration.checksum && migration.repeatable) {
      status.pending.push_back(migration.name);
    } else if (found->second.second != migration.checksum) {
      throw domain::FailedPrecondition("migration " + migration.name +
                                           " was changed after it was applied; migrations are "
                                           "forward-only: add a new one instead",
                                       "migration_changed");
    } else {
      status.applied.push_back(migration.name);
    }
  }
  for (const auto& [version, entry] : applied) {
    // A repeatable this binary no longer ships is left alone: its functions stay until a
    // numbered migration drops them.
    if (!known.contains(version) && !IsRepeatableName(version)) {
      throw domain::FailedPrecondition("the database has migration " + entry.first +
                                           " that this coco binary does not know; run a newer "
                                           "coco",
                                       "schema_ahead");
    }
  }
  return status;
}

pqxx::connection ConnectToMigrate(const std::string& url) {
  try {
    return pqxx::connection(url);
  } catch (const pqxx::broken_connection&) {
    throw domain::Unavailable("the database is not reachable", "database_unavailable");
  }
}

}  // namespace

std::vector<Migration> EmbeddedMigrations(const domain::Hasher& hasher) {
  std::vector<Migration> migrations;
  std::vector<Migration> repeatables;
  std::set<std::string> versions;
  for (const auto& asset : assets::All()) {
    if (asset.name.size() < 4 || asset.name.substr(asset.name.size() - 4) != ".sql") continue;
    if (IsRepeatableName(asset.name)) {
      repeatables.push_back(Migration{std::string(asset.name), std::string(asset.name),
                                      std::string(asset.bytes), hasher.Sha256Hex(asset.bytes),
                                      true});
      continue;
    }
    if (!IsMigrationName(asset.name)) {
      throw domain::Internal("migration file name must be NNNN_name.sql: " +
                             std::string(asset.name));
    }
    std::string version(asset.name.substr(0, 4));
    if (!versions.insert(version).second) {
      throw domain::Internal("two migrations share number " + version);
    }
    migrations.push_back(Migration{version, std::string(asset.name), std::string(asset.bytes),
                                   hasher.Sha256Hex(asset.bytes)});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const auto& a, const auto& b) { return a.version < b.version; });
  std::sort(repeatables.begin(), repeatables.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  migrations.insert(migrations.end(), repeatables.begin(), repeatables.end());
  return migrations;
}

Migrator::Migrator(std::string database_url, std::vector<Migration> migrations)
    : database_url_(std::move(database_url)), migrations_(std::move(migrations)) {}

std::vector<std::string> Migrator::Apply() {
  pqxx::connection connection = ConnectToMigrate(database_url_);
  {
    pqxx::nontransaction lock(connection);
    lock.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
  }
  std::vector<std::string> applied_now;
  try {
    EnsureTable(connection);
    MigrationStatus status;
    {
      pqxx::read_transaction tx(connection);
      status = Compare(migrations_, ReadApplied(tx));
    }
    for (const auto& migration : migrations_) {
      if (std::find(status.pending.begin(), status.pending.end(), migration.name) ==
          status.pending.end()) {
        continue;
      }
      pqxx::work tx(connection);
      tx.exec("SET LOCAL statement_timeout = " + std::to_string(kLongStatementTimeout.count()));
      tx.exec(migration.sql);
      tx.exec_params(
          "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)"
          " ON CONFLICT (version) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()",
          migration.version, migration.name, migration.checksum);
      tx.commit();
      applied_now.push_back(migration.name);
    }
  } catch (const domain::Error&) {
    throw;
  } catch (const std::exception& error) {
    RethrowAsDomainError(error, nullptr);
  }
  return applied_now;
}

MigrationStatus Migrator::Status() {
  pqxx::connection connection = ConnectToMigrate(database_url_);
  try {
    pqxx::read_transaction tx(connection);
    const auto exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists[0][0].as<bool>()) return Compare(migrations_, {});
    return Compare(migrations_, ReadApplied(tx));
  } catch (const domain::Error&) {
    throw;
  } catch (const std::exception& error) {
    RethrowAsDomainError(error, nullptr);
  }
}

bool MigrationsCurrent(ConnectionPool& pool, const std::vector<Migration>& migrations) {
  try {
    return WithTransaction(pool, [&](pqxx::work& tx) {
      const auto exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
      if (!exists[0][0].as<bool>()) return false;
      const MigrationStatus status = Compare(migrations, ReadApplied(tx));
      return status.pending.empty();
    });
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace coco::persistence
