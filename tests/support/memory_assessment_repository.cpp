#include "tests/support/memory_assessment_repository.hpp"

#include "domain/common/error.hpp"
#include "tests/support/memory_paging.hpp"

namespace coco::test {
namespace {

bool SameReviewState(const domain::Response& a, const domain::Response& b) {
  const bool same_review = a.review.has_value() == b.review.has_value() &&
                           (!a.review || (a.review->verdict == b.review->verdict &&
                                          a.review->comment == b.review->comment &&
                                          a.review->reviewed_by == b.review->reviewed_by &&
                                          a.review->reviewed_at == b.review->reviewed_at));
  return same_review && a.open_for_changes == b.open_for_changes && a.reopened == b.reopened;
}

// What a save of `after` over `before` stores: the responses whose review state changed move
// their versions, and so does the assessment. The table's check constraints hold too: in review
// exactly when claimed, decided exactly when approved, rejected or superseded, valid_until
// exactly when approved or superseded.
void Save(const domain::Assessment& before, domain::Assessment& after) {
  using State = domain::AssessmentState;
  const bool decided = after.state == State::kApproved || after.state == State::kRejected ||
                       after.state == State::kSuperseded;
  const bool dated = after.state == State::kApproved || after.state == State::kSuperseded;
  if ((after.state == State::kInReview) != after.claimed_by.has_value() ||
      decided != after.decided_at.has_value() || dated != after.valid_until.has_value()) {
    throw domain::Internal("database error: a check constraint of assessments was violated");
  }
  for (std::size_t i = 0; i < after.responses.size(); ++i) {
    if (!SameReviewState(before.responses[i], after.responses[i])) ++after.responses[i].version;
  }
  ++after.version;
}

domain::Assessment WithoutResponses(domain::Assessment assessment) {
  assessment.responses.clear();
  return assessment;
}

}  // namespace

domain::Assessment& InMemoryAssessmentRepository::Locked(
    const domain::AssessmentId& id, std::optional<long long> expected_version) {
  ++reads_;
  const auto found = database_.assessments.find(id.str());
  if (found == database_.assessments.end()) throw domain::NotFound("no such assessment");
  if (expected_version && *expected_version != found->second.version) {
    throw domain::StaleVersion(found->second.version);
  }
  return found->second;
}

void InMemoryAssessmentRepository::Create(const domain::Assessment& assessment,
                                          const domain::Actor&, const domain::AuditEntry& audit) {
  std::lock_guard lock(database_.mutex);
  const auto service = database_.services.find(assessment.service_id.str());
  if (service == database_.services.end() ||
      service->second.profile_hash != assessment.profile_hash) {
    throw domain::Conflict(
        "the service's profile changed while the assessment was being started; start it again",
        "concurrent_update");
  }
  for (const auto& [id, other] : database_.assessments) {
    if (other.service_id == assessment.service_id && other.standard == assessment.standard &&
        domain::IsOpen(other.state)) {
      throw domain::AlreadyExists("this service already has an open " +
                                      std::string(domain::ToString(assessment.standard)) +
                                      " assessment; finish or withdraw it first",
                                  "assessment_open");
    }
  }
  database_.assessments.emplace(assessment.id.str(), assessment);
  database_.audit.push_back(audit);
}

std::optional<domain::Assessment> InMemoryAssessmentRepository::Find(
    const domain::AssessmentId& id) {
  std::lock_guard lock(database_.mutex);
  ++reads_;
  const auto found = database_.assessments.find(id.str());
  if (found == database_.assessments.end()) return std::nullopt;
  return found->second;
}

domain::PageResult<domain::Assessment> InMemoryAssessmentRepository::List(
    const domain::AssessmentFilter& filter, const domain::PageRequest& page) {
  std::lock_guard lock(database_.mutex);
  std::vector<domain::Assessment> matching;
  for (const auto& [id, assessment] : database_.assessments) {
    if (filter.supplier && assessment.supplier_id != *filter.supplier) continue;
    if (filter.service && assessment.service_id != *filter.service) continue;
    if (filter.standard && assessment.standard != *filter.standard) continue;
    if (filter.state && assessment.state != *filter.state) continue;
    matching.push_back(WithoutResponses(assessment));
  }
  return KeysetPageOf(std::move(matching), page,
                      [](const domain::Assessment& assessment) { return assessment.created_at; });
}

domain::PageResult<domain::QueueItem> InMemoryAssessmentRepository::ReviewQueue(
    const domain::QueueFilter& filter, const domain::PageRequest& page) {
  std::lock_guard lock(database_.mutex);
  std::vector<domain::QueueItem> queue;
  for (const auto& [id, assessment] : database_.assessments) {
    if (assessment.state != domain::AssessmentState::kSubmitted &&
        assessment.state != domain::AssessmentState::kInReview) {
      continue;
    }
    if (filter.state && assessment.state != *filter.state) continue;
    if (filter.supplier && assessment.supplier_id != *filter.supplier) continue;
    if (filter.standard && assessment.standard != *filter.standard) continue;
    if (filter.claimed_by && assessment.claimed_by != *filter.claimed_by) continue;
    domain::QueueItem item{WithoutResponses(assessment)};
    for (const auto& response : assessment.responses) {
      if (response.level != domain::Level::kMust || !response.answer) continue;
      ++item.must_answered;
      if (*response.answer == domain::Answer::kNotMet) ++item.must_not_met;
    }
    queue.push_back(std::move(item));
  }
  return KeysetPageBy(std::move(queue), page, [](const domain::QueueItem& item) {
    return std::pair<long long, std::string>(EpochMicros(*item.assessment.submitted_at),
                                             item.assessment.id.str());
  });
}

domain::Response InMemoryAssessmentRepository::UpdateResponse(
    const domain::AssessmentId& id, const std::string& requirement_id,
    std::optional<long long> expected_response_version, const domain::Actor&,
    const domain::ResponseWrite& write) {
  std::lock_guard lock(database_.mutex);
  domain::Assessment& stored = Locked(id, std::nullopt);
  write.admit(stored, database_.find_evidence);
  domain::Assessment assessment = stored;
  domain::Response* response = assessment.FindResponse(requirement_id);
  if (response == nullptr) throw domain::NotFound("no such response", "response_not_found");
  if (expected_response_version && *expected_response_version != response->version) {
    throw domain::StaleVersion(response->version);
  }
  const domain::AuditEntry audit = write.change(assessment, *response);
  ++response->version;
  ++assessment.version;  // a changed answer changes the assessment's ETag
  stored = assessment;
  database_.audit.push_back(audit);
  return *response;
}

domain::Assessment InMemoryAssessmentRepository::Transition(
    const domain::AssessmentId& id, std::optional<long long> expected_version, const domain::Actor&,
    const std::function<domain::AuditEntry(domain::Assessment&)>& change) {
  std::lock_guard lock(database_.mutex);
  domain::Assessment& stored = Locked(id, expected_version);
  domain::Assessment assessment = stored;
  const domain::AuditEntry audit = change(assessment);
  Save(stored, assessment);
  stored = assessment;
  database_.audit.push_back(audit);
  return assessment;
}

domain::Assessment InMemoryAssessmentRepository::Approve(
    const domain::AssessmentId& id, std::optional<long long> expected_version, const domain::Actor&,
    const std::function<domain::ApprovalRecord(domain::Assessment&, const domain::ApprovalFacts&)>&
        decide) {
  std::lock_guard lock(database_.mutex);
  domain::Assessment& stored = Locked(id, expected_version);
  domain::ApprovalFacts facts;
  if (const auto service = database_.services.find(stored.service_id.str());
      service != database_.services.end()) {
    facts.current_profile_hash = service->second.profile_hash;
  }
  facts.exceptions = database_.exceptions_of(id);
  domain::Assessment* previous = nullptr;
  for (auto& [other_id, other] : database_.assessments) {
    if (other.service_id == stored.service_id && other.standard == stored.standard &&
        other.state == domain::AssessmentState::kApproved && other.id != id) {
      previous = &other;
      facts.previous_approval = other.id;
    }
  }
  domain::Assessment assessment = stored;
  const domain::ApprovalRecord record = decide(assessment, facts);
  if (previous != nullptr) {
    previous->state = domain::AssessmentState::kSuperseded;
    ++previous->version;
  }
  Save(stored, assessment);
  stored = assessment;
  for (const auto& action : record.actions) database_.actions.push_back(action);
  database_.audit.push_back(record.audit);
  return assessment;
}

}  // namespace coco::test
