#include "persistence/pg_backup.hpp"

#include <pqxx/pqxx>

#include "domain/common/error.hpp"

namespace coco::persistence {
namespace {

using SnapshotTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// libpq's own messages name host, port, user and database, never the password.
[[noreturn]] void Unreachable(const std::exception& error) {
  throw domain::Unavailable(std::string("cannot reach the database: ") + error.what(),
                            "database_unavailable");
}

std::unique_ptr<pqxx::connection> OpenConnection(const std::string& database_url) {
  try {
    return std::make_unique<pqxx::connection>(database_url);
  } catch (const std::exception& error) {
    Unreachable(error);
  }
}

bool HasCocoSchema(pqxx::transaction_base& tx) {
  return tx
      .exec1(
          "SELECT to_regclass('public.audit_head') IS NOT NULL AND"
          " to_regclass('public.schema_migrations') IS NOT NULL")[0]
      .as<bool>();
}

void ReadFacts(pqxx::transaction_base& tx, domain::AuditCheckpoint& head,
               std::string& latest_migration) {
  const auto row = tx.exec1("SELECT seq, hash FROM audit_head WHERE id");
  head.seq = row[0].as<long long>();
  head.hash = row[1].as<std::string>();
  const auto migration =
      tx.exec("SELECT name FROM schema_migrations ORDER BY version DESC LIMIT 1");
  latest_migration = migration.empty() ? "" : migration[0][0].as<std::string>();
}

}  // namespace

struct ExportedSnapshot::Open {
  std::unique_ptr<pqxx::connection> connection;
  std::unique_ptr<SnapshotTransaction> tx;
};

ExportedSnapshot::ExportedSnapshot(const std::string& database_url)
    : open_(std::make_unique<Open>()) {
  open_->connection = OpenConnection(database_url);
  try {
    open_->tx = std::make_unique<SnapshotTransaction>(*open_->connection, "backup");
    auto& tx = *open_->tx;
    // The snapshot is taken at the first statement; exporting it first pins it for pg_dump.
    facts_.snapshot_id = tx.exec1("SELECT pg_export_snapshot()")[0].as<std::string>();
    if (!HasCocoSchema(tx)) {
      throw domain::FailedPrecondition(
          "the database holds no coco schema (no audit_head or schema_migrations table)",
          "not_a_coco_database");
    }
    const auto row = tx.exec1("SELECT current_database(), current_setting('server_version')");
    facts_.database_name = row[0].as<std::string>();
    facts_.server_version = row[1].as<std::string>();
    ReadFacts(tx, facts_.head, facts_.latest_migration);
  } catch (const domain::Error&) {
    throw;
  } catch (const pqxx::broken_connection& error) {
    Unreachable(error);
  } catch (const std::exception& error) {
    throw domain::Internal(std::string("cannot open the backup snapshot: ") + error.what());
  }
}

ExportedSnapshot::~ExportedSnapshot() = default;

void ExportedSnapshot::Finish() {
  if (open_->tx) {
    open_->tx->commit();
    open_->tx.reset();
  }
}

std::vector<std::string> RelationsBlockingRestore(const std::string& database_url, int limit) {
  const auto connection = OpenConnection(database_url);
  try {
    pqxx::read_transaction tx(*connection);
    std::vector<std::string> names;
    for (const auto& row :
         tx.exec_params("SELECT n.nspname || '.' || c.relname FROM pg_class c"
                        " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                        " AND (n.nspname = 'public' OR c.relname = 'schema_migrations')"
                        " ORDER BY c.relname = 'schema_migrations' DESC, 1 LIMIT $1",
                        limit)) {
      names.push_back(row[0].as<std::string>());
    }
    return names;
  } catch (const pqxx::broken_connection& error) {
    Unreachable(error);
  }
}

RestoredFacts ReadRestoredFacts(const std::string& database_url) {
  const auto connection = OpenConnection(database_url);
  try {
    pqxx::read_transaction tx(*connection);
    if (!HasCocoSchema(tx)) {
      throw domain::FailedPrecondition("the restored database holds no coco schema",
                                       "not_a_coco_database");
    }
    RestoredFacts facts;
    ReadFacts(tx, facts.head, facts.latest_migration);
    return facts;
  } catch (const pqxx::broken_connection& error) {
    Unreachable(error);
  }
}

}  // namespace coco::persistence
