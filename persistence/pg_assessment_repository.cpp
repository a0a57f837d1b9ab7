#include "persistence/pg_assessment_repository.hpp"

#include <map>

#include "domain/common/error.hpp"
#include "persistence/pg_review_repositories.hpp"
#include "persistence/pg_status.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

// The assessment's columns, for a table aliased `prefix` ("" or "a.").
std::string Columns(const std::string& p = "") {
  return p + "id, " + p + "service_id, " + p + "supplier_id, " + p + "standard_key, " + p +
         "standard_version, " + p + "state, " + p + "profile_hash, " + p + "created_by," +
         " (extract(epoch FROM " + p + "created_at) * 1000000)::bigint," + " (extract(epoch FROM " +
         p + "submitted_at) * 1000000)::bigint, " + p + "version, " + p + "claimed_by, " + p +
         "previous_assessor, " + p + "changes_summary," + " (extract(epoch FROM " + p +
         "decided_at) * 1000000)::bigint, " + p + "decided_by, " + p + "valid_until::text, " + p +
         "decision_reason," + " (extract(epoch FROM " + p + "suspended_at) * 1000000)::bigint, " +
         p + "suspended_by, " + p + "suspension_reason";
}
constexpr int kColumnCount = 21;

constexpr const char* kResponseColumns =
    "requirement_id, level, position, answer, justification, remediation_plan,"
    " remediation_due::text, version, (extract(epoch FROM updated_at) * 1000000)::bigint,"
    " verdict, review_comment, reviewed_by, (extract(epoch FROM reviewed_at) * 1000000)::bigint,"
    " open_for_changes, reopened";

domain::Assessment AssessmentFromRow(const pqxx::row& row) {
  domain::Assessment assessment{domain::AssessmentId::Parse(row[0].as<std::string>()),
                                domain::ServiceId::Parse(row[1].as<std::string>()),
                                domain::SupplierId::Parse(row[2].as<std::string>()),
                                *domain::TryParseStandardKey(row[3].as<std::string>()),
                                row[4].as<std::string>(),
                                *domain::TryParseAssessmentState(row[5].as<std::string>()),
                                row[6].as<std::string>(),
                                domain::UserId::Parse(row[7].as<std::string>()),
                                FromEpochMicros(row[8].as<long long>()),
                                std::nullopt,
                                row[10].as<long long>(),
                                {}};
  if (!row[9].is_null()) assessment.submitted_at = FromEpochMicros(row[9].as<long long>());
  if (!row[11].is_null()) assessment.claimed_by = domain::UserId::Parse(row[11].as<std::string>());
  assessment.previous_assessor = OptionalUser(row[12]);
  assessment.changes_summary = OptionalText(row[13]);
  assessment.decided_at = OptionalTime(row[14]);
  assessment.decided_by = OptionalUser(row[15]);
  assessment.valid_until = OptionalDate(row[16]);
  assessment.decision_reason = OptionalText(row[17]);
  if (!row[18].is_null()) {
    assessment.suspension =
        domain::Suspension{row[20].as<std::string>(), FromEpochMicros(row[18].as<long long>()),
                           domain::UserId::Parse(row[19].as<std::string>())};
  }
  return assessment;
}

domain::Response ResponseFromRow(const pqxx::row& row) {
  domain::Response response;
  response.requirement_id = row[0].as<std::string>();
  response.level = *domain::TryParseLevel(row[1].as<std::string>());
  response.position = row[2].as<int>();
  if (!row[3].is_null()) response.answer = domain::TryParseAnswer(row[3].as<std::string>());
  response.justification = row[4].as<std::string>();
  if (!row[5].is_null()) {
    response.remediation = domain::Remediation{row[5].as<std::string>(),
                                               domain::Date::Parse(row[6].as<std::string>())};
  }
  response.version = row[7].as<long long>();
  response.updated_at = FromEpochMicros(row[8].as<long long>());
  if (!row[9].is_null()) {
    response.review = domain::Review{
        *domain::TryParseVerdict(row[9].as<std::string>()), OptionalText(row[10]),
        domain::UserId::Parse(row[11].as<std::string>()), FromEpochMicros(row[12].as<long long>())};
  }
  response.open_for_changes = row[13].as<bool>();
  response.reopened = row[14].as<bool>();
  return response;
}

