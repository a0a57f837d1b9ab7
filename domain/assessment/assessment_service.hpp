#pragma once

#include "domain/assessment/assessment_repository.hpp"
#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/evidence/evidence_repository.hpp"
#include "domain/identity/authorization.hpp"
#include "domain/service/service_repository.hpp"
#include "domain/standard/catalogue.hpp"

namespace coco::domain {

// The assessment if `actor` may do `action` on it; 404 for a missing one and for another
// supplier's, 403 (or conflict_of_interest) for a role that may not.
Assessment VisibleAssessment(AssessmentRepository& assessments, const Actor& actor,
                             const AssessmentId& id,
                             Permission action = Permission::kReadAssessment);

struct ResponseUpdate {
  Answer answer;
  std::string justification;
  std::vector<EvidenceId> evidence_ids;
  std::optional<Remediation> remediation;
};

// The supplier side of assessments (DESIGN.md §2, §4): the owning supplier starts, answers,
// submits and withdraws; assessors, risk owners and admins read; procurement does not.
class AssessmentService {
 public:
  AssessmentService(AssessmentRepository& assessments, ServiceRepository& services,
                    EvidenceRepository& evidence, Catalogue& catalogue, IdGenerator& ids,
                    const Clock& clock)
      : assessments_(assessments),
        services_(services),
        evidence_(evidence),
        catalogue_(catalogue),
        ids_(ids),
        clock_(clock) {}

  // A draft pinned to the latest version of `standard`, holding one empty response per
  // requirement that applies to the service's profile. 422 "standard_not_applicable" if the
  // standard does not apply; 409 "assessment_open" if one is already open.
  Assessment Start(const Actor& actor, const ServiceId& service,
                   const Parsed<StandardKey>& standard);
  Assessment Get(const Actor& actor, const AssessmentId& id);
  PageResult<Assessment> List(const Actor& actor, AssessmentFilter filter, const PageRequest& page);
  Response Answer(const Actor& actor, const AssessmentId& id, const std::string& requirement_id,
                  const Parsed<ResponseUpdate>& update,
                  std::optional<long long> expected_response_version);
  // 422 "assessment_incomplete" listing every problem, changing nothing.
  Assessment Submit(const Actor& actor, const AssessmentId& id,
                    std::optional<long long> expected_version);
  Assessment Withdraw(const Actor& actor, const AssessmentId& id,
                      std::optional<long long> expected_version);

  // --- review side ---
  PageResult<QueueItem> ReviewQueue(const Actor& actor, const QueueFilter& filter,
                                    const PageRequest& page);
  // submitted -> in_review, recording the assessor. Of two assessors claiming at once exactly
  // one wins; the other gets 409 "already_claimed" naming the winner. An assessor with a
  // declared conflict of interest gets 403 "conflict_of_interest".
  Assessment Claim(const Actor& actor, const AssessmentId& id,
                   std::optional<long long> expected_version);
  // in_review -> submitted; only by the assessor who claimed it (403 "not_claimant").
  Assessment Release(const Actor& actor, const AssessmentId& id,
                     std::optional<long long> expected_version);

 private:
  AssessmentRepository& assessments_;
  ServiceRepository& services_;
  EvidenceRepository& evidence_;
  Catalogue& catalogue_;
  IdGenerator& ids_;
  const Clock& clock_;
};

}  // namespace coco::domain
