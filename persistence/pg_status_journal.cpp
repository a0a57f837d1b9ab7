#include "persistence/pg_status_journal.hpp"

#include <nlohmann/json.hpp>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/events/event.hpp"
#include "domain/status/status_journal.hpp"
#include "persistence/pg_status.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

// Advisory lock keys (two-int form; migration 0010's facts buckets use class 10).
constexpr int kLockClass = 11;
constexpr int kJournalLock = 0;  // transaction-scoped: writers of the journal and the outbox
// 1 and 2: session-scoped, the leaders of SchedulerLeadership's roles.

constexpr int kFactsEncoding = 1;

std::optional<std::string> StatusText(const std::optional<domain::AssuranceStatus>& status) {
  if (!status) return std::nullopt;
  return std::string(domain::ToString(*status));
}

std::optional<std::string> StandardText(const std::optional<domain::StandardKey>& standard) {
  if (!standard) return std::nullopt;
  return std::string(domain::ToString(*standard));
}

std::chrono::system_clock::time_point StartOf(domain::Date day) {
  return std::chrono::system_clock::time_point(day.days());
}

}  // namespace

PgStatusJournal::PgStatusJournal(ConnectionPool& pool, const domain::Clock& clock)
    : pool_(pool), clock_(clock) {
  pool_.Use(&Prepare);
  pool_.SetCommitHook([this](pqxx::work& tx) { BeforeCommit(tx); });
}

void PgStatusJournal::Prepare(pqxx::connection& connection) {
  connection.prepare("journal_lock", "SELECT pg_advisory_xact_lock(" + std::to_string(kLockClass) +
                                         ", " + std::to_string(kJournalLock) + ")");
  connection.prepare("journal_read",
                     "SELECT to_char(j.evaluated_on, 'YYYY-MM-DD'), h.encoding, h.facts, f.facts"
                     " FROM (SELECT $1::uuid AS id) x"
                     " LEFT JOIN status_journal j ON j.supplier_id = x.id"
                     " LEFT JOIN LATERAL (SELECT encoding, facts FROM status_facts_history"
                     "   WHERE supplier_id = x.id ORDER BY id DESC LIMIT 1) h ON true"
                     " LEFT JOIN status_facts f ON f.supplier_id = x.id");
  connection.prepare(
      "journal_history_insert",
      "INSERT INTO status_facts_history (supplier_id, effective_at, encoding, facts)"
      " VALUES ($1, 'epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3, $4)");
  connection.prepare(
      "journal_change_insert",
      "INSERT INTO status_changes (supplier_id, service_id, standard_key, effective_at,"
      " from_status, to_status, base_status, reasons, cause_kind, audit_seq, rule)"
      " VALUES ($1, $2, $3, 'epoch'::timestamptz + $4::bigint * interval '1 microsecond',"
      " $5, $6, $7, $8::jsonb, $9, $10, $11) RETURNING id");
  connection.prepare("journal_event_insert",
                     "INSERT INTO events (type, supplier_id, entity, entity_id, data, occurred_at)"
                     " VALUES ($1, $2, $3, $4, $5::jsonb,"
                     " 'epoch'::timestamptz + $6::bigint * interval '1 microsecond')");
  connection.prepare(
      "journal_state",
      "INSERT INTO status_journal (supplier_id, evaluated_on, next_change,"
      " next_warning) VALUES ($1, $2::date, $3::date, $4::date)"
      " ON CONFLICT (supplier_id) DO UPDATE SET evaluated_on = EXCLUDED.evaluated_on,"
      " next_change = EXCLUDED.next_change, next_warning = EXCLUDED.next_warning");
  // Once per (supplier, day it gets worse, threshold): a row back means this is the first time.
  connection.prepare(
      "journal_warning_insert",
      "INSERT INTO status_lapse_warnings (supplier_id, worsens_on, threshold, warned_at)"
      " VALUES ($1, $2::date, $3, 'epoch'::timestamptz + $4::bigint * interval '1 microsecond')"
      " ON CONFLICT DO NOTHING RETURNING 1");
  connection.prepare("journal_pending_done",
                     "DELETE FROM status_pending WHERE xact = pg_current_xact_id_if_assigned()");
  connection.prepare(
      "journal_due",
      "SELECT supplier_id::text FROM status_journal WHERE next_change <= $1::date"
      " UNION SELECT supplier_id::text FROM status_journal WHERE next_warning <= $1::date"
      " UNION SELECT s.id::text FROM suppliers s"
      "   WHERE NOT EXISTS (SELECT 1 FROM status_journal j WHERE j.supplier_id = s.id)"
      " UNION SELECT supplier_id::text FROM status_pending"
      " LIMIT $2");
  connection.prepare("journal_leftover",
                     "DELETE FROM status_pending WHERE supplier_id = $1"
                     " RETURNING (extract(epoch FROM queued_at) * 1000000)::bigint");
}