void LoadResponses(pqxx::work& tx, domain::Assessment& assessment) {
  for (const auto& row : tx.exec_prepared("assessment_responses", assessment.id.str())) {
    assessment.responses.push_back(ResponseFromRow(row));
  }
  std::map<std::string, domain::Response*> by_id;
  for (auto& response : assessment.responses) by_id[response.requirement_id] = &response;
  for (const auto& row : tx.exec_prepared("assessment_response_evidence", assessment.id.str())) {
    by_id.at(row[0].as<std::string>())
        ->evidence_ids.push_back(domain::EvidenceId::Parse(row[1].as<std::string>()));
  }
  for (const auto& row : tx.exec_prepared("assessment_review_history", assessment.id.str())) {
    by_id.at(row[0].as<std::string>())
        ->review_history.push_back(
            domain::Review{*domain::TryParseVerdict(row[1].as<std::string>()), OptionalText(row[2]),
                           domain::UserId::Parse(row[3].as<std::string>()),
                           FromEpochMicros(row[4].as<long long>())});
  }
}

// Appends the verdicts `response` gained beyond the first `known` of its history.
void AppendHistory(pqxx::work& tx, const domain::AssessmentId& id, const domain::Response& response,
                   std::size_t known) {
  for (std::size_t i = known; i < response.review_history.size(); ++i) {
    const auto& review = response.review_history[i];
    tx.exec_prepared("response_review_append", id.str(), response.requirement_id,
                     std::string(domain::ToString(review.verdict)), review.comment,
                     review.reviewed_by.str(), ToEpochMicros(review.reviewed_at));
  }
}

struct ReviewColumns {
  std::optional<std::string> verdict, comment, reviewed_by;
  std::optional<long long> reviewed_at;
};

ReviewColumns ReviewColumnsOf(const domain::Response& response) {
  if (!response.review) return {};
  return {std::string(domain::ToString(response.review->verdict)), response.review->comment,
          response.review->reviewed_by.str(), ToEpochMicros(response.review->reviewed_at)};
}

bool SameReviewState(const domain::Response& a, const domain::Response& b) {
  const auto x = ReviewColumnsOf(a);
  const auto y = ReviewColumnsOf(b);
  return x.verdict == y.verdict && x.comment == y.comment && x.reviewed_by == y.reviewed_by &&
         x.reviewed_at == y.reviewed_at && a.open_for_changes == b.open_for_changes &&
         a.reopened == b.reopened;
}

// Saves the assessment's own fields and every response whose review state `change` altered
// (their versions move too: a cleared verdict is a changed response).
long long SaveAssessment(pqxx::work& tx, const domain::Assessment& before,
                         domain::Assessment& after) {
  for (std::size_t i = 0; i < after.responses.size(); ++i) {
    auto& response = after.responses[i];
    if (SameReviewState(before.responses[i], response)) continue;
    const auto review = ReviewColumnsOf(response);
    response.version =
        tx.exec_prepared("response_review_update", after.id.str(), response.requirement_id,
                         review.verdict, review.comment, review.reviewed_by, review.reviewed_at,
                         response.open_for_changes, response.reopened)[0][0]
            .as<long long>();
    AppendHistory(tx, after.id, response, before.responses[i].review_history.size());
  }
  std::optional<std::string> suspension_reason, suspended_by;
  std::optional<long long> suspended_at;
  if (after.suspension) {
    suspension_reason = after.suspension->reason;
    suspended_by = after.suspension->suspended_by.str();
    suspended_at = ToEpochMicros(after.suspension->suspended_at);
  }
  return tx
      .exec_prepared("assessment_update", after.id.str(),
                     std::string(domain::ToString(after.state)), OptionalMicros(after.submitted_at),
                     OptionalIdText(after.claimed_by), OptionalIdText(after.previous_assessor),
                     after.changes_summary, OptionalMicros(after.decided_at),
                     OptionalIdText(after.decided_by), DateText(after.valid_until),
                     after.decision_reason, suspended_at, suspended_by, suspension_reason)[0][0]
      .as<long long>();
}

