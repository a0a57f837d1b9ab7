#include "persistence/pg_review_repositories.hpp"

#include "domain/common/error.hpp"
#include "persistence/pg_assessment_repository.hpp"
#include "persistence/pg_status.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

std::string At(int n) { return SqlTime(n); }

std::string ColumnMicros(const std::string& column) { return SqlMicros(column); }

// --- actions ---

const std::string kActionColumns =
    "id, assessment_id, supplier_id, service_id, standard_key, requirement_id, description,"
    " due_date::text, state, completion_note, " +
    ColumnMicros("completed_at") + ", completed_by, " + ColumnMicros("verified_at") +
    ", verified_by, reopen_reason, " + ColumnMicros("created_at") +
    ", version,"
    " ARRAY(SELECT evidence_id FROM action_evidence e WHERE e.action_id = actions.id"
    " ORDER BY position)";

domain::RemediationAction ActionFromRow(const pqxx::row& row) {
  domain::RemediationAction action{domain::ActionId::Parse(row[0].as<std::string>()),
                                   domain::AssessmentId::Parse(row[1].as<std::string>()),
                                   domain::SupplierId::Parse(row[2].as<std::string>()),
                                   domain::ServiceId::Parse(row[3].as<std::string>()),
                                   *domain::TryParseStandardKey(row[4].as<std::string>()),
                                   row[5].as<std::string>(),
                                   row[6].as<std::string>(),
                                   domain::Date::Parse(row[7].as<std::string>())};
  action.state = *domain::TryParseActionState(row[8].as<std::string>());
  if (!row[10].is_null()) {
    action.completion = domain::ActionCompletion{
        OptionalText(row[9]).value_or(""), ParseIdArray<domain::EvidenceId>(row[17]),
        FromEpochMicros(row[10].as<long long>()), domain::UserId::Parse(row[11].as<std::string>())};
  }
  action.verified_at = OptionalTime(row[12]);
  action.verified_by = OptionalUser(row[13]);
  action.reopen_reason = OptionalText(row[14]);
  action.created_at = FromEpochMicros(row[15].as<long long>());
  action.version = row[16].as<long long>();
  return action;
}

// --- exceptions ---

const std::string kExceptionColumns =
    "id, assessment_id, supplier_id, service_id, standard_key, requirement_id, reason,"
    " approved_by, " +
    ColumnMicros("created_at") + ", expires_on::text, " + ColumnMicros("revoked_at") +
    ", revoked_by, version";

domain::RiskException ExceptionFromRow(const pqxx::row& row) {
  domain::RiskException exception{domain::ExceptionId::Parse(row[0].as<std::string>()),
                                  domain::AssessmentId::Parse(row[1].as<std::string>()),
                                  domain::SupplierId::Parse(row[2].as<std::string>()),
                                  domain::ServiceId::Parse(row[3].as<std::string>()),
                                  *domain::TryParseStandardKey(row[4].as<std::string>()),
                                  row[5].as<std::string>(),
                                  row[6].as<std::string>(),
                                  domain::UserId::Parse(row[7].as<std::string>()),
                                  FromEpochMicros(row[8].as<long long>()),
                                  domain::Date::Parse(row[9].as<std::string>())};
  exception.revoked_at = OptionalTime(row[10]);
  exception.revoked_by = OptionalUser(row[11]);
  exception.version = row[12].as<long long>();
  return exception;
}

domain::PagePosition CreatedPosition(std::chrono::system_clock::time_point at,
                                     const std::string& id) {
  return domain::PagePosition{ToEpochMicros(at), id};
}

// --- triggers ---

const std::string kTriggerColumns =
    "id, service_id, supplier_id, kind, occurred_on::text, note, recorded_by, " +
    ColumnMicros("recorded_at");