namespace {

// The hook's one statement: fire the deferred triggers now rather than at commit (the facts are
// rebuilt, and the suppliers whose facts changed are queued in status_pending for this
// transaction), then read the transaction's first audit seq, those suppliers, and the audit
// entries it appended that are events. It holds the chain's head, so every entry from its first
// on is its own.
std::string PendingSql() {
  std::string actions;
  for (const auto& action : domain::AuditActionsWithEvents()) {
    actions += (actions.empty() ? "'" : ", '") + action + "'";
  }
  return "SET CONSTRAINTS ALL IMMEDIATE;"
         " SELECT s.first,"
         " (SELECT string_agg(supplier_id::text, ',' ORDER BY supplier_id) FROM status_pending"
         "   WHERE xact = pg_current_xact_id_if_assigned()),"
         " (SELECT json_agg(json_build_array(seq, action, entity, entity_id, supplier_id, detail,"
         "   (extract(epoch FROM at) * 1000000)::bigint) ORDER BY seq)::text"
         "   FROM audit_events WHERE seq >= s.first AND action IN (" +
         actions +
         "))"
         " FROM (SELECT NULLIF(current_setting('coco.first_audit_seq', true), '')::bigint AS first)"
         " s";
}

}  // namespace

void PgStatusJournal::BeforeCommit(pqxx::work& tx) {
  static const std::string kPendingSql = PendingSql();
  const pqxx::row pending = tx.exec(kPendingSql)[0];
  if (pending[1].is_null() && pending[2].is_null()) return;  // nothing to journal: no lock
  tx.exec_prepared("journal_lock");
  Cause cause{true, std::nullopt, clock_.NowMicros()};
  if (!pending[0].is_null()) cause.audit_seq = pending[0].as<long long>();
  if (!pending[2].is_null()) {
    // The review moves this transaction audited, as events.
    for (const auto& entry : nlohmann::json::parse(pending[2].as<std::string>())) {
      if (entry.at(4).is_null()) continue;
      const std::string action = entry.at(1);
      const std::string entity = entry.at(2);
      const std::string entity_id = entry.at(3);
      const auto detail = nlohmann::json::parse(entry.at(5).get<std::string>(), nullptr, false);
      const bool resubmission = detail.is_object() && detail.value("resubmission", false);
      const auto type = domain::EventTypeOfAudit(action, resubmission);
      if (!type) continue;
      const nlohmann::json data = {{"audit_seq", entry.at(0)},
                                   {entity + "_id", entity_id},
                                   {"detail", detail.is_discarded() ? nlohmann::json() : detail}};
      tx.exec_prepared("journal_event_insert", std::string(*type), entry.at(4).get<std::string>(),
                       entity, entity_id, data.dump(), entry.at(6).get<long long>());
    }
  }
  if (!pending[1].is_null()) {
    const std::string list = pending[1].as<std::string>();
    for (std::size_t start = 0; start < list.size();) {
      auto end = list.find(',', start);
      if (end == std::string::npos) end = list.size();
      Journal(tx, list.substr(start, end - start), cause);
      start = end + 1;
    }
    tx.exec_prepared("journal_pending_done");
  }
}