std::optional<domain::Assessment> Load(pqxx::work& tx, const domain::AssessmentId& id, bool lock) {
  return LoadAssessment(tx, id, lock);
}

}  // namespace

std::optional<domain::Assessment> LoadAssessment(pqxx::work& tx, const domain::AssessmentId& id,
                                                 bool lock) {
  const auto rows =
      tx.exec_prepared(lock ? "assessment_find_for_update" : "assessment_find", id.str());
  if (rows.empty()) return std::nullopt;
  domain::Assessment assessment = AssessmentFromRow(rows[0]);
  LoadResponses(tx, assessment);
  return assessment;
}

void PgAssessmentRepository::Prepare(pqxx::connection& connection) {
  auto at = [](int n) { return SqlTime(n); };
  connection.prepare("assessment_service_profile",
                     "SELECT profile_hash FROM services WHERE id = $1 FOR SHARE");
  connection.prepare("assessment_insert",
                     "INSERT INTO assessments (id, service_id, supplier_id, standard_key,"
                     " standard_version, state, profile_hash, created_by, created_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " +
                         at(9) + ")");
  connection.prepare("response_insert",
                     "INSERT INTO responses (assessment_id, requirement_id, position, level,"
                     " updated_at) VALUES ($1, $2, $3, $4, " +
                         at(5) + ")");
  connection.prepare("assessment_find", "SELECT " + Columns() + " FROM assessments WHERE id = $1");
  connection.prepare("assessment_find_for_update",
                     "SELECT " + Columns() + " FROM assessments WHERE id = $1 FOR UPDATE");
  connection.prepare("assessment_review_history",
                     "SELECT requirement_id, verdict, comment, reviewed_by,"
                     " (extract(epoch FROM reviewed_at) * 1000000)::bigint FROM response_reviews"
                     " WHERE assessment_id = $1 ORDER BY requirement_id, seq");
  connection.prepare(
      "response_review_append",
      "INSERT INTO response_reviews (assessment_id, requirement_id, seq, verdict,"
      " comment, reviewed_by, reviewed_at) VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1"
      " FROM response_reviews WHERE assessment_id = $1 AND requirement_id = $2),"
      " $3, $4, $5, " +
          at(6) + ")");
  connection.prepare(
      "response_review_update",
      "UPDATE responses SET verdict = $3, review_comment = $4, reviewed_by = $5::uuid,"
      " reviewed_at = " +
          at(6) +
          ", open_for_changes = $7, reopened = $8,"
          " version = version + 1"
          " WHERE assessment_id = $1 AND requirement_id = $2 RETURNING version");
  connection.prepare("approval_service_profile",
                     "SELECT profile_hash FROM services WHERE id = $1 FOR SHARE");
  connection.prepare("approval_previous",
                     "SELECT id FROM assessments WHERE service_id = $1 AND standard_key = $2"
                     " AND state = 'approved' AND id <> $3 FOR UPDATE");
  connection.prepare("assessment_supersede",
                     "UPDATE assessments SET state = 'superseded', version = version + 1"
                     " WHERE id = $1");
  connection.prepare("assessment_responses", std::string("SELECT ") + kResponseColumns +
                                                 " FROM responses WHERE assessment_id = $1"
                                                 " ORDER BY position");
  connection.prepare("assessment_response_evidence",
                     "SELECT requirement_id, evidence_id FROM response_evidence"
                     " WHERE assessment_id = $1 ORDER BY requirement_id, position");
  connection.prepare(
      "assessment_list",
      "SELECT " + Columns() +
          " FROM assessments WHERE ($1::uuid IS NULL OR supplier_id = $1::uuid)"
          " AND ($2::uuid IS NULL OR service_id = $2::uuid)"
          " AND ($3::text IS NULL OR standard_key = $3) AND ($4::text IS NULL OR state = $4)"
          " AND ($5::bigint IS NULL OR (created_at, id) > (" +
          at(5) +
          ", $6::uuid))"
          " ORDER BY created_at, id LIMIT $7");
  connection.prepare(
      "assessment_queue",
      "SELECT " + Columns("a.") +
          ","
          " count(r.*) FILTER (WHERE r.level = 'MUST' AND r.answer IS NOT NULL),"
          " count(r.*) FILTER (WHERE r.level = 'MUST' AND r.answer = 'not_met')"
          " FROM assessments a LEFT JOIN responses r ON r.assessment_id = a.id"
          " WHERE a.state IN ('submitted', 'in_review') AND ($1::text IS NULL OR a.state = $1)"
          " AND ($2::uuid IS NULL OR a.supplier_id = $2::uuid)"
          " AND ($3::text IS NULL OR a.standard_key = $3)"
          " AND ($4::bigint IS NULL OR (a.submitted_at, a.id) > (" +
          at(4) +
          ", $5::uuid))"
          " AND ($7::uuid IS NULL OR a.claimed_by = $7::uuid)"
          " GROUP BY a.id ORDER BY a.submitted_at, a.id LIMIT $6");
  connection.prepare("response_update",
                     "UPDATE responses SET answer = $3, justification = $4, remediation_plan = $5,"
                     " remediation_due = $6::date, updated_at = " +
                         at(7) +
                         ","
                         " verdict = $8, review_comment = $9, reviewed_by = $10::uuid,"
                         " reviewed_at = " +
                         at(11) +
                         ", open_for_changes = $12, reopened = $13,"
                         " version = version + 1"
                         " WHERE assessment_id = $1 AND requirement_id = $2 RETURNING version");
  connection.prepare("assessment_touch",
                     "UPDATE assessments SET version = version + 1 WHERE id = $1");
  connection.prepare(
      "response_evidence_clear",
      "DELETE FROM response_evidence WHERE assessment_id = $1 AND requirement_id = $2");
  connection.prepare("response_evidence_add",
                     "INSERT INTO response_evidence (assessment_id, requirement_id, evidence_id,"
                     " position) VALUES ($1, $2, $3, $4)");
  connection.prepare(
      "assessment_update",
      "UPDATE assessments SET state = $2, submitted_at = " + at(3) +
          ","
          " claimed_by = $4::uuid, previous_assessor = $5::uuid,"
          " claimed_at = CASE WHEN $4::uuid IS NULL THEN NULL"
          "   WHEN claimed_by IS NOT DISTINCT FROM $4::uuid THEN claimed_at ELSE now() END,"
          " changes_summary = $6, decided_at = " +
          at(7) +
          ", decided_by = $8::uuid,"
          " valid_until = $9::date, decision_reason = $10,"
          " suspended_at = " +
          at(11) +
          ", suspended_by = $12::uuid, suspension_reason = $13,"
          " version = version + 1 WHERE id = $1 RETURNING version");
  PrepareReviewRows(connection);
  PrepareStatusRefresh(connection);
}

