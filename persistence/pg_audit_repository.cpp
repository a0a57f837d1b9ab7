#include "persistence/pg_audit_repository.hpp"

#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

constexpr const char* kAuditColumns =
    "seq, (extract(epoch FROM at) * 1000000)::bigint, actor_user_id, actor_role, action, entity,"
    " entity_id, supplier_id, request_id, detail, prev_hash, hash";

domain::AuditEvent AuditFromRow(const pqxx::row& row) {
  domain::AuditEvent event;
  event.seq = row[0].as<long long>();
  event.at = FromEpochMicros(row[1].as<long long>());
  event.actor_user_id = row[2].as<std::string>();
  event.actor_role = row[3].as<std::string>();
  event.action = row[4].as<std::string>();
  event.entity = row[5].as<std::string>();
  event.entity_id = row[6].as<std::string>();
  if (!row[7].is_null()) event.supplier_id = row[7].as<std::string>();
  event.request_id = row[8].as<std::string>();
  event.detail = row[9].as<std::string>();
  event.prev_hash = row[10].as<std::string>();
  event.hash = row[11].as<std::string>();
  return event;
}

std::vector<domain::AuditEvent> Events(const pqxx::result& rows) {
  std::vector<domain::AuditEvent> events;
  for (const auto& row : rows) events.push_back(AuditFromRow(row));
  return events;
}

}  // namespace

void PgAuditRepository::Prepare(pqxx::connection& connection) {
  connection.prepare(
      "audit_list",
      std::string("SELECT ") + kAuditColumns +
          " FROM audit_events WHERE seq > $1"
          " AND ($2::text IS NULL OR entity = $2) AND ($3::text IS NULL OR entity_id = $3)"
          " AND ($4::uuid IS NULL OR actor_user_id = $4::uuid)"
          " AND ($5::bigint IS NULL OR at >= 'epoch'::timestamptz + $5::bigint * interval"
          " '1 microsecond')"
          " AND ($6::uuid IS NULL OR (supplier_id = $6::uuid AND action NOT LIKE '%.internal'))"
          " ORDER BY seq LIMIT $7");
  connection.prepare("audit_chain", std::string("SELECT ") + kAuditColumns +
                                        " FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2");
  connection.prepare("audit_find",
                     std::string("SELECT ") + kAuditColumns + " FROM audit_events WHERE seq = $1");
  connection.prepare("audit_latest_checkpoint",
                     "SELECT seq, hash FROM audit_checkpoints ORDER BY seq DESC LIMIT 1");
  connection.prepare("audit_head", "SELECT seq, hash FROM audit_head WHERE id");
  connection.prepare("audit_save_checkpoint",
                     "INSERT INTO audit_checkpoints (seq, hash) VALUES ($1, $2)"
                     " ON CONFLICT (seq) DO NOTHING");
}

std::vector<domain::AuditEvent> PgAuditRepository::List(const domain::AuditFilter& filter) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    std::optional<long long> since;
    if (filter.since) since = ToEpochMicros(*filter.since);
    std::optional<std::string> supplier;
    if (filter.supplier) supplier = filter.supplier->str();
    return Events(tx.exec_prepared("audit_list", filter.after_seq, filter.entity, filter.entity_id,
                                   filter.actor_user_id, since, supplier, filter.limit + 1));
  });
}

std::vector<domain::AuditEvent> PgAuditRepository::ReadChain(long long after_seq, int limit) {
  return WithTransaction(
      pool_,
      [&](pqxx::work& tx) { return Events(tx.exec_prepared("audit_chain", after_seq, limit)); },
      StatementClass::kLong);
}

std::optional<domain::AuditEvent> PgAuditRepository::Find(long long seq) {
  return WithTransaction(pool_, [&](pqxx::work& tx) -> std::optional<domain::AuditEvent> {
    const auto rows = tx.exec_prepared("audit_find", seq);
    if (rows.empty()) return std::nullopt;
    return AuditFromRow(rows[0]);
  });
}

std::optional<domain::AuditCheckpoint> PgAuditRepository::LatestCheckpoint() {
  return WithTransaction(pool_, [&](pqxx::work& tx) -> std::optional<domain::AuditCheckpoint> {
    const auto rows = tx.exec_prepared("audit_latest_checkpoint");
    if (rows.empty()) return std::nullopt;
    return domain::AuditCheckpoint{rows[0][0].as<long long>(), rows[0][1].as<std::string>()};
  });
}

domain::AuditCheckpoint PgAuditRepository::Head() {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto row = tx.exec_prepared("audit_head")[0];
    return domain::AuditCheckpoint{row[0].as<long long>(), row[1].as<std::string>()};
  });
}

void PgAuditRepository::SaveCheckpoint(const domain::AuditCheckpoint& checkpoint) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    tx.exec_prepared("audit_save_checkpoint", checkpoint.seq, checkpoint.hash);
  });
}

}  // namespace coco::persistence