void PgStatusJournal::Journal(pqxx::work& tx, const std::string& supplier, const Cause& cause) {
  const pqxx::row row = tx.exec_prepared("journal_read", supplier)[0];
  if (row[3].is_null()) return;  // no such supplier (any more): nothing to journal
  const domain::Date today = domain::Date::Of(cause.at);
  const std::string current = row[3].as<std::string>();

  std::optional<domain::SupplierStatusInputs> before_inputs;
  std::optional<domain::Date> evaluated_on;
  if (!row[2].is_null()) {
    if (row[1].as<int>() != kFactsEncoding) {
      throw domain::Internal("status_facts_history: unknown encoding");
    }
    before_inputs = DecodeStatusFacts(row[2].as<std::string>(), supplier);
  }
  if (!row[0].is_null()) evaluated_on = domain::Date::Parse(row[0].as<std::string>());

  const auto insert_change = [&](const domain::StatusChange& change,
                                 std::chrono::system_clock::time_point at, bool write,
                                 const std::optional<long long>& audit_seq) {
    const long long id =
        tx.exec_prepared("journal_change_insert", supplier, change.service_id,
                         StandardText(change.standard), ToEpochMicros(at), StatusText(change.from),
                         StatusText(change.to), StatusText(change.base), change.reasons,
                         std::string(write ? "write" : "date"), audit_seq, change.rule)[0][0]
            .as<long long>();
    nlohmann::json cause_json = {{"kind", write ? "write" : "date"}};
    if (audit_seq) cause_json["audit_seq"] = *audit_seq;
    if (change.rule) cause_json["rule"] = *change.rule;
    const nlohmann::json data = {
        {"change_id", id},
        {"supplier_id", supplier},
        {"service_id", change.service_id ? nlohmann::json(*change.service_id) : nlohmann::json()},
        {"standard",
         change.standard ? nlohmann::json(domain::ToString(*change.standard)) : nlohmann::json()},
        {"from", change.from ? nlohmann::json(domain::ToString(*change.from)) : nlohmann::json()},
        {"to", change.to ? nlohmann::json(domain::ToString(*change.to)) : nlohmann::json()},
        {"effective_at", domain::FormatTimestamp(at)},
        {"cause", cause_json},
        {"reasons", nlohmann::json::parse(change.reasons)}};
    const std::string entity = change.service_id ? "service" : "supplier";
    tx.exec_prepared("journal_event_insert", "status.changed", supplier, entity,
                     change.service_id.value_or(supplier), data.dump(), ToEpochMicros(at));
    for (const auto& event : domain::DateEventsOf(change)) {
      const nlohmann::json subject = {
          {event.entity + "_id", event.entity_id},
          {"service_id", change.service_id ? nlohmann::json(*change.service_id) : nlohmann::json()},
          {"standard",
           change.standard ? nlohmann::json(domain::ToString(*change.standard)) : nlohmann::json()},
          {"date", event.date ? nlohmann::json(event.date->ToString()) : nlohmann::json()}};
      tx.exec_prepared("journal_event_insert", event.type, supplier, event.entity, event.entity_id,
                       subject.dump(), ToEpochMicros(at));
    }
  };

  // The date-driven changes due since the last journal, from the facts that held.
  std::optional<domain::SupplierStatus> before;
  if (before_inputs && evaluated_on) {
    if (*evaluated_on < today) {
      for (const auto& dated : domain::ChangesBetween(before_inputs->facts, *evaluated_on, today)) {
        for (const auto& change : dated.changes) {
          insert_change(change, StartOf(dated.day), false, std::nullopt);
        }
      }
    }
    before = domain::EvaluateSupplier(before_inputs->facts, today);
  }

  // The changes the write made.
  const bool facts_changed = !before_inputs || row[2].as<std::string>() != current;
  domain::SupplierStatusInputs after_inputs =
      facts_changed ? DecodeStatusFacts(current, supplier) : std::move(*before_inputs);
  const domain::SupplierStatus after = domain::EvaluateSupplier(after_inputs.facts, today);
  if (facts_changed) {
    for (const auto& change : domain::StatusChanges(before ? &*before : nullptr, after)) {
      insert_change(change, cause.at, true, cause.audit_seq);
    }
    tx.exec_prepared("journal_history_insert", supplier, ToEpochMicros(cause.at), kFactsEncoding,
                     current);
  }
  // A worse status ahead: each threshold announced once, as of now. A journal dated on an
  // earlier day (a leftover, at the moment it was queued) warns of nothing: CatchUp journals
  // today next, in the same transaction, and that looks ahead from today.
  domain::LapseOutlook outlook{std::nullopt, today};
  if (today == clock_.Today()) outlook = domain::LapseOutlookOf(after_inputs.facts, after, today);
  if (const auto& warning = outlook.warning) {
    const auto first =
        tx.exec_prepared("journal_warning_insert", supplier, warning->worsens_on.ToString(),
                         warning->threshold, ToEpochMicros(cause.at));
    if (!first.empty()) {
      const nlohmann::json data = {{"supplier_id", supplier},
                                   {"status", domain::ToString(warning->from)},
                                   {"worsens_on", warning->worsens_on.ToString()},
                                   {"to", domain::ToString(warning->to)},
                                   {"days", warning->days},
                                   {"threshold", warning->threshold},
                                   {"reasons", nlohmann::json::parse(warning->reasons)}};
      tx.exec_prepared("journal_event_insert", "status.lapsing", supplier, "supplier", supplier,
                       data.dump(), ToEpochMicros(cause.at));
    }
  }
  tx.exec_prepared("journal_state", supplier, today.ToString(),
                   DateText(domain::NextChangeOfAny(after)), DateText(outlook.next_visit));
}