void PgAssessmentRepository::Create(const domain::Assessment& assessment,
                                    const domain::Actor& actor, const domain::AuditEntry& audit) {
  try {
    WithTransaction(pool_, [&](pqxx::work& tx) {
      // The scope was computed from the service as read before this transaction: if its
      // profile changed since, the re-scoping of that change never saw this draft.
      const auto profile =
          tx.exec_prepared("assessment_service_profile", assessment.service_id.str());
      if (profile.empty() || profile[0][0].as<std::string>() != assessment.profile_hash) {
        throw domain::Conflict(
            "the service's profile changed while the assessment was being "
            "started; start it again",
            "concurrent_update");
      }
      tx.exec_prepared("assessment_insert", assessment.id.str(), assessment.service_id.str(),
                       assessment.supplier_id.str(),
                       std::string(domain::ToString(assessment.standard)),
                       assessment.standard_version, std::string(domain::ToString(assessment.state)),
                       assessment.profile_hash, assessment.created_by.str(),
                       ToEpochMicros(assessment.created_at));
      for (const auto& response : assessment.responses) {
        tx.exec_prepared("response_insert", assessment.id.str(), response.requirement_id,
                         response.position, std::string(domain::ToString(response.level)),
                         ToEpochMicros(response.updated_at));
      }
      RefreshStatus(tx, assessment.service_id, assessment.standard);
      audit_.Append(tx, actor, audit);
    });
  } catch (const domain::Error& error) {
    if (error.kind() != domain::ErrorKind::kAlreadyExists) throw;
    throw domain::AlreadyExists("this service already has an open " +
                                    std::string(domain::ToString(assessment.standard)) +
                                    " assessment; finish or withdraw it first",
                                "assessment_open");
  }
}