domain::Trigger TriggerFromRow(const pqxx::row& row) {
  return domain::Trigger{domain::TriggerId::Parse(row[0].as<std::string>()),
                         domain::ServiceId::Parse(row[1].as<std::string>()),
                         domain::SupplierId::Parse(row[2].as<std::string>()),
                         *domain::TryParseTriggerKind(row[3].as<std::string>()),
                         domain::Date::Parse(row[4].as<std::string>()),
                         row[5].as<std::string>(),
                         domain::UserId::Parse(row[6].as<std::string>()),
                         FromEpochMicros(row[7].as<long long>())};
}

// --- comments ---

const std::string kCommentColumns =
    "id, assessment_id, supplier_id, author_id, author_role, body, internal, " +
    ColumnMicros("created_at");

domain::Comment CommentFromRow(const pqxx::row& row) {
  return domain::Comment{domain::CommentId::Parse(row[0].as<std::string>()),
                         domain::AssessmentId::Parse(row[1].as<std::string>()),
                         domain::SupplierId::Parse(row[2].as<std::string>()),
                         domain::UserId::Parse(row[3].as<std::string>()),
                         domain::ParseRole(row[4].as<std::string>()),
                         row[5].as<std::string>(),
                         row[6].as<bool>(),
                         FromEpochMicros(row[7].as<long long>())};
}

}  // namespace

void PrepareReviewRows(pqxx::connection& connection) {
  connection.prepare("exceptions_of", "SELECT " + kExceptionColumns +
                                          " FROM risk_exceptions WHERE assessment_id = $1"
                                          " ORDER BY created_at, id");
  connection.prepare(
      "action_insert",
      "INSERT INTO actions (id, assessment_id, supplier_id, service_id, standard_key,"
      " requirement_id, description, due_date, state, created_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9, " +
          At(10) + ")");
}

std::vector<domain::RiskException> ExceptionsOf(pqxx::work& tx, const domain::AssessmentId& id) {
  std::vector<domain::RiskException> exceptions;
  for (const auto& row : tx.exec_prepared("exceptions_of", id.str())) {
    exceptions.push_back(ExceptionFromRow(row));
  }
  return exceptions;
}

void InsertAction(pqxx::work& tx, const domain::RemediationAction& action) {
  tx.exec_prepared("action_insert", action.id.str(), action.assessment_id.str(),
                   action.supplier_id.str(), action.service_id.str(),
                   std::string(domain::ToString(action.standard)), action.requirement_id,
                   action.description, action.due_date.ToString(),
                   std::string(domain::ToString(action.state)), ToEpochMicros(action.created_at));
}

// ---------------------------------------------------------------------------------------------

void PgRemediationActionRepository::Prepare(pqxx::connection& connection) {
  PrepareReviewRows(connection);
  PrepareStatusRefresh(connection);
  connection.prepare("action_find", "SELECT " + kActionColumns + " FROM actions WHERE id = $1");
  connection.prepare("action_find_for_update",
                     "SELECT " + kActionColumns + " FROM actions WHERE id = $1 FOR UPDATE");
  connection.prepare("action_list",
                     "SELECT " + kActionColumns +
                         " FROM actions WHERE ($1::uuid IS NULL OR supplier_id = $1::uuid)"
                         " AND ($2::uuid IS NULL OR assessment_id = $2::uuid)"
                         " AND ($3::text IS NULL OR state = $3)"
                         " AND ($4::boolean IS NULL OR (state <> 'verified' AND due_date < "
                         "$5::date) = $4::boolean)"
                         " AND ($6::bigint IS NULL OR (due_date, id) > (date '1970-01-01' + "
                         "$6::integer, $7::uuid))"
                         " ORDER BY due_date, id LIMIT $8");
  connection.prepare("action_update",
                     "UPDATE actions SET state = $2, completion_note = $3,"
                     " completed_at = " +
                         At(4) +
                         ", completed_by = $5::uuid,"
                         " verified_at = " +
                         At(6) +
                         ", verified_by = $7::uuid, reopen_reason = $8,"
                         " version = version + 1 WHERE id = $1 RETURNING version");
  connection.prepare("action_evidence_clear", "DELETE FROM action_evidence WHERE action_id = $1");
  connection.prepare("action_evidence_add",
                     "INSERT INTO action_evidence (action_id, evidence_id, position)"
                     " VALUES ($1, $2, $3)");
}

