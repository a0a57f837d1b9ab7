#include "persistence/pg_assessment_repository.hpp"

#include <map>

#include "domain/common/error.hpp"
#include "domain/supplier/supplier_service.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

constexpr const char* kColumns =
    "id, service_id, supplier_id, standard_key, standard_version, state, profile_hash, created_by,"
    " (extract(epoch FROM created_at) * 1000000)::bigint,"
    " (extract(epoch FROM submitted_at) * 1000000)::bigint, version, claimed_by,"
    " previous_assessor";

constexpr const char* kResponseColumns =
    "requirement_id, level, position, answer, justification, remediation_plan,"
    " remediation_due::text, version, (extract(epoch FROM updated_at) * 1000000)::bigint";

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
  if (!row[12].is_null()) {
    assessment.previous_assessor = domain::UserId::Parse(row[12].as<std::string>());
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
    response.remediation =
        domain::Remediation{row[5].as<std::string>(), domain::Date::Parse(row[6].as<std::string>())};
  }
  response.version = row[7].as<long long>();
  response.updated_at = FromEpochMicros(row[8].as<long long>());
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
}

std::optional<domain::Assessment> Load(pqxx::work& tx, const domain::AssessmentId& id, bool lock) {
  const auto rows = tx.exec_prepared(lock ? "assessment_find_for_update" : "assessment_find", id.str());
  if (rows.empty()) return std::nullopt;
  domain::Assessment assessment = AssessmentFromRow(rows[0]);
  LoadResponses(tx, assessment);
  return assessment;
}

}  // namespace

void PgAssessmentRepository::Prepare(pqxx::connection& connection) {
  auto at = [](int n) {
    return "'epoch'::timestamptz + $" + std::to_string(n) + "::bigint * interval '1 microsecond'";
  };
  connection.prepare("assessment_service_profile",
                     "SELECT profile_hash FROM services WHERE id = $1 FOR SHARE");
  connection.prepare("assessment_insert",
                     "INSERT INTO assessments (id, service_id, supplier_id, standard_key,"
                     " standard_version, state, profile_hash, created_by, created_at)"
                     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, " + at(9) + ")");
  connection.prepare("response_insert",
                     "INSERT INTO responses (assessment_id, requirement_id, position, level,"
                     " updated_at) VALUES ($1, $2, $3, $4, " + at(5) + ")");
  connection.prepare("assessment_find",
                     std::string("SELECT ") + kColumns + " FROM assessments WHERE id = $1");
  connection.prepare("assessment_find_for_update",
                     std::string("SELECT ") + kColumns + " FROM assessments WHERE id = $1 FOR UPDATE");
  connection.prepare("assessment_responses", std::string("SELECT ") + kResponseColumns +
                                                 " FROM responses WHERE assessment_id = $1"
                                                 " ORDER BY position");
  connection.prepare("assessment_response_evidence",
                     "SELECT requirement_id, evidence_id FROM response_evidence"
                     " WHERE assessment_id = $1 ORDER BY requirement_id, position");
  connection.prepare(
      "assessment_list",
      std::string("SELECT ") + kColumns +
          " FROM assessments WHERE ($1::uuid IS NULL OR supplier_id = $1::uuid)"
          " AND ($2::uuid IS NULL OR service_id = $2::uuid)"
          " AND ($3::text IS NULL OR standard_key = $3) AND ($4::text IS NULL OR state = $4)"
          " AND ($5::bigint IS NULL OR (created_at, id) > (" + at(5) + ", $6::uuid))"
          " ORDER BY created_at, id LIMIT $7");
  connection.prepare(
      "assessment_queue",
      "SELECT a.id, a.service_id, a.supplier_id, a.standard_key, a.standard_version, a.state,"
      " a.profile_hash, a.created_by, (extract(epoch FROM a.created_at) * 1000000)::bigint,"
      " (extract(epoch FROM a.submitted_at) * 1000000)::bigint, a.version, a.claimed_by,"
      " a.previous_assessor,"
      " count(r.*) FILTER (WHERE r.level = 'MUST' AND r.answer IS NOT NULL),"
      " count(r.*) FILTER (WHERE r.level = 'MUST' AND r.answer = 'not_met')"
      " FROM assessments a LEFT JOIN responses r ON r.assessment_id = a.id"
      " WHERE a.state IN ('submitted', 'in_review') AND ($1::text IS NULL OR a.state = $1)"
      " AND ($2::uuid IS NULL OR a.supplier_id = $2::uuid)"
      " AND ($3::text IS NULL OR a.standard_key = $3)"
      " AND ($4::bigint IS NULL OR (a.submitted_at, a.id) > (" + at(4) + ", $5::uuid))"
      " GROUP BY a.id ORDER BY a.submitted_at, a.id LIMIT $6");
  connection.prepare("response_update",
                     "UPDATE responses SET answer = $3, justification = $4, remediation_plan = $5,"
                     " remediation_due = $6::date, updated_at = " + at(7) + ","
                     " version = version + 1"
                     " WHERE assessment_id = $1 AND requirement_id = $2 RETURNING version");
  connection.prepare("assessment_touch",
                     "UPDATE assessments SET version = version + 1 WHERE id = $1");
  connection.prepare("response_evidence_clear",
                     "DELETE FROM response_evidence WHERE assessment_id = $1 AND requirement_id = $2");
  connection.prepare("response_evidence_add",
                     "INSERT INTO response_evidence (assessment_id, requirement_id, evidence_id,"
                     " position) VALUES ($1, $2, $3, $4)");
  connection.prepare("assessment_update",
                     "UPDATE assessments SET state = $2, submitted_at = " + at(3) + ","
                     " claimed_by = $4::uuid, previous_assessor = $5::uuid,"
                     " claimed_at = CASE WHEN $4::uuid IS NULL THEN NULL"
                     "   WHEN claimed_by IS NOT DISTINCT FROM $4::uuid THEN claimed_at ELSE now() END,"
                     " version = version + 1 WHERE id = $1 RETURNING version");
}

