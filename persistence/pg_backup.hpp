#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/audit/audit_repository.hpp"

namespace coco::persistence {

// What a backup records about the database it dumped, all read in the snapshot it dumped.
struct SnapshotFacts {
  std::string snapshot_id;       // pg_export_snapshot(), for pg_dump --snapshot
  std::string database_name;     // current_database()
  std::string server_version;    // server_version setting, e.g. "15.5"
  domain::AuditCheckpoint head;  // audit_head: seq and hash of the chain's last event
  std::string latest_migration;  // name of the highest applied migration
};

// A REPEATABLE READ, READ ONLY transaction that exports its snapshot and stays open until
// Finish() or destruction, so that a pg_dump run with that snapshot sees exactly what the facts
// were read from. Throws domain::Error: kUnavailable when the database cannot be reached,
// kFailedPrecondition ("not_a_coco_database") when it holds no coco schema.
class ExportedSnapshot {
 public:
  explicit ExportedSnapshot(const std::string& database_url);
  ~ExportedSnapshot();
  ExportedSnapshot(const ExportedSnapshot&) = delete;
  ExportedSnapshot& operator=(const ExportedSnapshot&) = delete;

  const SnapshotFacts& facts() const { return facts_; }
  // Ends the transaction (it only read).
  void Finish();

 private:
  struct Open;
  std::unique_ptr<Open> open_;
  SnapshotFacts facts_;
};

// Up to `limit` relations that make `database_url` not empty for a restore: any relation in
// schema public, or a schema_migrations table in any schema. Empty when the database is empty.
// Throws domain::Error(kUnavailable) when it cannot be reached.
std::vector<std::string> RelationsBlockingRestore(const std::string& database_url, int limit = 5);

// The restored database's audit head and latest migration, read after a restore.
struct RestoredFacts {
  domain::AuditCheckpoint head;
  std::string latest_migration;
};
RestoredFacts ReadRestoredFacts(const std::string& database_url);

}  // namespace coco::persistence