std::optional<domain::RemediationAction> PgRemediationActionRepository::Find(
    const domain::ActionId& id) {
  return WithSingleRead(pool_,
                        [&](pqxx::nontransaction& tx) -> std::optional<domain::RemediationAction> {
                          const auto rows = tx.exec_prepared("action_find", id.str());
                          if (rows.empty()) return std::nullopt;
                          return ActionFromRow(rows[0]);
                        });
}

domain::PageResult<domain::RemediationAction> PgRemediationActionRepository::List(
    const domain::ActionFilter& filter, const domain::PageRequest& page) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::optional<std::string> supplier, assessment, state;
    if (filter.supplier) supplier = filter.supplier->str();
    if (filter.assessment) assessment = filter.assessment->str();
    if (filter.state) state = std::string(domain::ToString(*filter.state));
    domain::RequireDayPosition(page);
    const auto after = AfterOf(page);
    const auto rows =
        tx.exec_prepared("action_list", supplier, assessment, state, filter.overdue,
                         filter.today.ToString(), after.micros, after.id, page.limit + 1);
    return KeysetPage<domain::RemediationAction>(
        rows, page.limit, ActionFromRow, [](const domain::RemediationAction& last) {
          return domain::PagePosition{domain::DayPosition(last.due_date), last.id.str()};
        });
  });
}

domain::RemediationAction PgRemediationActionRepository::Update(
    const domain::ActionId& id, std::optional<long long> expected_version,
    const domain::Actor& actor,
    const std::function<domain::AuditEntry(domain::RemediationAction&)>& change) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto rows = tx.exec_prepared("action_find_for_update", id.str());
    if (rows.empty()) throw domain::NotFound("no such action");
    domain::RemediationAction action = ActionFromRow(rows[0]);
    if (expected_version && *expected_version != action.version) {
      throw domain::StaleVersion(action.version);
    }
    const domain::AuditEntry audit = change(action);
    std::optional<std::string> note, completed_by;
    std::optional<long long> completed_at;
    if (action.completion) {
      note = action.completion->note;
      completed_at = ToEpochMicros(action.completion->completed_at);
      completed_by = action.completion->completed_by.str();
    }
    action.version =
        tx.exec_prepared("action_update", id.str(), std::string(domain::ToString(action.state)),
                         note, completed_at, completed_by, OptionalMicros(action.verified_at),
                         OptionalIdText(action.verified_by), action.reopen_reason)[0][0]
            .as<long long>();
    tx.exec_prepared("action_evidence_clear", id.str());
    if (action.completion) {
      int position = 0;
      for (const auto& file : action.completion->evidence_ids) {
        tx.exec_prepared("action_evidence_add", id.str(), file.str(), ++position);
      }
    }
    RefreshStatus(tx, action.service_id, action.standard);
    audit_.Append(tx, actor, audit);
    return action;
  });
}

// ---------------------------------------------------------------------------------------------

