#include "persistence/pg_status.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "domain/common/error.hpp"
#include "persistence/pg_identity_repository.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

constexpr const char* kNilUuid = "00000000-0000-0000-0000-000000000000";

// The projection's columns for one (service, standard), after the service's own.
constexpr const char* kProjectionColumns =
    "p.standard_key, p.governing_id, p.governing_version,"
    " (extract(epoch FROM p.decided_at) * 1000000)::bigint, p.valid_until::text, p.suspended,"
    " p.approval_profile_hash IS DISTINCT FROM s.profile_hash, p.rejected_id, p.rejected_on::text,"
    " p.open_id, p.actions::text, p.exceptions::text, p.evidence::text, p.triggers::text";
constexpr int kProjectionColumnCount = 14;

// The service's columns: id, name, contract, and the profile flags that decide which standards
// it requires.
constexpr const char* kServiceColumns =
    "s.id, s.name, s.contract_ref, s.contract_start::text, s.contract_end::text,"
    " s.connects_to_network, cardinality(s.offshore) > 0";
constexpr int kServiceColumnCount = 7;

// DESIGN.md §2: COCO when connected, OFFSHORING when offshore, the other two always.
bool Required(domain::StandardKey standard, bool connects, bool offshore) {
  switch (standard) {
    case domain::StandardKey::kCoco:
      return connects;
    case domain::StandardKey::kOffshoring:
      return offshore;
    default:
      return true;
  }
}

domain::ServiceInfo ServiceInfoOf(const pqxx::row& row, int at) {
  return domain::ServiceInfo{row[at + 1].as<std::string>(), OptionalText(row[at + 2]),
                             OptionalDate(row[at + 3]), OptionalDate(row[at + 4])};
}

std::vector<domain::TriggerFact> TriggersOf(const std::string& text) {
  std::vector<domain::TriggerFact> triggers;
  for (const auto& item : nlohmann::json::parse(text)) {
    triggers.push_back(
        domain::TriggerFact{item.at("id").get<std::string>(),
                            domain::Date::Parse(item.at("occurred_on").get<std::string>()),
                            FromEpochMicros(item.at("recorded_at").get<long long>())});
  }
  return triggers;
}

