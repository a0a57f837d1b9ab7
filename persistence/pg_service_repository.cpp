#include "persistence/pg_service_repository.hpp"

#include "domain/common/error.hpp"
#include "persistence/pg_status.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

constexpr const char* kServiceColumns =
    "id, supplier_id, name, contract_ref, contract_start::text, contract_end::text,"
    " classification, connects_to_network, personal_data, offshore, hmg_crypto, operates_pki,"
    " profile_hash, (extract(epoch FROM created_at) * 1000000)::bigint,"
    " (extract(epoch FROM updated_at) * 1000000)::bigint, version, required_standards";

std::string OffshoreArray(const std::vector<domain::OffshoreEntry>& entries) {
  std::string literal = "{";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) literal += ',';
    literal += entries[i].country + ":" + std::string(domain::ToString(entries[i].activity));
  }
  return literal + "}";
}

std::string KeyArray(const std::vector<domain::StandardKey>& keys) {
  std::string literal = "{";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) literal += ',';
    literal += domain::ToString(keys[i]);
  }
  return literal + "}";
}

// NULL (not evaluated yet, a service from before migration 0014) reads as none.
std::vector<domain::StandardKey> ParseKeys(const pqxx::field& field) {
  std::vector<domain::StandardKey> keys;
  if (field.is_null()) return keys;
  auto parser = field.as_array();
  for (auto element = parser.get_next(); element.first != pqxx::array_parser::done;
       element = parser.get_next()) {
    if (element.first != pqxx::array_parser::string_value) continue;
    const auto key = domain::TryParseStandardKey(element.second);
    if (!key) throw domain::Internal("stored standard key unreadable: " + element.second);
    keys.push_back(*key);
  }
  return keys;
}

std::vector<domain::OffshoreEntry> ParseOffshore(const pqxx::field& field) {
  std::vector<domain::OffshoreEntry> entries;
  auto parser = field.as_array();
  for (auto element = parser.get_next(); element.first != pqxx::array_parser::done;
       element = parser.get_next()) {
    if (element.first != pqxx::array_parser::string_value) continue;
    const std::string& text = element.second;
    const auto colon = text.find(':');
    const auto activity = domain::TryParseOffshoreActivity(text.substr(colon + 1));
    if (colon == std::string::npos || !activity) {
      throw domain::Internal("stored offshore entry unreadable: " + text);
    }
    entries.push_back({text.substr(0, colon), *activity});
  }
  return entries;
}

domain::Service ServiceFromRow(const pqxx::row& row) {
  domain::Service service{
      domain::ServiceId::Parse(row[0].as<std::string>()),
      domain::SupplierId::Parse(row[1].as<std::string>()),
      row[2].as<std::string>(),
      row[3].is_null() ? std::nullopt : std::optional<std::string>(row[3].as<std::string>()),
      OptionalDate(row[4]),
      OptionalDate(row[5]),
      domain::ScopeProfile{*domain::TryParseClassification(row[6].as<std::string>()),
                           row[7].as<bool>(), row[8].as<bool>(), ParseOffshore(row[9]),
                           row[10].as<bool>(), row[11].as<bool>()},
      row[12].as<std::string>(),
      FromEpochMicros(row[13].as<long long>()),
      FromEpochMicros(row[14].as<long long>()),
      row[15].as<long long>(),
      ParseKeys(row[16])};
  return service;
}

}  // namespace

