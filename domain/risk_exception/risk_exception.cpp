#include "domain/risk_exception/risk_exception.hpp"

#include <array>
#include <utility>

#include "domain/common/names.hpp"

namespace coco::domain {
namespace {

constexpr std::array<std::pair<ExceptionState, std::string_view>, 3> kExceptionStates{{
    {ExceptionState::kActive, "active"},
    {ExceptionState::kExpired, "expired"},
    {ExceptionState::kRevoked, "revoked"},
}};

}  // namespace

std::optional<ExceptionState> TryParseExceptionState(std::string_view text) {
  return ValueIn<ExceptionState>(kExceptionStates, text);
}
std::string_view ToString(ExceptionState state) { return NameIn(kExceptionStates, state); }

bool AcceptsExceptions(AssessmentState state) {
  return state == AssessmentState::kSubmitted || state == AssessmentState::kInReview ||
         state == AssessmentState::kChangesRequested || state == AssessmentState::kApproved;
}

const RiskException* ActiveExceptionFor(const std::vector<RiskException>& exceptions,
                                        std::string_view requirement_id, Date day) {
  for (const auto& exception : exceptions) {
    if (exception.requirement_id == requirement_id && exception.ActiveOn(day)) return &exception;
  }
  return nullptr;
}

}  // namespace coco::domain
