#include "persistence/pg_status.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>

#include "domain/common/error.hpp"
#include "persistence/pg_identity_repository.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

constexpr const char* kNilUuid = "00000000-0000-0000-0000-000000000000";

// A status_changes row, as ChangeOf reads it.
constexpr const char* kChangeColumns =
    "id, supplier_id, service_id, standard_key,"
    " (extract(epoch FROM effective_at) * 1000000)::bigint, from_status, to_status, base_status,"
    " reasons::text, cause_kind, audit_seq, rule";

std::optional<domain::AssuranceStatus> StatusOf(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  const auto status = domain::TryParseAssuranceStatus(field.as<std::string>());
  if (!status) throw domain::Internal("status_changes: unknown status");
  return status;
}

domain::StatusChangeRecord ChangeOf(const pqxx::row& row) {
  domain::StatusChangeRecord change;
  change.id = row[0].as<long long>();
  change.supplier_id = row[1].as<std::string>();
  change.service_id = OptionalText(row[2]);
  if (!row[3].is_null()) {
    change.standard = domain::TryParseStandardKey(row[3].as<std::string>());
    if (!change.standard) throw domain::Internal("status_changes: unknown standard");
  }
  change.effective_at = FromEpochMicros(row[4].as<long long>());
  change.from = StatusOf(row[5]);
  change.to = StatusOf(row[6]);
  change.base = StatusOf(row[7]);
  change.reasons = row[8].as<std::string>();
  change.date_driven = row[9].as<std::string>() == "date";
  if (!row[10].is_null()) change.audit_seq = row[10].as<long long>();
  change.rule = OptionalText(row[11]);
  return change;
}

// Reads the fields of a status_facts row (migration 0010): each is its length in bytes, ':' and
// the bytes, or '~' for null.
class FieldReader {
 public:
  explicit FieldReader(std::string_view text) : rest_(text) {}

  std::optional<std::string_view> Next() {
    if (!rest_.empty() && rest_[0] == '~') {
      rest_.remove_prefix(1);
      return std::nullopt;
    }
    std::size_t length = 0;
    std::size_t digits = 0;
    while (digits < rest_.size() && digits < 9 && rest_[digits] >= '0' && rest_[digits] <= '9') {
      length = length * 10 + static_cast<std::size_t>(rest_[digits] - '0');
      ++digits;
    }
    if (digits == 0 || digits == rest_.size() || rest_[digits] != ':' ||
        rest_.size() - digits - 1 < length) {
      throw domain::Internal("status_facts: malformed field");
    }
    const auto value = rest_.substr(digits + 1, length);
    rest_.remove_prefix(digits + 1 + length);
    return value;
  }
  std::string_view Text() {
    const auto value = Next();
    if (!value) throw domain::Internal("status_facts: unexpected null");
    return *value;
  }
  std::string String() { return std::string(Text()); }
  std::optional<std::string> OptionalString() {
    const auto value = Next();
    return value ? std::optional<std::string>(*value) : std::nullopt;
  }
  domain::Date Date() { return ParseDate(Text()); }
  std::optional<domain::Date> OptionalDate() {
    const auto value = Next();
    return value ? std::optional(ParseDate(*value)) : std::nullopt;
  }
  bool Bool() {
    const auto text = Text();
    if (text != "true" && text != "false")
      throw domain::Internal("status_facts: malformed boolean");
    return text == "true";
  }
  long long Integer() { return ParseInteger(Text()); }
  std::optional<long long> OptionalInteger() {
    const auto value = Next();
    return value ? std::optional(ParseInteger(*value)) : std::nullopt;
  }
  std::size_t Count() { return static_cast<std::size_t>(Integer()); }
  bool Done() const { return rest_.empty(); }

 private:
  // A stored date that does not parse is a fault of the row, not of the request (a 500, not a
  // 422 naming a date the caller never sent).
  static domain::Date ParseDate(std::string_view text) {
    try {
      return domain::Date::Parse(text);
    } catch (const domain::Error&) {
      throw domain::Internal("status_facts: malformed date");
    }
  }
  static long long ParseInteger(std::string_view text) {
    long long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) {
      throw domain::Internal("status_facts: malformed number");
    }
    return value;
  }

  std::string_view rest_;
};

