#pragma once

#include <string>
#include <vector>

#include "domain/assessment/assessment.hpp"
#include "domain/risk_exception/risk_exception.hpp"

// The pure rules of an approval (DESIGN.md §2, docs/review-side.md), with no I/O.
namespace coco::domain {

// One condition of an approval; each becomes a remediation action.
struct Condition {
  std::string requirement_id;
  std::string description;
  Date due_date;
};

// The latest `valid_until` an approval decided on `today` may carry: today plus the standard's
// review interval, a day past the end of the target month clamped to its last day.
Date LatestValidUntil(Date today, int review_interval_months);

// A MUST answered partially_met or not_met: it needs a condition or an exception to be approved.
bool NeedsCover(const Response& response);

// Throws the first reason `assessment` cannot be approved on `today` with `conditions` and
// `valid_until`, given its `exceptions`:
//   422 "review_incomplete"      a response without a verdict, or a MUST rejected or queried;
//   422 "invalid_valid_until"    valid_until not after today, or past LatestValidUntil;
//   422 "invalid_condition"      a condition naming no response of the assessment, or due
//                                 not after today or after valid_until;
//   422 "uncovered_requirements" a MUST needing cover with no condition and no exception
//                                 active today.
// Each error lists every offending item in its details.
void CheckApproval(const Assessment& assessment, const std::vector<Condition>& conditions,
                   const std::vector<RiskException>& exceptions, Date today, Date valid_until,
                   Date latest_valid_until);

}  // namespace coco::domain
