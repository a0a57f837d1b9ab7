#include "domain/review/decision.hpp"

#include <algorithm>
#include <set>

#include "domain/common/error.hpp"

namespace coco::domain {

Date LatestValidUntil(Date today, int review_interval_months) {
  return today.AddMonthsClamped(review_interval_months);
}

bool NeedsCover(const Response& response) {
  return response.answer && NotFullyMet(response.level, *response.answer);
}

void CheckApproval(const Assessment& assessment, const std::vector<Condition>& conditions,
                   const std::vector<RiskException>& exceptions, Date today, Date valid_until,
                   Date latest_valid_until) {
  std::vector<ErrorDetail> unreviewed;
  for (const auto& response : assessment.responses) {
    if (!response.review) {
      unreviewed.push_back({"", "no_verdict", "every response needs a verdict before approval",
                            response.requirement_id});
    } else if (response.level == Level::kMust && response.review->verdict != Verdict::kAccepted) {
      unreviewed.push_back({"", "must_not_accepted",
                            "a MUST response is " +
                                std::string(ToString(response.review->verdict)) +
                                "; request changes or reject instead",
                            response.requirement_id});
    }
  }
  if (!unreviewed.empty()) {
    throw InvalidArgument("the review is not complete: " + std::to_string(unreviewed.size()) +
                              " response(s) stand in the way",
                          "review_incomplete")
        .WithDetails(std::move(unreviewed));
  }

  if (!(today < valid_until) || latest_valid_until < valid_until) {
    throw InvalidArgument("valid_until must be after today and no later than " +
                              latest_valid_until.ToString() + " (the standard's review interval)",
                          "invalid_valid_until")
        .WithDetail(
            {"valid_until", "out_of_range",
             "between " + today.AddDays(1).ToString() + " and " + latest_valid_until.ToString()});
  }

  std::vector<ErrorDetail> bad;
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const auto& condition = conditions[i];
    const std::string field = "conditions[" + std::to_string(i) + "]";
    if (assessment.FindResponse(condition.requirement_id) == nullptr) {
      bad.push_back({field + ".requirement_id", "unknown_requirement",
                     "this assessment has no response for that requirement"});
    }
    if (!(today < condition.due_date) || valid_until < condition.due_date) {
      bad.push_back({field + ".due_date", "out_of_range",
                     "a condition is due after today and no later than valid_until (" +
                         valid_until.ToString() + ")"});
    }
  }
  if (!bad.empty()) {
    throw InvalidArgument("a condition is invalid: " + bad.front().detail, "invalid_condition")
        .WithDetails(std::move(bad));
  }

  std::set<std::string> covered;
  for (const auto& condition : conditions) covered.insert(condition.requirement_id);
  for (const auto& exception : exceptions) {
    if (exception.ActiveOn(today)) covered.insert(exception.requirement_id);
  }
  std::vector<ErrorDetail> uncovered;
  for (const auto& response : assessment.responses) {
    if (NeedsCover(response) && !covered.contains(response.requirement_id)) {
      uncovered.push_back({"", "uncovered",
                           "a MUST answered " + std::string(ToString(*response.answer)) +
                               " needs a condition or an active exception",
                           response.requirement_id});
    }
  }
  if (!uncovered.empty()) {
    throw InvalidArgument(std::to_string(uncovered.size()) +
                              " MUST requirement(s) not fully met have neither a condition nor an "
                              "active exception",
                          "uncovered_requirements")
        .WithDetails(std::move(uncovered));
  }
}

}  // namespace coco::domain