// One projection row from its fields (coco_projection_facts); its triggers go to `triggers`.
domain::StandardFacts StandardFactsFrom(FieldReader& in,
                                        std::vector<domain::TriggerFact>& triggers) {
  domain::StandardFacts facts;
  const auto key = in.Text();
  const auto standard = domain::TryParseStandardKey(key);
  if (!standard) throw domain::Internal("status_facts: unknown standard");
  facts.standard = *standard;
  const auto governing = in.OptionalString();
  const auto version = in.OptionalString();
  const auto decided_at = in.OptionalInteger();
  const auto valid_until = in.OptionalDate();
  const bool suspended = in.Bool();
  const bool profile_changed = in.Bool();
  facts.rejected_assessment_id = in.OptionalString();
  facts.rejected_on = in.OptionalDate();
  facts.open_assessment_id = in.OptionalString();
  // The lists, item by item. Braced initialisers evaluate left to right, so each reads its
  // fields in order.
  std::vector<domain::ActionFact> actions;
  for (auto n = in.Count(); n > 0; --n) {
    actions.push_back(domain::ActionFact{in.String(), in.String(), in.Date(), in.Bool()});
  }
  std::vector<domain::ExceptionFact> exceptions;
  for (auto n = in.Count(); n > 0; --n) {
    domain::ExceptionFact exception{in.String(), in.String(), in.Date()};
    if (const auto revoked_at = in.OptionalInteger())
      exception.revoked_at = FromEpochMicros(*revoked_at);
    exception.requirement_not_met = in.Bool();
    exceptions.push_back(std::move(exception));
  }
  std::vector<domain::EvidenceFact> evidence;
  for (auto n = in.Count(); n > 0; --n) {
    evidence.push_back(domain::EvidenceFact{in.String(), in.Bool(), in.String(), in.Date()});
  }
  for (auto n = in.Count(); n > 0; --n) {
    domain::TriggerFact trigger{in.String(), in.Date(), FromEpochMicros(in.Integer())};
    const bool known = std::any_of(triggers.begin(), triggers.end(),
                                   [&](const auto& seen) { return seen.id == trigger.id; });
    if (!known) triggers.push_back(std::move(trigger));
  }
  if (governing) {
    if (!version || !decided_at || !valid_until)
      throw domain::Internal("status_facts: partial approval");
    domain::GoverningApproval approval{*governing, *version, FromEpochMicros(*decided_at),
                                       *valid_until};
    approval.suspended = suspended;
    approval.profile_changed = profile_changed;
    approval.actions = std::move(actions);
    approval.exceptions = std::move(exceptions);
    approval.evidence = std::move(evidence);
    facts.approval = std::move(approval);
  }
  return facts;
}

// The standards a service's profile requires, as stored on the service (coco_text_list);
// null means they were never evaluated, which a status must not guess.
std::vector<domain::StandardKey> RequiredFrom(FieldReader& in) {
  const auto count = in.OptionalInteger();
  if (!count) throw domain::Internal("status_facts: required standards not evaluated");
  std::vector<domain::StandardKey> keys;
  for (auto n = *count; n > 0; --n) {
    const auto key = domain::TryParseStandardKey(in.Text());
    if (!key) throw domain::Internal("status_facts: unknown standard");
    keys.push_back(*key);
  }
  return keys;
}

// Marks which standards are required and lists a required standard that has no projection row
// yet, in standard order.
void CompleteStandards(domain::ServiceFacts& service,
                       const std::vector<domain::StandardKey>& required) {
  const auto is_required = [&](domain::StandardKey key) {
    return std::find(required.begin(), required.end(), key) != required.end();
  };
  for (auto& standard : service.standards) standard.required = is_required(standard.standard);
  for (const auto key : required) {
    const bool present =
        std::any_of(service.standards.begin(), service.standards.end(),
                    [&](const auto& standard) { return standard.standard == key; });
    if (!present) {
      domain::StandardFacts facts;
      facts.standard = key;
      service.standards.push_back(std::move(facts));
    }
  }
  std::sort(service.standards.begin(), service.standards.end(),
            [](const auto& a, const auto& b) { return a.standard < b.standard; });
}

