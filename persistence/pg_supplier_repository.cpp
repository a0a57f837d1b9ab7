#include "persistence/pg_supplier_repository.hpp"

#include "domain/common/error.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

constexpr const char* kSupplierColumns =
    "id, name, companies_house_number, contact_email, state,"
    " (extract(epoch FROM created_at) * 1000000)::bigint,"
    " (extract(epoch FROM updated_at) * 1000000)::bigint, version";

domain::Supplier SupplierFromRow(const pqxx::row& row) {
  domain::Supplier supplier{domain::SupplierId::Parse(row[0].as<std::string>()),
                            row[1].as<std::string>(),
                            std::nullopt,
                            row[3].as<std::string>(),
                            *domain::TryParseSupplierState(row[4].as<std::string>()),
                            FromEpochMicros(row[5].as<long long>()),
                            FromEpochMicros(row[6].as<long long>()),
                            row[7].as<long long>()};
  if (!row[2].is_null()) supplier.companies_house_number = row[2].as<std::string>();
  return supplier;
}

}  // namespace

void PgSupplierRepository::Prepare(pqxx::connection& connection) {
  connection.prepare(
      "supplier_insert",
      "INSERT INTO suppliers (id, name, companies_house_number, contact_email, state,"
      " created_at, updated_at, version)"
      " VALUES ($1, $2, $3, $4, $5,"
      " 'epoch'::timestamptz + $6::bigint * interval '1 microsecond',"
      " 'epoch'::timestamptz + $6::bigint * interval '1 microsecond', 1)");
  connection.prepare("supplier_find",
                     std::string("SELECT ") + kSupplierColumns + " FROM suppliers WHERE id = $1");
  connection.prepare("supplier_find_for_update", std::string("SELECT ") + kSupplierColumns +
                                                     " FROM suppliers WHERE id = $1 FOR UPDATE");
  connection.prepare(
      "supplier_list",
      std::string("SELECT ") + kSupplierColumns +
          " FROM suppliers WHERE ($1::uuid IS NULL OR id = $1::uuid)"
          " AND ($2::bigint IS NULL OR (created_at, id) >"
          " ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))"
          " ORDER BY created_at, id LIMIT $4");
  connection.prepare("supplier_update",
                     "UPDATE suppliers SET name = $2, companies_house_number = $3,"
                     " contact_email = $4, state = $5,"
                     " updated_at = 'epoch'::timestamptz + $6::bigint * interval '1 microsecond',"
                     " version = version + 1 WHERE id = $1 RETURNING version");
}

void PgSupplierRepository::Insert(const domain::Supplier& supplier, const domain::Actor& actor,
                                  const domain::AuditEntry& audit) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    tx.exec_prepared("supplier_insert", supplier.id.str(), supplier.name,
                     supplier.companies_house_number, supplier.contact_email,
                     std::string(domain::ToString(supplier.state)),
                     ToEpochMicros(supplier.created_at));
    audit_.Append(tx, actor, audit);
  });
}

std::optional<domain::Supplier> PgSupplierRepository::Find(const domain::SupplierId& id) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) -> std::optional<domain::Supplier> {
    const pqxx::result rows = tx.exec_prepared("supplier_find", id.str());
    if (rows.empty()) return std::nullopt;
    return SupplierFromRow(rows[0]);
  });
}

domain::PageResult<domain::Supplier> PgSupplierRepository::List(
    const std::optional<domain::SupplierId>& only, const domain::PageRequest& page) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    std::optional<std::string> only_id;
    if (only) only_id = only->str();
    const auto after = AfterOf(page);
    const pqxx::result rows =
        tx.exec_prepared("supplier_list", only_id, after.micros, after.id, page.limit + 1);
    return KeysetPage<domain::Supplier>(
        rows, page.limit, SupplierFromRow, [](const domain::Supplier& last) {
          return domain::PagePosition{ToEpochMicros(last.created_at), last.id.str()};
        });
  });
}

domain::Supplier PgSupplierRepository::Update(
    const domain::SupplierId& id, std::optional<long long> expected_version,
    const domain::Actor& actor,
    const std::function<domain::AuditEntry(domain::Supplier&)>& change) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_prepared("supplier_find_for_update", id.str());
    if (rows.empty()) throw domain::NotFound("no such supplier");
    domain::Supplier supplier = SupplierFromRow(rows[0]);
    if (expected_version && *expected_version != supplier.version) {
      throw domain::StaleVersion(supplier.version);
    }
    const domain::AuditEntry audit = change(supplier);
    supplier.version = tx.exec_prepared("supplier_update", supplier.id.str(), supplier.name,
                                        supplier.companies_house_number, supplier.contact_email,
                                        std::string(domain::ToString(supplier.state)),
                                        ToEpochMicros(supplier.updated_at))[0][0]
                           .as<long long>();
    audit_.Append(tx, actor, audit);
    return supplier;
  });
}

}  // namespace coco::persistence
