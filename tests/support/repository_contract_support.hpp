#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/assessment/assessment.hpp"
#include "domain/audit/audit.hpp"
#include "domain/common/error.hpp"
#include "domain/common/paging.hpp"
#include "tests/support/fakes.hpp"

// What the repository contract suites share: the actor they write as, fixed moments, seeded
// assessments and a way to catch the domain error a call throws.
namespace coco::test {

// The admin every contract write is attributed to; pg harnesses seed it as a user, since rows
// name it as their author.
inline domain::UserId ContractAdminId() { return domain::UserId::Parse(NthUuid(900)); }

inline domain::Actor ContractAdmin() {
  return domain::Actor{domain::Principal{ContractAdminId(),
                                         "contract admin",
                                         domain::Role::kAdmin,
                                         std::nullopt,
                                         {},
                                         domain::TokenId::Parse(NthUuid(901)),
                                         {}},
                       "contract-request"};
}

// `seconds` after a fixed moment: whole seconds, so the microsecond precision of PostgreSQL
// keeps them exactly.
inline std::chrono::system_clock::time_point ContractMoment(int seconds) {
  return std::chrono::sys_days(std::chrono::year(2026) / 11 / 1) + std::chrono::seconds(seconds);
}

inline domain::AuditEntry ContractEntry(const std::string& action, const std::string& entity,
                                        const std::string& id,
                                        std::optional<domain::SupplierId> supplier) {
  return domain::AuditEntry{action, entity, id, std::move(supplier), {}};
}

// A draft COCO assessment of `service` with one MUST response per requirement id: exceptions,
// actions and comments belong to one (their rows reference its responses).
inline domain::Assessment ContractAssessment(int n, const domain::SupplierId& supplier,
                                             const domain::ServiceId& service,
                                             const std::vector<std::string>& requirements = {
                                                 "COCO-01", "COCO-02"}) {
  domain::Assessment assessment{domain::AssessmentId::Parse(NthUuid(n)),
                                service,
                                supplier,
                                domain::StandardKey::kCoco,
                                "1.0",
                                domain::AssessmentState::kDraft,
                                std::string(64, 'a'),
                                ContractAdminId(),
                                ContractMoment(0),
                                std::nullopt,
                                1,
                                {}};
  int position = 0;
  for (const auto& requirement : requirements) {
    domain::Response response;
    response.requirement_id = requirement;
    response.position = ++position;
    response.updated_at = ContractMoment(0);
    assessment.responses.push_back(response);
  }
  return assessment;
}

// The domain error `call` throws; fails the test (and returns nullopt) when it returns.
template <typename Call>
std::optional<domain::Error> ErrorOf(Call&& call) {
  try {
    call();
  } catch (const domain::Error& error) {
    return error;
  }
  ADD_FAILURE() << "no domain error was thrown";
  return std::nullopt;
}

// The kind of that error, for one-line expectations.
template <typename Call>
std::optional<domain::ErrorKind> ErrorKindOf(Call&& call) {
  const auto error = ErrorOf(std::forward<Call>(call));
  if (!error) return std::nullopt;
  return error->kind();
}

// The code of that error, for one-line expectations.
template <typename Call>
std::optional<std::string> CodeOf(Call&& call) {
  const auto error = ErrorOf(std::forward<Call>(call));
  if (!error) return std::nullopt;
  return error->code();
}

// Expects `call` to throw a domain error of `kind` (and `code`, when given), calling it once.
template <typename Call>
void ExpectError(Call&& call, domain::ErrorKind kind, const std::string& code = "") {
  const auto error = ErrorOf(std::forward<Call>(call));
  if (!error) return;
  EXPECT_EQ(error->kind(), kind) << error->message();
  if (!code.empty()) {
    EXPECT_EQ(error->code(), code) << error->message();
  }
}

// One projection of each item of a page (its text, its id), in page order.
template <typename T, typename Get>
std::vector<std::string> Each(const domain::PageResult<T>& page, Get get) {
  std::vector<std::string> values;
  for (const auto& item : page.items) values.push_back(get(item));
  return values;
}

}  // namespace coco::test