// A supplier's inputs from its status_facts text (coco_supplier_facts).
domain::SupplierStatusInputs InputsOf(std::string_view text, const std::string& supplier_id) {
  FieldReader in(text);
  domain::SupplierStatusInputs inputs;
  inputs.supplier_id = supplier_id;
  inputs.facts.supplier_id = supplier_id;
  inputs.supplier_name = in.String();
  for (auto services = in.Count(); services > 0; --services) {
    domain::ServiceFacts service;
    service.service_id = in.String();
    domain::ServiceInfo info;
    info.name = in.String();
    info.contract_ref = in.OptionalString();
    info.contract_start = in.OptionalDate();
    info.contract_end = in.OptionalDate();
    const auto required = RequiredFrom(in);
    for (auto rows = in.Count(); rows > 0; --rows) {
      service.standards.push_back(StandardFactsFrom(in, service.triggers));
    }
    CompleteStandards(service, required);
    inputs.facts.services.push_back(std::move(service));
    inputs.services.push_back(std::move(info));
  }
  if (!in.Done()) throw domain::Internal("status_facts: trailing fields");
  return inputs;
}

std::string_view ViewOf(const pqxx::field& field) { return {field.c_str(), field.size()}; }

}  // namespace

domain::SupplierStatusInputs DecodeStatusFacts(std::string_view facts,
                                               const std::string& supplier_id) {
  return InputsOf(facts, supplier_id);
}

void PrepareStatusRefresh(pqxx::connection& connection) {
  connection.prepare("status_refresh", "SELECT coco_refresh_status($1, $2)");
  connection.prepare(
      "status_refresh_service",
      "SELECT coco_refresh_status(service_id, standard_key) FROM"
      " (SELECT service_id, standard_key FROM status_projection WHERE service_id = $1"
      "  ORDER BY standard_key) AS rows");
}

void RefreshStatus(pqxx::work& tx, const domain::ServiceId& service, domain::StandardKey standard) {
  tx.exec_prepared("status_refresh", service.str(), std::string(domain::ToString(standard)));
}

void RefreshServiceStatus(pqxx::work& tx, const domain::ServiceId& service) {
  tx.exec_prepared("status_refresh_service", service.str());
}

void PgStatusRepository::Prepare(pqxx::connection& connection) {
  connection.prepare("status_read", "SELECT facts FROM status_facts WHERE supplier_id = $1");
  connection.prepare(
      "status_history",
      std::string("SELECT ") + kChangeColumns +
          " FROM status_changes WHERE supplier_id = $1"
          " AND ($2::bigint IS NULL OR effective_at >="
          "   'epoch'::timestamptz + $2::bigint * interval '1 microsecond')"
          " AND ($3::bigint IS NULL OR effective_at <"
          "   'epoch'::timestamptz + $3::bigint * interval '1 microsecond')"
          " AND ($4::bigint IS NULL OR (effective_at, id) <"
          "   ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5::bigint))"
          " ORDER BY effective_at DESC, id DESC LIMIT $6");
  connection.prepare("status_changes_after",
                     std::string("SELECT ") + kChangeColumns +
                         " FROM status_changes WHERE id > $1"
                         " AND ($2::uuid IS NULL OR supplier_id = $2) ORDER BY id LIMIT $3");
  connection.prepare("status_events_after",
                     "SELECT id, type, supplier_id, entity, entity_id, data::text,"
                     " (extract(epoch FROM occurred_at) * 1000000)::bigint"
                     " FROM events WHERE id > $1 AND ($2::uuid IS NULL OR supplier_id = $2)"
                     " ORDER BY id LIMIT $3");
  connection.prepare(
      "status_read_at",
      "SELECT encoding, facts FROM status_facts_history WHERE supplier_id = $1"
      " AND effective_at <= 'epoch'::timestamptz + $2::bigint * interval '1 microsecond'"
      " ORDER BY id DESC LIMIT 1");
  // The token's principal and the supplier's status facts in one statement: a status read costs
  // one round trip, authentication included. No row: the token is not valid.
  connection.prepare(
      "status_read_authenticated",
      PrincipalByTokenSql(", (SELECT facts FROM status_facts WHERE supplier_id = $3)"));
  // One row per active supplier x service x required standard, the projection row as its facts
  // (coco_projection_facts: the encoding status_facts uses). A service that requires no
  // standard has nothing to assure and no row.
  connection.prepare(
      "status_portfolio",
      std::string(
          "SELECT sp.id, sp.name, s.id, s.name, s.contract_ref,"
          " to_char(s.contract_start, 'YYYY-MM-DD'), to_char(s.contract_end, 'YYYY-MM-DD'),"
          " rs.standard_key,"
          " CASE WHEN p.service_id IS NOT NULL THEN coco_projection_facts(p, s.profile_hash)"
          " END"
          " FROM suppliers sp LEFT JOIN services s ON s.supplier_id = sp.id"
          " LEFT JOIN LATERAL unnest(CASE WHEN s.id IS NULL THEN ARRAY[NULL::text]"
          "   ELSE s.required_standards END) AS rs(standard_key) ON true"
          " LEFT JOIN status_projection p ON p.service_id = s.id"
          "   AND p.standard_key = rs.standard_key"
          " WHERE sp.state = 'active' AND (s.id IS NULL OR rs.standard_key IS NOT NULL)"
          " AND ($1::text IS NULL OR rs.standard_key = $1)"
          " AND ($2::date IS NULL OR p.earliest_lapse < $2::date)"
          " AND ($7::date IS NULL OR s.contract_start >= $7::date)"
          " AND ($8::date IS NULL OR s.contract_start < $8::date)"
          " AND ($3::uuid IS NULL OR (sp.id, COALESCE(s.id, '") +
          kNilUuid +
          "'), COALESCE(rs.standard_key, ''))"
          "   > ($3::uuid, $4::uuid, $5::text))"
          " ORDER BY sp.id, COALESCE(s.id, '" +
          kNilUuid +
          "'), COALESCE(rs.standard_key, '')"
          " LIMIT $6");
  // The files the standing approvals of the standards the services require rely on
  // (coco_relied_on_evidence), of MUST requirements.
  connection.prepare("status_relied_on_evidence",
                     "SELECT DISTINCT f.sha256 FROM status_projection p"
                     " JOIN services s ON s.id = p.service_id"
                     " CROSS JOIN LATERAL coco_relied_on_evidence(p.governing_id) f"
                     " WHERE p.supplier_id = $1 AND NOT p.suspended AND p.rejected_id IS NULL"
                     " AND p.standard_key = ANY (s.required_standards) AND f.must"
                     " ORDER BY f.sha256");
}