void PgServiceRepository::Prepare(pqxx::connection& connection) {
  PrepareStatusRefresh(connection);
  connection.prepare(
      "service_insert",
      "INSERT INTO services (id, supplier_id, name, contract_ref, contract_start, contract_end,"
      " classification, connects_to_network, personal_data, offshore, hmg_crypto, operates_pki,"
      " profile_hash, profile_changed_at, created_at, updated_at, required_standards)"
      " VALUES ($1, $2, $3, $4, $5::date, $6::date, $7, $8, $9, $10::text[], $11, $12, $13,"
      " 'epoch'::timestamptz + $14::bigint * interval '1 microsecond',"
      " 'epoch'::timestamptz + $14::bigint * interval '1 microsecond',"
      " 'epoch'::timestamptz + $14::bigint * interval '1 microsecond', $15::text[])");
  connection.prepare("service_profile_change",
                     "INSERT INTO service_profile_changes (service_id, changed_at, old_hash,"
                     " new_hash, changed_by)"
                     " VALUES ($1, 'epoch'::timestamptz + $2::bigint * interval '1 microsecond',"
                     " $3, $4, $5)");
  connection.prepare("service_find",
                     std::string("SELECT ") + kServiceColumns + " FROM services WHERE id = $1");
  connection.prepare("service_find_for_update", std::string("SELECT ") + kServiceColumns +
                                                    " FROM services WHERE id = $1 FOR UPDATE");
  connection.prepare(
      "service_list",
      std::string("SELECT ") + kServiceColumns +
          " FROM services WHERE supplier_id = $1"
          " AND ($2::bigint IS NULL OR (created_at, id) >"
          " ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::uuid))"
          " ORDER BY created_at, id LIMIT $4");
  connection.prepare(
      "service_update",
      "UPDATE services SET name = $2, contract_ref = $3, contract_start = $4::date,"
      " contract_end = $5::date, classification = $6, connects_to_network = $7,"
      " personal_data = $8, offshore = $9::text[], hmg_crypto = $10, operates_pki = $11,"
      " profile_hash = $12, required_standards = $14::text[],"
      " profile_changed_at = CASE WHEN profile_hash = $12 THEN profile_changed_at"
      "   ELSE 'epoch'::timestamptz + $13::bigint * interval '1 microsecond' END,"
      " updated_at = 'epoch'::timestamptz + $13::bigint * interval '1 microsecond',"
      " version = version + 1 WHERE id = $1 RETURNING version");
  connection.prepare("service_all_for_update", std::string("SELECT ") + kServiceColumns +
                                                   " FROM services ORDER BY id FOR UPDATE");
  connection.prepare("service_set_required",
                     "UPDATE services SET required_standards = $2::text[] WHERE id = $1");
  connection.prepare("service_drafts",
                     "SELECT id, standard_key, standard_version FROM assessments"
                     " WHERE service_id = $1 AND state = 'draft' ORDER BY created_at FOR UPDATE");
  connection.prepare("draft_drop_responses",
                     "DELETE FROM responses WHERE assessment_id = $1"
                     " AND NOT (requirement_id = ANY ($2::text[]))");
  connection.prepare(
      "draft_add_response",
      "INSERT INTO responses (assessment_id, requirement_id, position, level, updated_at)"
      " VALUES ($1, $2, $3, $4, 'epoch'::timestamptz + $5::bigint * interval"
      " '1 microsecond')"
      " ON CONFLICT (assessment_id, requirement_id) DO UPDATE SET position = EXCLUDED.position");
  connection.prepare("draft_withdraw",
                     "UPDATE assessments SET state = 'withdrawn', profile_hash = $2,"
                     " version = version + 1 WHERE id = $1");
  connection.prepare(
      "draft_rescoped",
      "UPDATE assessments SET profile_hash = $2, version = version + 1 WHERE id = $1");
}

void PgServiceRepository::Insert(const domain::Service& service, const domain::Actor& actor,
                                 const domain::AuditEntry& audit) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto& p = service.profile;
    tx.exec_prepared(
        "service_insert", service.id.str(), service.supplier_id.str(), service.name,
        service.contract_ref, DateText(service.contract_start), DateText(service.contract_end),
        std::string(domain::ToString(p.classification)), p.connects_to_network, p.personal_data,
        OffshoreArray(p.offshore), p.hmg_crypto, p.operates_pki, service.profile_hash,
        ToEpochMicros(service.created_at), KeyArray(service.required_standards));
    tx.exec_prepared("service_profile_change", service.id.str(), ToEpochMicros(service.created_at),
                     std::optional<std::string>(), service.profile_hash,
                     actor.principal.user_id.str());
    audit_.Append(tx, actor, audit);
  });
}

std::optional<domain::Service> PgServiceRepository::Find(const domain::ServiceId& id) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) -> std::optional<domain::Service> {
    const pqxx::result rows = tx.exec_prepared("service_find", id.str());
    if (rows.empty()) return std::nullopt;
    return ServiceFromRow(rows[0]);
  });
}