std::size_t PgStatusJournal::CatchUp(std::size_t limit) {
  const domain::Date today = clock_.Today();
  const auto due = WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::vector<std::string> suppliers;  // UNION: each once
    for (const auto& row :
         tx.exec_prepared("journal_due", today.ToString(), static_cast<long long>(limit))) {
      suppliers.push_back(row[0].as<std::string>());
    }
    return suppliers;
  });
  for (const auto& supplier : due) {
    WithTransaction(pool_, [&](pqxx::work& tx) {
      tx.exec_prepared("journal_lock");
      const auto now = clock_.NowMicros();
      Cause cause{true, std::nullopt, now};
      // A change another writer left: dated when it was queued, caused by a write no audit
      // entry of coco's names.
      for (const auto& row : tx.exec_prepared("journal_leftover", supplier)) {
        cause.at = std::min(cause.at, FromEpochMicros(row[0].as<long long>()));
      }
      Journal(tx, supplier, cause);
      // Queued on an earlier day: the days since then are due too, so that the supplier leaves
      // this round journalled up to today rather than due again in the next batch.
      if (domain::Date::Of(cause.at) < today) Journal(tx, supplier, Cause{true, std::nullopt, now});
    });
  }
  return due.size();
}

bool SchedulerLeadership::Lead() {
  try {
    if (!connection_ || !connection_->is_open()) {
      leading_ = false;
      connection_ = std::make_unique<pqxx::connection>(url_);
    }
    if (leading_) {
      pqxx::nontransaction(*connection_).exec("SELECT 1");
      return true;
    }
    pqxx::nontransaction tx(*connection_);
    leading_ = tx.exec("SELECT pg_try_advisory_lock(" + std::to_string(kLockClass) + ", " +
                       std::to_string(role_) + ")")[0][0]
                   .as<bool>();
    return leading_;
  } catch (const std::exception&) {
    connection_.reset();
    leading_ = false;
    return false;
  }
}

}  // namespace coco::persistence