// The standard's facts from projection columns starting at `at`.
domain::StandardFacts StandardFactsOf(const pqxx::row& row, int at) {
  domain::StandardFacts facts;
  facts.standard = *domain::TryParseStandardKey(row[at].as<std::string>());
  if (!row[at + 1].is_null()) {
    domain::GoverningApproval approval{row[at + 1].as<std::string>(), row[at + 2].as<std::string>(),
                                       FromEpochMicros(row[at + 3].as<long long>()),
                                       domain::Date::Parse(row[at + 4].as<std::string>())};
    approval.suspended = row[at + 5].as<bool>();
    approval.profile_changed = row[at + 6].as<bool>();
    for (const auto& item : nlohmann::json::parse(row[at + 10].as<std::string>())) {
      approval.actions.push_back(domain::ActionFact{
          item.at("id").get<std::string>(), item.at("requirement_id").get<std::string>(),
          domain::Date::Parse(item.at("due_date").get<std::string>()),
          item.at("verified").get<bool>()});
    }
    for (const auto& item : nlohmann::json::parse(row[at + 11].as<std::string>())) {
      domain::ExceptionFact exception{
          item.at("id").get<std::string>(), item.at("requirement_id").get<std::string>(),
          domain::Date::Parse(item.at("expires_on").get<std::string>())};
      if (!item.at("revoked_at").is_null()) {
        exception.revoked_at = FromEpochMicros(item.at("revoked_at").get<long long>());
      }
      exception.requirement_not_met = item.at("requirement_not_met").get<bool>();
      approval.exceptions.push_back(std::move(exception));
    }
    for (const auto& item : nlohmann::json::parse(row[at + 12].as<std::string>())) {
      approval.evidence.push_back(domain::EvidenceFact{
          item.at("requirement_id").get<std::string>(), item.at("must").get<bool>(),
          item.at("evidence_id").get<std::string>(),
          domain::Date::Parse(item.at("lapses_on").get<std::string>())});
    }
    facts.approval = std::move(approval);
  }
  facts.rejected_assessment_id = OptionalText(row[at + 7]);
  facts.rejected_on = OptionalDate(row[at + 8]);
  facts.open_assessment_id = OptionalText(row[at + 9]);
  return facts;
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

// Marks which standards the profile requires and lists a required standard that has no
// projection row yet, in standard order.
void CompleteStandards(domain::ServiceFacts& service, bool connects, bool offshore) {
  for (auto& standard : service.standards) {
    standard.required = Required(standard.standard, connects, offshore);
  }
  for (auto key : {domain::StandardKey::kCoco, domain::StandardKey::kOffshoring,
                   domain::StandardKey::kCryptography, domain::StandardKey::kSupplier}) {
    const bool present =
        std::any_of(service.standards.begin(), service.standards.end(),
                    [&](const auto& standard) { return standard.standard == key; });
    if (!present && Required(key, connects, offshore)) {
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
    const bool connects = in.Bool();
    const bool offshore = in.Bool();
    for (auto rows = in.Count(); rows > 0; --rows) {
      service.standards.push_back(StandardFactsFrom(in, service.triggers));
    }
    CompleteStandards(service, connects, offshore);
    inputs.facts.services.push_back(std::move(service));
    inputs.services.push_back(std::move(info));
  }
  if (!in.Done()) throw domain::Internal("status_facts: trailing fields");
  return inputs;
}

std::string_view ViewOf(const pqxx::field& field) { return {field.c_str(), field.size()}; }

}  // namespace

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
  // The token's principal and the supplier's status facts in one statement: a status read costs
  // one round trip, authentication included. No row: the token is not valid.
  connection.prepare(
      "status_read_authenticated",
      PrincipalByTokenSql(", (SELECT facts FROM status_facts WHERE supplier_id = $3)"));
  connection.prepare(
      "status_portfolio",
      std::string("SELECT sp.id, sp.name, ") + kServiceColumns + ", rs.standard_key, " +
          kProjectionColumns + ", COALESCE(rs.standard_key, '')" +
          " FROM suppliers sp LEFT JOIN services s ON s.supplier_id = sp.id"
          " LEFT JOIN LATERAL unnest(CASE WHEN s.id IS NULL THEN ARRAY[NULL::text]"
          "   ELSE ARRAY['CRYPTOGRAPHY', 'SUPPLIER']"
          "     || CASE WHEN s.connects_to_network THEN ARRAY['COCO'] ELSE '{}'::text[] END"
          "     || CASE WHEN cardinality(s.offshore) > 0 THEN ARRAY['OFFSHORING'] ELSE "
          "'{}'::text[] END"
          "   END) AS rs(standard_key) ON true"
          " LEFT JOIN status_projection p ON p.service_id = s.id AND p.standard_key = "
          "rs.standard_key"
          " WHERE sp.state = 'active' AND ($1::text IS NULL OR rs.standard_key = $1)"
          " AND ($2::date IS NULL OR p.earliest_lapse < $2::date)"
          " AND ($3::uuid IS NULL OR (sp.id, COALESCE(s.id, '" +
          kNilUuid +
          "'), COALESCE(rs.standard_key, ''))"
          "   > ($3::uuid, $4::uuid, $5::text))"
          " ORDER BY sp.id, COALESCE(s.id, '" +
          kNilUuid +
          "'), COALESCE(rs.standard_key, '')"
          " LIMIT $6");
  connection.prepare(
      "status_relied_on_evidence",
      "SELECT DISTINCT ev.sha256 FROM status_projection p"
      " JOIN services s ON s.id = p.service_id"
      " JOIN assessments a ON a.id = p.governing_id"
      " JOIN requirements rq ON rq.standard_key = a.standard_key AND rq.standard_version = "
      "a.standard_version"
      " JOIN LATERAL ("
      "   SELECT re.evidence_id FROM responses r JOIN response_evidence re"
      "     ON re.assessment_id = r.assessment_id AND re.requirement_id = r.requirement_id"
      "    WHERE r.assessment_id = a.id AND r.requirement_id = rq.id AND r.verdict = 'accepted'"
      "      AND r.level = 'MUST' AND r.answer IN ('met', 'partially_met')"
      "   UNION ALL"
      "   SELECT ae.evidence_id FROM actions ac JOIN action_evidence ae ON ae.action_id = ac.id"
      "    WHERE ac.assessment_id = a.id AND ac.requirement_id = rq.id AND ac.state = 'verified'"
      " ) files ON true"
      " JOIN evidence ev ON ev.id = files.evidence_id AND ev.kind = ANY (rq.evidence_kinds)"
      // Standing approvals of required standards only (DESIGN.md §2: what the status relies on).
      " WHERE p.supplier_id = $1 AND NOT p.suspended AND p.rejected_id IS NULL"
      " AND (p.standard_key IN ('CRYPTOGRAPHY', 'SUPPLIER')"
      "   OR (p.standard_key = 'COCO' AND s.connects_to_network)"
      "   OR (p.standard_key = 'OFFSHORING' AND cardinality(s.offshore) > 0))"
      " ORDER BY ev.sha256");
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
    std::optional<std::string> lapsing;
    if (query.lapsing_before) lapsing = query.lapsing_before->ToString();
    const auto rows = tx.exec_prepared("status_portfolio", standard, lapsing, after_supplier,
                                       after_service, after_standard, page.limit + 1);
    constexpr int kServiceAt = 2;
    constexpr int kStandardAt = kServiceAt + kServiceColumnCount;  // rs.standard_key
    constexpr int kProjectionAt = kStandardAt + 1;
    return KeysetPage<domain::PortfolioRow>(
        rows, page.limit,
        [&](const pqxx::row& row) {
          domain::PortfolioRow line;
          line.supplier_id = row[0].as<std::string>();
          line.supplier_name = row[1].as<std::string>();
          if (row[kServiceAt].is_null()) return line;
          line.service_id = row[kServiceAt].as<std::string>();
          line.service = ServiceInfoOf(row, kServiceAt);
          if (row[kProjectionAt].is_null()) {
            line.standard.standard =
                *domain::TryParseStandardKey(row[kStandardAt].as<std::string>());
          } else {
            line.standard = StandardFactsOf(row, kProjectionAt);
            line.triggers = TriggersOf(row[kProjectionAt + 13].as<std::string>());
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

}  // namespace coco::persistence