domain::PageResult<domain::Service> PgServiceRepository::ListBySupplier(
    const domain::SupplierId& supplier, const domain::PageRequest& page) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto after = AfterOf(page);
    const pqxx::result rows =
        tx.exec_prepared("service_list", supplier.str(), after.micros, after.id, page.limit + 1);
    return KeysetPage<domain::Service>(
        rows, page.limit, ServiceFromRow, [](const domain::Service& last) {
          return domain::PagePosition{ToEpochMicros(last.created_at), last.id.str()};
        });
  });
}

domain::Service PgServiceRepository::Update(
    const domain::ServiceId& id, std::optional<long long> expected_version,
    const domain::Actor& actor, const std::function<domain::AuditEntry(domain::Service&)>& change,
    const Rescope& rescope) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const pqxx::result rows = tx.exec_prepared("service_find_for_update", id.str());
    if (rows.empty()) throw domain::NotFound("no such service");
    domain::Service service = ServiceFromRow(rows[0]);
    if (expected_version && *expected_version != service.version) {
      throw domain::StaleVersion(service.version);
    }
    const std::string old_hash = service.profile_hash;
    domain::AuditEntry audit = change(service);
    const auto& p = service.profile;
    service.version =
        tx.exec_prepared("service_update", service.id.str(), service.name, service.contract_ref,
                         DateText(service.contract_start), DateText(service.contract_end),
                         std::string(domain::ToString(p.classification)), p.connects_to_network,
                         p.personal_data, OffshoreArray(p.offshore), p.hmg_crypto, p.operates_pki,
                         service.profile_hash, ToEpochMicros(service.updated_at),
                         KeyArray(service.required_standards))[0][0]
            .as<long long>();
    if (service.profile_hash != old_hash) {
      tx.exec_prepared("service_profile_change", service.id.str(),
                       ToEpochMicros(service.updated_at), old_hash, service.profile_hash,
                       actor.principal.user_id.str());
      std::vector<std::string> rescoped;
      std::vector<std::string> withdrawn;
      for (const auto& draft : tx.exec_prepared("service_drafts", service.id.str())) {
        const std::string assessment = draft[0].as<std::string>();
        const auto scoped = rescope(*domain::TryParseStandardKey(draft[1].as<std::string>()),
                                    draft[2].as<std::string>(), service.profile);
        if (scoped.empty()) {
          // The standard no longer applies to the service at all: the draft has nothing left
          // to assess, so it is withdrawn (its answers stay as they were, for the record).
          tx.exec_prepared("draft_withdraw", assessment, service.profile_hash);
          RefreshStatus(tx, service.id, *domain::TryParseStandardKey(draft[1].as<std::string>()));
          withdrawn.push_back(assessment);
          continue;
        }
        std::string keep = "{";
        for (std::size_t i = 0; i < scoped.size(); ++i)
          keep += (i ? "," : "") + scoped[i].requirement_id;
        keep += "}";
        tx.exec_prepared("draft_drop_responses", assessment, keep);
        for (const auto& response : scoped) {
          tx.exec_prepared("draft_add_response", assessment, response.requirement_id,
                           response.position, std::string(domain::ToString(response.level)),
                           ToEpochMicros(service.updated_at));
        }
        tx.exec_prepared("draft_rescoped", assessment, service.profile_hash);
        rescoped.push_back(assessment);
      }
      if (!rescoped.empty()) audit.detail.Set("rescoped_assessments", rescoped);
      if (!withdrawn.empty()) audit.detail.Set("withdrawn_assessments", withdrawn);
    }
    audit_.Append(tx, actor, audit);
    return service;
  });
}

std::vector<domain::ServiceId> PgServiceRepository::ReviseRequiredStandards(
    const domain::Actor& actor,
    const std::function<std::optional<domain::AuditEntry>(domain::Service&)>& revise) {
  return WithTransaction(
      pool_,
      [&](pqxx::work& tx) {
        std::vector<domain::ServiceId> changed;
        std::vector<domain::AuditEntry> entries;
        for (const auto& row : tx.exec_prepared("service_all_for_update")) {
          domain::Service service = ServiceFromRow(row);
          auto audit = revise(service);
          if (!audit) continue;
          tx.exec_prepared("service_set_required", service.id.str(),
                           KeyArray(service.required_standards));
          changed.push_back(service.id);
          entries.push_back(std::move(*audit));
        }
        for (const auto& entry : entries) audit_.Append(tx, actor, entry);
        return changed;
      },
      StatementClass::kLong);
}

}  // namespace coco::persistence