void PgRiskExceptionRepository::Prepare(pqxx::connection& connection) {
  PrepareReviewRows(connection);
  PgAssessmentRepository::Prepare(connection);
  connection.prepare("exception_find",
                     "SELECT " + kExceptionColumns + " FROM risk_exceptions WHERE id = $1");
  connection.prepare(
      "exception_lock_assessment",
      "SELECT a.id FROM assessments a JOIN risk_exceptions e ON e.assessment_id = a.id"
      " WHERE e.id = $1 FOR UPDATE OF a");
  connection.prepare(
      "exception_find_for_update",
      "SELECT " + kExceptionColumns + " FROM risk_exceptions WHERE id = $1 FOR UPDATE");
  connection.prepare("exception_list", "SELECT " + kExceptionColumns +
                                           " FROM risk_exceptions WHERE assessment_id = $1"
                                           " AND ($2::bigint IS NULL OR (created_at, id) > (" +
                                           At(2) +
                                           ", $3::uuid))"
                                           " ORDER BY created_at, id LIMIT $4");
  connection.prepare("exception_supplier_exists", "SELECT 1 FROM suppliers WHERE id = $1");
  connection.prepare("exception_list_supplier",
                     "SELECT " + kExceptionColumns +
                         " FROM risk_exceptions WHERE supplier_id = $1"
                         " AND ($2::bigint IS NULL OR (created_at, id) > (" +
                         At(2) +
                         ", $3::uuid))"
                         " ORDER BY created_at, id LIMIT $4");
  // $3/$4 the keyset position: (days since 1970-01-01 of expires_on, id).
  connection.prepare("exception_list_by_expiry",
                     "SELECT " + kExceptionColumns +
                         " FROM risk_exceptions WHERE ($1::uuid IS NULL OR supplier_id = $1::uuid)"
                         " AND ($2::date IS NULL OR expires_on < $2::date)"
                         " AND ($3::bigint IS NULL OR (expires_on, id) > (date '1970-01-01' + "
                         "$3::integer, $4::uuid))"
                         " ORDER BY expires_on, id LIMIT $5");
  connection.prepare("exception_insert",
                     "INSERT INTO risk_exceptions (id, assessment_id, supplier_id, service_id,"
                     " standard_key, requirement_id, reason, approved_by, created_at, expires_on)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " +
                         At(9) + ", $10::date)");
  connection.prepare("exception_update",
                     "UPDATE risk_exceptions SET revoked_at = " + At(2) +
                         ", revoked_by = $3::uuid,"
                         " version = version + 1 WHERE id = $1 RETURNING version");
}

domain::RiskException PgRiskExceptionRepository::Add(const domain::AssessmentId& id,
                                                     const domain::Actor& actor,
                                                     const Maker& make) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto assessment = LoadAssessment(tx, id, true);
    if (!assessment) throw domain::NotFound("no such assessment");
    const auto [exception, audit] = make(*assessment, ExceptionsOf(tx, id));
    tx.exec_prepared("exception_insert", exception.id.str(), exception.assessment_id.str(),
                     exception.supplier_id.str(), exception.service_id.str(),
                     std::string(domain::ToString(exception.standard)), exception.requirement_id,
                     exception.reason, exception.approved_by.str(),
                     ToEpochMicros(exception.created_at), exception.expires_on.ToString());
    RefreshStatus(tx, exception.service_id, exception.standard);
    audit_.Append(tx, actor, audit);
    return exception;
  });
}

std::optional<domain::RiskException> PgRiskExceptionRepository::Find(
    const domain::ExceptionId& id) {
  return WithSingleRead(pool_,
                        [&](pqxx::nontransaction& tx) -> std::optional<domain::RiskException> {
                          const auto rows = tx.exec_prepared("exception_find", id.str());
                          if (rows.empty()) return std::nullopt;
                          return ExceptionFromRow(rows[0]);
                        });
}

domain::PageResult<domain::RiskException> PgRiskExceptionRepository::List(
    const domain::AssessmentId& assessment, const domain::PageRequest& page) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    const auto after = AfterOf(page);
    const auto rows = tx.exec_prepared("exception_list", assessment.str(), after.micros, after.id,
                                       page.limit + 1);
    return KeysetPage<domain::RiskException>(
        rows, page.limit, ExceptionFromRow, [](const domain::RiskException& last) {
          return CreatedPosition(last.created_at, last.id.str());
        });
  });
}