std::optional<domain::Assessment> PgAssessmentRepository::Find(const domain::AssessmentId& id) {
  return WithTransaction(pool_, [&](pqxx::work& tx) { return Load(tx, id, false); });
}

domain::PageResult<domain::Assessment> PgAssessmentRepository::List(
    const domain::AssessmentFilter& filter, const domain::PageRequest& page) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    std::optional<std::string> supplier, service, standard, state;
    if (filter.supplier) supplier = filter.supplier->str();
    if (filter.service) service = filter.service->str();
    if (filter.standard) standard = std::string(domain::ToString(*filter.standard));
    if (filter.state) state = std::string(domain::ToString(*filter.state));
    const auto after = AfterOf(page);
    const auto rows = tx.exec_prepared("assessment_list", supplier, service, standard, state,
                                       after.micros, after.id, page.limit + 1);
    return KeysetPage<domain::Assessment>(
        rows, page.limit, AssessmentFromRow, [](const domain::Assessment& last) {
          return domain::PagePosition{ToEpochMicros(last.created_at), last.id.str()};
        });
  });
}

domain::PageResult<domain::QueueItem> PgAssessmentRepository::ReviewQueue(
    const domain::QueueFilter& filter, const domain::PageRequest& page) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    std::optional<std::string> state, supplier, standard, claimed_by;
    if (filter.state) state = std::string(domain::ToString(*filter.state));
    if (filter.supplier) supplier = filter.supplier->str();
    if (filter.standard) standard = std::string(domain::ToString(*filter.standard));
    if (filter.claimed_by) claimed_by = filter.claimed_by->str();
    const auto after = AfterOf(page);
    const auto rows = tx.exec_prepared("assessment_queue", state, supplier, standard, after.micros,
                                       after.id, page.limit + 1, claimed_by);
    return KeysetPage<domain::QueueItem>(
        rows, page.limit,
        [](const pqxx::row& row) {
          return domain::QueueItem{AssessmentFromRow(row), row[kColumnCount].as<int>(),
                                   row[kColumnCount + 1].as<int>()};
        },
        [](const domain::QueueItem& last) {
          return domain::PagePosition{ToEpochMicros(*last.assessment.submitted_at),
                                      last.assessment.id.str()};
        });
  });
}