void PgAssessmentRepository::Create(const domain::Assessment& assessment, const domain::Actor& actor,
                                    const domain::AuditEntry& audit) {
  try {
    WithTransaction(pool_, [&](pqxx::work& tx) {
      // The scope was computed from the service as read before this transaction: if its
      // profile changed since, the re-scoping of that change never saw this draft.
      const auto profile = tx.exec_prepared("assessment_service_profile",
                                            assessment.service_id.str());
      if (profile.empty() || profile[0][0].as<std::string>() != assessment.profile_hash) {
        throw domain::Conflict("the service's profile changed while the assessment was being "
                               "started; start it again",
                               "concurrent_update");
      }
      tx.exec_prepared("assessment_insert", assessment.id.str(), assessment.service_id.str(),
                       assessment.supplier_id.str(),
                       std::string(domain::ToString(assessment.standard)),
                       assessment.standard_version,
                       std::string(domain::ToString(assessment.state)), assessment.profile_hash,
                       assessment.created_by.str(), ToEpochMicros(assessment.created_at));
      for (const auto& response : assessment.responses) {
        tx.exec_prepared("response_insert", assessment.id.str(), response.requirement_id,
                         response.position, std::string(domain::ToString(response.level)),
                         ToEpochMicros(response.updated_at));
      }
      audit_.Append(tx, actor, audit);
    });
  } catch (const domain::Error& error) {
    if (error.kind() != domain::ErrorKind::kAlreadyExists) throw;
    throw domain::Conflict("this service already has an open " +
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
    return KeysetPage<domain::Assessment>(rows, page.limit, AssessmentFromRow,
                                          [](const domain::Assessment& last) {
                                            return domain::PagePosition{
                                                ToEpochMicros(last.created_at), last.id.str()};
                                          });
  });
}

domain::PageResult<domain::QueueItem> PgAssessmentRepository::ReviewQueue(
    const domain::QueueFilter& filter, const domain::PageRequest& page) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    std::optional<std::string> state, supplier, standard;
    if (filter.state) state = std::string(domain::ToString(*filter.state));
    if (filter.supplier) supplier = filter.supplier->str();
    if (filter.standard) standard = std::string(domain::ToString(*filter.standard));
    const auto after = AfterOf(page);
    const auto rows = tx.exec_prepared("assessment_queue", state, supplier, standard, after.micros,
                                       after.id, page.limit + 1);
    return KeysetPage<domain::QueueItem>(
        rows, page.limit,
        [](const pqxx::row& row) {
          return domain::QueueItem{AssessmentFromRow(row), row[13].as<int>(), row[14].as<int>()};
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
    const std::function<domain::AuditEntry(const domain::Assessment&, domain::Response&)>& change) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    auto assessment = Load(tx, id, true);
    if (!assessment) throw domain::NotFound("no such assessment");
    domain::Response* response = assessment->FindResponse(requirement_id);
    if (response == nullptr) throw domain::NotFound("no such response", "response_not_found");
    if (expected_response_version && *expected_response_version != response->version) {
      throw domain::StaleVersion(response->version);
    }
    const domain::AuditEntry audit = change(*assessment, *response);
    std::optional<std::string> answer, plan, due;
    if (response->answer) answer = std::string(domain::ToString(*response->answer));
    if (response->remediation) {
      plan = response->remediation->plan;
      due = response->remediation->due_date.ToString();
    }
    response->version = tx.exec_prepared("response_update", id.str(), requirement_id, answer,
                                         response->justification, plan, due,
                                         ToEpochMicros(response->updated_at))[0][0]
                            .as<long long>();
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
    const domain::Actor& actor, const std::function<domain::AuditEntry(domain::Assessment&)>& change) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    auto assessment = Load(tx, id, true);
    if (!assessment) throw domain::NotFound("no such assessment");
    if (expected_version && *expected_version != assessment->version) {
      throw domain::StaleVersion(assessment->version);
    }
    const domain::AuditEntry audit = change(*assessment);
    std::optional<long long> submitted;
    if (assessment->submitted_at) submitted = ToEpochMicros(*assessment->submitted_at);
    std::optional<std::string> claimed, previous;
    if (assessment->claimed_by) claimed = assessment->claimed_by->str();
    if (assessment->previous_assessor) previous = assessment->previous_assessor->str();
    assessment->version =
        tx.exec_prepared("assessment_update", id.str(),
                         std::string(domain::ToString(assessment->state)), submitted, claimed,
                         previous)[0][0]
            .as<long long>();
    audit_.Append(tx, actor, audit);
    return *assessment;
  });
}

}  // namespace coco::persistence