domain::AuthenticatedInputs PgStatusRepository::ReadAuthenticated(
    std::string_view token_sha256, std::chrono::system_clock::time_point now,
    const domain::SupplierId& supplier) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    const auto rows = tx.exec_prepared("status_read_authenticated", std::string(token_sha256),
                                       ToEpochMicros(now), supplier.str());
    domain::AuthenticatedInputs result;
    if (rows.empty()) return result;
    const pqxx::row first = rows[0];
    result.principal = PrincipalFromRow(first);
    if (!first[7].is_null()) result.inputs = InputsOf(ViewOf(first[7]), supplier.str());
    return result;
  });
}

std::optional<domain::SupplierStatusInputs> PgStatusRepository::Read(
    const domain::SupplierId& supplier) {
  return WithSingleRead(
      pool_, [&](pqxx::nontransaction& tx) -> std::optional<domain::SupplierStatusInputs> {
        const auto rows = tx.exec_prepared("status_read", supplier.str());
        if (rows.empty()) return std::nullopt;
        return InputsOf(ViewOf(rows[0][0]), supplier.str());
      });
}

std::optional<domain::SupplierStatusInputs> PgStatusRepository::ReadAt(
    const domain::SupplierId& supplier, std::chrono::system_clock::time_point instant) {
  return WithSingleRead(
      pool_, [&](pqxx::nontransaction& tx) -> std::optional<domain::SupplierStatusInputs> {
        const auto rows =
            tx.exec_prepared("status_read_at", supplier.str(), ToEpochMicros(instant));
        if (rows.empty()) return std::nullopt;
        if (rows[0][0].as<int>() != 1)
          throw domain::Internal("status_facts_history: unknown encoding");
        return InputsOf(ViewOf(rows[0][1]), supplier.str());
      });
}

