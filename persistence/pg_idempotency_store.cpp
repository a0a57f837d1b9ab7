#include "persistence/pg_idempotency_store.hpp"

#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

// Headers cross as "Name: value" lines; header values never hold CR or LF.
std::string EncodeHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string text;
  for (const auto& [name, value] : headers) text += name + ": " + value + "\n";
  return text;
}

std::vector<std::pair<std::string, std::string>> DecodeHeaders(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    const std::size_t colon = line.find(": ");
    if (colon != std::string::npos)
      headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
    start = end + 1;
  }
  return headers;
}

// Expired records are removed a bounded batch at a time, by whichever request completes next.
constexpr int kCleanupBatch = 100;

}  // namespace

void PgIdempotencyStore::Prepare(pqxx::connection& connection) {
  connection.prepare(
      "idempotency_find",
      "SELECT fingerprint, (extract(epoch FROM created_at) * 1000000)::bigint, entity, entity_id,"
      " response_status, response_kept, content_type, response_headers, response_body"
      " FROM idempotency_keys WHERE user_id = $1 AND key = $2"
      " AND expires_at > 'epoch'::timestamptz + $3::bigint * interval '1 microsecond'");
  connection.prepare(
      "idempotency_complete",
      "UPDATE idempotency_keys SET response_status = $4, response_kept = $5, content_type = $6,"
      " response_headers = $7, response_body = $8"
      " WHERE user_id = $1 AND key = $2 AND claim_id = $3");
  // For a guarded request whose write appended no audit event: recorded after the fact.
  connection.prepare(
      "idempotency_insert_completed",
      "INSERT INTO idempotency_keys (user_id, key, fingerprint, claim_id, created_at, expires_at,"
      " response_status, response_kept, content_type, response_headers, response_body)"
      " VALUES ($1, $2, $9, $3, 'epoch'::timestamptz + $10::bigint * interval '1 microsecond',"
      " 'epoch'::timestamptz + $11::bigint * interval '1 microsecond', $4, $5, $6, $7, $8)"
      " ON CONFLICT (user_id, key) DO NOTHING");
  connection.prepare(
      "idempotency_cleanup",
      "DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_keys"
      " WHERE expires_at <= 'epoch'::timestamptz + $1::bigint * interval '1 microsecond'"
      " LIMIT " +
          std::to_string(kCleanupBatch) + "))");
}

std::optional<domain::IdempotencyRecord> PgIdempotencyStore::Find(const domain::UserId& user,
                                                                  std::string_view key) {
  const long long now = ToEpochMicros(clock_.Now());
  return WithSingleRead(
      pool_, [&](pqxx::nontransaction& tx) -> std::optional<domain::IdempotencyRecord> {
        const auto rows = tx.exec_prepared("idempotency_find", user.str(), std::string(key), now);
        if (rows.empty()) return std::nullopt;
        const auto& row = rows[0];
        domain::IdempotencyRecord record;
        record.fingerprint = row[0].as<std::string>();
        record.created_at = FromEpochMicros(row[1].as<long long>());
        record.entity = OptionalText(row[2]);
        record.entity_id = OptionalText(row[3]);
        record.completed = !row[4].is_null();
        if (record.completed && row[5].as<bool>()) {
          domain::StoredResponse response;
          response.status = row[4].as<int>();
          response.content_type = OptionalText(row[6]).value_or("");
          response.headers = DecodeHeaders(OptionalText(row[7]).value_or(""));
          response.body = OptionalText(row[8]).value_or("");
          record.response = std::move(response);
        }
        return record;
      });
}

void PgIdempotencyStore::Complete(const domain::IdempotencyClaim& claim,
                                  const domain::StoredResponse& response, bool keep) {
  const auto now = std::chrono::floor<std::chrono::microseconds>(clock_.Now());
  const std::optional<std::string> headers =
      keep ? std::optional<std::string>(EncodeHeaders(response.headers)) : std::nullopt;
  const std::optional<std::string> body =
      keep ? std::optional<std::string>(response.body) : std::nullopt;
  const std::optional<std::string> content_type =
      keep ? std::optional<std::string>(response.content_type) : std::nullopt;
  WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto updated =
        tx.exec_prepared("idempotency_complete", claim.user_id.str(), claim.key, claim.claim_id,
                         response.status, keep, content_type, headers, body);
    if (updated.affected_rows() == 0) {
      tx.exec_prepared("idempotency_insert_completed", claim.user_id.str(), claim.key,
                       claim.claim_id, response.status, keep, content_type, headers, body,
                       claim.fingerprint, ToEpochMicros(now),
                       ToEpochMicros(now + domain::kIdempotencyKeyLifetime));
    }
    tx.exec_prepared("idempotency_cleanup", ToEpochMicros(now));
  });
}

}  // namespace coco::persistence