std::optional<domain::PageResult<domain::RiskException>> PgRiskExceptionRepository::ListBySupplier(
    const domain::SupplierId& supplier, const domain::PageRequest& page) {
  return WithSingleRead(
      pool_,
      [&](pqxx::nontransaction& tx) -> std::optional<domain::PageResult<domain::RiskException>> {
        const auto after = AfterOf(page);
        const auto rows = tx.exec_prepared("exception_list_supplier", supplier.str(), after.micros,
                                           after.id, page.limit + 1);
        // A row names its supplier (exceptions have a foreign key), so only an empty page asks
        // whether the supplier exists: one round trip for a supplier that has exceptions.
        if (rows.empty() && tx.exec_prepared("exception_supplier_exists", supplier.str()).empty()) {
          return std::nullopt;
        }
        return KeysetPage<domain::RiskException>(
            rows, page.limit, ExceptionFromRow, [](const domain::RiskException& last) {
              return CreatedPosition(last.created_at, last.id.str());
            });
      });
}

domain::PageResult<domain::RiskException> PgRiskExceptionRepository::ListByExpiry(
    const domain::ExceptionQuery& query, const domain::PageRequest& page) {
  domain::RequireDayPosition(page);
  const auto after = AfterOf(page);
  std::optional<std::string> supplier, expires_before;
  if (query.supplier) supplier = query.supplier->str();
  if (query.expires_before) expires_before = query.expires_before->ToString();
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    // Without `keep` every row fetched is an item: one statement of limit + 1 rows, the extra one
    // saying that more follow. With it, rows are read on in batches (the domain decides which
    // to keep, so SQL cannot) until the page and one more kept row are found, or none are left.
    // Each batch goes on after the last row seen, as the next page would: its keys (expires_on,
    // id) never change, so batches read in separate snapshots neither skip nor repeat a row.
    const int batch = query.keep ? domain::kMaxPageSize + 1 : page.limit + 1;
    std::optional<long long> scanned_days = after.micros;
    std::optional<std::string> scanned_id = after.id;
    domain::PageResult<domain::RiskException> result;
    for (;;) {
      const auto rows = tx.exec_prepared("exception_list_by_expiry", supplier, expires_before,
                                         scanned_days, scanned_id, batch);
      for (const auto& row : rows) {
        domain::RiskException exception = ExceptionFromRow(row);
        scanned_days = domain::DayPosition(exception.expires_on);
        scanned_id = exception.id.str();
        if (query.keep && !query.keep(exception)) continue;
        if (static_cast<int>(result.items.size()) == page.limit) {
          const auto& last = result.items.back();
          result.next = domain::PagePosition{domain::DayPosition(last.expires_on), last.id.str()};
          return result;
        }
        result.items.push_back(std::move(exception));
      }
      if (static_cast<int>(rows.size()) < batch) return result;
    }
  });
}

std::vector<domain::RiskException> PgRiskExceptionRepository::AllOf(
    const domain::AssessmentId& assessment) {
  return WithTransaction(pool_, [&](pqxx::work& tx) { return ExceptionsOf(tx, assessment); });
}

domain::RiskException PgRiskExceptionRepository::Update(
    const domain::ExceptionId& id, std::optional<long long> expected_version,
    const domain::Actor& actor,
    const std::function<domain::AuditEntry(domain::RiskException&)>& change) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    // The assessment first, as Add and an approval lock it: an approval then sees the exception
    // either before or after the change, never in between.
    tx.exec_prepared("exception_lock_assessment", id.str());
    const auto rows = tx.exec_prepared("exception_find_for_update", id.str());
    if (rows.empty()) throw domain::NotFound("no such exception");
    domain::RiskException exception = ExceptionFromRow(rows[0]);
    if (expected_version && *expected_version != exception.version) {
      throw domain::StaleVersion(exception.version);
    }
    const domain::AuditEntry audit = change(exception);
    std::optional<std::string> revoked_by;
    if (exception.revoked_by) revoked_by = exception.revoked_by->str();
    exception.version = tx.exec_prepared("exception_update", id.str(),
                                         OptionalMicros(exception.revoked_at), revoked_by)[0][0]
                            .as<long long>();
    RefreshStatus(tx, exception.service_id, exception.standard);
    audit_.Append(tx, actor, audit);
    return exception;
  });
}

