#include "persistence/pg_evidence_repository.hpp"

#include "domain/common/error.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

constexpr const char* kEvidenceColumns =
    "id, supplier_id, filename, media_type, size, sha256, kind, issued_on::text, expires_on::text,"
    " uploaded_by, (extract(epoch FROM uploaded_at) * 1000000)::bigint";

domain::Evidence EvidenceFromRow(const pqxx::row& row) {
  return domain::Evidence{domain::EvidenceId::Parse(row[0].as<std::string>()),
                          domain::SupplierId::Parse(row[1].as<std::string>()),
                          row[2].as<std::string>(),
                          row[3].as<std::string>(),
                          row[4].as<long long>(),
                          row[5].as<std::string>(),
                          *domain::TryParseEvidenceKind(row[6].as<std::string>()),
                          OptionalDate(row[7]),
                          OptionalDate(row[8]),
                          domain::UserId::Parse(row[9].as<std::string>()),
                          FromEpochMicros(row[10].as<long long>())};
}

}  // namespace

void PgEvidenceRepository::Prepare(pqxx::connection& connection) {
  connection.prepare("evidence_store_blob",
                     "INSERT INTO evidence_blobs (supplier_id, sha256, size, content)"
                     " VALUES ($1, $2, $3, $4) ON CONFLICT (supplier_id, sha256) DO NOTHING");
  connection.prepare(
      "evidence_insert",
      "INSERT INTO evidence (id, supplier_id, sha256, filename, media_type, size, kind,"
      " issued_on, expires_on, lapses_on, uploaded_by, uploaded_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::date, $10::date, $11,"
      " 'epoch'::timestamptz + $12::bigint * interval '1 microsecond')");
  connection.prepare("evidence_find",
                     std::string("SELECT ") + kEvidenceColumns + " FROM evidence WHERE id = $1");
  connection.prepare(
      "evidence_list",
      std::string("SELECT ") + kEvidenceColumns +
          " FROM evidence WHERE supplier_id = $1 AND ($2::text IS NULL OR kind = $2)"
          " AND ($3::date IS NULL OR lapses_on < $3::date)"
          " AND ($4::bigint IS NULL OR (uploaded_at, id) >"
          " ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5::uuid))"
          " ORDER BY uploaded_at, id LIMIT $6");
  connection.prepare("evidence_content",
                     "SELECT content FROM evidence_blobs WHERE supplier_id = $1 AND sha256 = $2");
}

void PgEvidenceRepository::Store(const domain::Evidence& evidence, std::string_view bytes,
                                 const domain::Actor& actor, const domain::AuditEntry& audit) {
  // Sent as a binary parameter: no hex escaping of the file on the way in.
  const pqxx::binarystring content(bytes.data(), bytes.size());
  WithTransaction(
      pool_,
      [&](pqxx::work& tx) {
        tx.exec_prepared("evidence_store_blob", evidence.supplier_id.str(), evidence.sha256,
                         evidence.size, content);
        tx.exec_prepared("evidence_insert", evidence.id.str(), evidence.supplier_id.str(),
                         evidence.sha256, evidence.filename, evidence.media_type, evidence.size,
                         std::string(domain::ToString(evidence.kind)), DateText(evidence.issued_on),
                         DateText(evidence.expires_on), DateText(evidence.LapsesOn()),
                         evidence.uploaded_by.str(), ToEpochMicros(evidence.uploaded_at));
        audit_.Append(tx, actor, audit);
      },
      StatementClass::kLong);
}

std::optional<domain::Evidence> PgEvidenceRepository::FindIn(pqxx::transaction_base& tx,
                                                             const domain::EvidenceId& id) {
  const auto rows = tx.exec_prepared("evidence_find", id.str());
  if (rows.empty()) return std::nullopt;
  return EvidenceFromRow(rows[0]);
}

std::optional<domain::Evidence> PgEvidenceRepository::Find(const domain::EvidenceId& id) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) { return FindIn(tx, id); });
}

domain::PageResult<domain::Evidence> PgEvidenceRepository::List(
    const domain::SupplierId& supplier, const domain::EvidenceFilter& filter,
    const domain::PageRequest& page) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    std::optional<std::string> kind;
    if (filter.kind) kind = std::string(domain::ToString(*filter.kind));
    const auto after = AfterOf(page);
    const auto rows =
        tx.exec_prepared("evidence_list", supplier.str(), kind, DateText(filter.expiring_before),
                         after.micros, after.id, page.limit + 1);
    return KeysetPage<domain::Evidence>(
        rows, page.limit, EvidenceFromRow, [](const domain::Evidence& last) {
          return domain::PagePosition{ToEpochMicros(last.uploaded_at), last.id.str()};
        });
  });
}

std::string PgEvidenceRepository::ReadContent(const domain::Evidence& evidence) {
  return WithTransaction(
      pool_,
      [&](pqxx::work& tx) {
        const auto rows =
            tx.exec_prepared("evidence_content", evidence.supplier_id.str(), evidence.sha256);
        if (rows.empty()) throw domain::Internal("evidence bytes missing for " + evidence.id.str());
        const pqxx::binarystring content(rows[0][0]);
        return std::string(content.get(), content.size());
      },
      StatementClass::kLong);
}

}  // namespace coco::persistence