domain::PageResult<domain::PortfolioRow> PgStatusRepository::Portfolio(
    const domain::PortfolioQuery& query, const domain::PageRequest& page) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::optional<std::string> standard, after_supplier, after_service, after_standard;
    if (query.standard) standard = std::string(domain::ToString(*query.standard));
    if (page.after) {
      // The position is (standard index + 1, or 0 for none; "supplier,service").
      const auto& id = page.after->id;
      const auto comma = id.find(',');
      after_supplier = id.substr(0, comma);
      after_service = comma == std::string::npos ? std::string(kNilUuid) : id.substr(comma + 1);
      after_standard = "";
      if (page.after->created_micros > 0 && page.after->created_micros <= 4) {
        after_standard = std::string(
            domain::ToString(static_cast<domain::StandardKey>(page.after->created_micros - 1)));
      }
    }
    const auto rows = tx.exec_prepared("status_portfolio", standard, DateText(query.lapsing_before),
                                       after_supplier, after_service, after_standard,
                                       page.limit + 1, DateText(query.contract_starts_from),
                                       DateText(query.contract_starts_before));
    return KeysetPage<domain::PortfolioRow>(
        rows, page.limit,
        [&](const pqxx::row& row) {
          domain::PortfolioRow line;
          line.supplier_id = row[0].as<std::string>();
          line.supplier_name = row[1].as<std::string>();
          if (row[2].is_null()) return line;
          line.service_id = row[2].as<std::string>();
          line.service = domain::ServiceInfo{row[3].as<std::string>(), OptionalText(row[4]),
                                             OptionalDate(row[5]), OptionalDate(row[6])};
          if (row[8].is_null()) {
            const auto standard = domain::TryParseStandardKey(row[7].as<std::string>());
            if (!standard) throw domain::Internal("services: unknown required standard");
            line.standard.standard = *standard;
          } else {
            FieldReader in(ViewOf(row[8]));
            line.standard = StandardFactsFrom(in, line.triggers);
            if (!in.Done()) throw domain::Internal("status_facts: trailing fields");
          }
          line.standard.required = true;
          return line;
        },
        [](const domain::PortfolioRow& last) {
          const long long standard =
              last.service_id ? static_cast<long long>(last.standard.standard) + 1 : 0;
          return domain::PagePosition{standard,
                                      last.supplier_id + "," + last.service_id.value_or(kNilUuid)};
        });
  });
}

std::pair<std::optional<domain::SupplierStatusInputs>, std::vector<std::string>>
PgStatusRepository::ReadForAttestation(const domain::SupplierId& supplier) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    // Both reads from one snapshot.
    tx.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    std::pair<std::optional<domain::SupplierStatusInputs>, std::vector<std::string>> result;
    const auto rows = tx.exec_prepared("status_read", supplier.str());
    if (rows.empty()) return result;
    result.first = InputsOf(ViewOf(rows[0][0]), supplier.str());
    for (const auto& row : tx.exec_prepared("status_relied_on_evidence", supplier.str())) {
      result.second.push_back(row[0].as<std::string>());
    }
    return result;
  });
}

domain::PageResult<domain::StatusChangeRecord> PgStatusRepository::History(
    const domain::SupplierId& supplier, const domain::HistoryWindow& window,
    const domain::PageRequest& page) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::optional<long long> from, to, after_micros, after_id;
    if (window.from) from = ToEpochMicros(*window.from);
    if (window.to) to = ToEpochMicros(*window.to);
    if (page.after) {
      // The api read the cursor as a row number (at most 18 digits).
      after_micros = page.after->created_micros;
      after_id = std::stoll(page.after->id);
    }
    const auto rows = tx.exec_prepared("status_history", supplier.str(), from, to, after_micros,
                                       after_id, page.limit + 1);
    return KeysetPage<domain::StatusChangeRecord>(
        rows, page.limit, ChangeOf, [](const domain::StatusChangeRecord& last) {
          return domain::PagePosition{ToEpochMicros(last.effective_at), std::to_string(last.id)};
        });
  });
}

std::vector<domain::StatusChangeRecord> PgStatusRepository::Changes(
    long long after, const std::optional<domain::SupplierId>& supplier, int limit) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::vector<domain::StatusChangeRecord> changes;
    std::optional<std::string> scope;
    if (supplier) scope = supplier->str();
    for (const auto& row : tx.exec_prepared("status_changes_after", after, scope, limit)) {
      changes.push_back(ChangeOf(row));
    }
    return changes;
  });
}

std::vector<domain::EventRecord> PgStatusRepository::Events(
    long long after, const std::optional<domain::SupplierId>& supplier, int limit) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::vector<domain::EventRecord> events;
    std::optional<std::string> scope;
    if (supplier) scope = supplier->str();
    for (const auto& row : tx.exec_prepared("status_events_after", after, scope, limit)) {
      events.push_back(domain::EventRecord{row[0].as<long long>(), row[1].as<std::string>(),
                                           row[2].as<std::string>(), row[3].as<std::string>(),
                                           row[4].as<std::string>(), row[5].as<std::string>(),
                                           FromEpochMicros(row[6].as<long long>())});
    }
    return events;
  });
}

}  // namespace coco::persistence