// ---------------------------------------------------------------------------------------------

void PgTriggerRepository::Prepare(pqxx::connection& connection) {
  PrepareStatusRefresh(connection);
  connection.prepare("trigger_insert",
                     "INSERT INTO triggers (id, service_id, supplier_id, kind, occurred_on, note,"
                     " recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5::date, $6, $7, " +
                         At(8) + ")");
  connection.prepare("trigger_list", "SELECT " + kTriggerColumns +
                                         " FROM triggers WHERE service_id = $1"
                                         " AND ($2::bigint IS NULL OR (recorded_at, id) > (" +
                                         At(2) +
                                         ", $3::uuid))"
                                         " ORDER BY recorded_at, id LIMIT $4");
}

void PgTriggerRepository::Record(const domain::Trigger& trigger, const domain::Actor& actor,
                                 const domain::AuditEntry& audit) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    tx.exec_prepared("trigger_insert", trigger.id.str(), trigger.service_id.str(),
                     trigger.supplier_id.str(), std::string(domain::ToString(trigger.kind)),
                     trigger.occurred_on.ToString(), trigger.note, trigger.recorded_by.str(),
                     ToEpochMicros(trigger.recorded_at));
    RefreshServiceStatus(tx, trigger.service_id);
    audit_.Append(tx, actor, audit);
  });
}

domain::PageResult<domain::Trigger> PgTriggerRepository::List(const domain::ServiceId& service,
                                                              const domain::PageRequest& page) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    const auto after = AfterOf(page);
    const auto rows =
        tx.exec_prepared("trigger_list", service.str(), after.micros, after.id, page.limit + 1);
    return KeysetPage<domain::Trigger>(rows, page.limit, TriggerFromRow,
                                       [](const domain::Trigger& last) {
                                         return CreatedPosition(last.recorded_at, last.id.str());
                                       });
  });
}

// ---------------------------------------------------------------------------------------------

void PgCommentRepository::Prepare(pqxx::connection& connection) {
  connection.prepare("comment_insert",
                     "INSERT INTO comments (id, assessment_id, supplier_id, author_id, author_role,"
                     " body, internal, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, " +
                         At(8) + ")");
  connection.prepare("comment_list",
                     "SELECT " + kCommentColumns +
                         " FROM comments WHERE assessment_id = $1 AND ($2 OR NOT internal)"
                         " AND ($3::bigint IS NULL OR (created_at, id) > (" +
                         At(3) +
                         ", $4::uuid))"
                         " ORDER BY created_at, id LIMIT $5");
}

void PgCommentRepository::Add(const domain::Comment& comment, const domain::Actor& actor,
                              const domain::AuditEntry& audit) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    tx.exec_prepared("comment_insert", comment.id.str(), comment.assessment_id.str(),
                     comment.supplier_id.str(), comment.author_id.str(),
                     std::string(domain::ToString(comment.author_role)), comment.body,
                     comment.internal, ToEpochMicros(comment.created_at));
    audit_.Append(tx, actor, audit);
  });
}

domain::PageResult<domain::Comment> PgCommentRepository::List(
    const domain::AssessmentId& assessment, bool include_internal,
    const domain::PageRequest& page) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    const auto after = AfterOf(page);
    const auto rows = tx.exec_prepared("comment_list", assessment.str(), include_internal,
                                       after.micros, after.id, page.limit + 1);
    return KeysetPage<domain::Comment>(rows, page.limit, CommentFromRow,
                                       [](const domain::Comment& last) {
                                         return CreatedPosition(last.created_at, last.id.str());
                                       });
  });
}

}  // namespace coco::persistence