domain::Response PgAssessmentRepository::UpdateResponse(
    const domain::AssessmentId& id, const std::string& requirement_id,
    std::optional<long long> expected_response_version, const domain::Actor& actor,
    const domain::ResponseWrite& write) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    auto assessment = Load(tx, id, true);
    if (!assessment) throw domain::NotFound("no such assessment");
    write.admit(*assessment, [&tx](const domain::EvidenceId& file) {
      return PgEvidenceRepository::FindIn(tx, file);
    });
    domain::Response* response = assessment->FindResponse(requirement_id);
    if (response == nullptr) throw domain::NotFound("no such response", "response_not_found");
    if (expected_response_version && *expected_response_version != response->version) {
      throw domain::StaleVersion(response->version);
    }
    const std::size_t known = response->review_history.size();
    const domain::AuditEntry audit = write.change(*assessment, *response);
    std::optional<std::string> answer, plan, due;
    if (response->answer) answer = std::string(domain::ToString(*response->answer));
    if (response->remediation) {
      plan = response->remediation->plan;
      due = response->remediation->due_date.ToString();
    }
    const auto review = ReviewColumnsOf(*response);
    response->version =
        tx.exec_prepared("response_update", id.str(), requirement_id, answer,
                         response->justification, plan, due, ToEpochMicros(response->updated_at),
                         review.verdict, review.comment, review.reviewed_by, review.reviewed_at,
                         response->open_for_changes, response->reopened)[0][0]
            .as<long long>();
    AppendHistory(tx, id, *response, known);
    // A changed answer changes the assessment: its ETag must not match a copy read before.
    tx.exec_prepared("assessment_touch", id.str());
    tx.exec_prepared("response_evidence_clear", id.str(), requirement_id);
    int position = 0;
    for (const auto& file : response->evidence_ids) {
      tx.exec_prepared("response_evidence_add", id.str(), requirement_id, file.str(), ++position);
    }
    audit_.Append(tx, actor, audit);
    return *response;
  });
}

domain::Assessment PgAssessmentRepository::Transition(
    const domain::AssessmentId& id, std::optional<long long> expected_version,
    const domain::Actor& actor,
    const std::function<domain::AuditEntry(domain::Assessment&)>& change) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    auto assessment = Load(tx, id, true);
    if (!assessment) throw domain::NotFound("no such assessment");
    if (expected_version && *expected_version != assessment->version) {
      throw domain::StaleVersion(assessment->version);
    }
    const domain::Assessment before = *assessment;
    const domain::AuditEntry audit = change(*assessment);
    assessment->version = SaveAssessment(tx, before, *assessment);
    RefreshStatus(tx, assessment->service_id, assessment->standard);
    audit_.Append(tx, actor, audit);
    return *assessment;
  });
}

domain::Assessment PgAssessmentRepository::Approve(
    const domain::AssessmentId& id, std::optional<long long> expected_version,
    const domain::Actor& actor,
    const std::function<domain::ApprovalRecord(domain::Assessment&, const domain::ApprovalFacts&)>&
        decide) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    auto assessment = Load(tx, id, true);
    if (!assessment) throw domain::NotFound("no such assessment");
    if (expected_version && *expected_version != assessment->version) {
      throw domain::StaleVersion(assessment->version);
    }
    domain::ApprovalFacts facts;
    const auto profile = tx.exec_prepared("approval_service_profile", assessment->service_id.str());
    if (!profile.empty()) facts.current_profile_hash = profile[0][0].as<std::string>();
    facts.exceptions = ExceptionsOf(tx, id);
    const auto previous =
        tx.exec_prepared("approval_previous", assessment->service_id.str(),
                         std::string(domain::ToString(assessment->standard)), id.str());
    if (!previous.empty()) {
      facts.previous_approval = domain::AssessmentId::Parse(previous[0][0].as<std::string>());
    }
    const domain::Assessment before = *assessment;
    const domain::ApprovalRecord record = decide(*assessment, facts);
    // The superseded approval leaves the unique "one approved" slot before this one takes it.
    if (facts.previous_approval)
      tx.exec_prepared("assessment_supersede", facts.previous_approval->str());
    assessment->version = SaveAssessment(tx, before, *assessment);
    for (const auto& action : record.actions) InsertAction(tx, action);
    RefreshStatus(tx, assessment->service_id, assessment->standard);
    audit_.Append(tx, actor, record.audit);
    return *assessment;
  });
}

}  // namespace coco::persistence
