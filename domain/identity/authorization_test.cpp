#include "domain/identity/authorization.hpp"

#include <gtest/gtest.h>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

const SupplierId kOwn = SupplierId::Parse("00000000-0000-4000-8000-00000000000a");
const SupplierId kOther = SupplierId::Parse("00000000-0000-4000-8000-00000000000b");

Principal Make(Role role, std::optional<SupplierId> supplier = std::nullopt,
               std::vector<SupplierId> conflicts = {}) {
  return Principal{UserId::Parse("00000000-0000-4000-8000-000000000001"),
                   "someone",
                   role,
                   supplier,
                   std::move(conflicts),
                   TokenId::Parse("00000000-0000-4000-8000-000000000002"),
                   {}};
}

enum class Outcome { kAllow, kForbidden, kHidden, kConflict };

Outcome Ask(const Principal& principal, Permission action, std::optional<SupplierId> resource) {
  try {
    Authorize(principal, action, resource);
    EXPECT_TRUE(IsAllowed(principal, action, resource));
    return Outcome::kAllow;
  } catch (const Error& error) {
    EXPECT_FALSE(IsAllowed(principal, action, resource));
    if (error.kind() == ErrorKind::kNotFound) return Outcome::kHidden;
    EXPECT_EQ(error.kind(), ErrorKind::kPermissionDenied);
    return error.code() == "conflict_of_interest" ? Outcome::kConflict : Outcome::kForbidden;
  }
}

// One row per action of DESIGN.md §4, in the table's own words: Y yes, N no (403),
// H hidden (404). Columns: supplier own, supplier other's, assessor, risk owner, procurement,
// admin. Written from the design, not from the code.
struct PermissionRow {
  Permission action;
  const char* expected;  // six letters
};

constexpr PermissionRow kPermissionTable[] = {
    {Permission::kReadSupplier, "YHYYYY"},
    {Permission::kEditService, "YHNNNY"},
    {Permission::kRecordTrigger, "YHYNNY"},
    {Permission::kAdminister, "NHNNNY"},
    {Permission::kWriteAssessment, "YHNNNN"},
    {Permission::kReadAssessment, "YHYYNY"},
    {Permission::kReadEvidenceBytes, "YHYYNY"},
    {Permission::kReview, "NHYNNN"},
    {Permission::kCompleteAction, "YHNNNN"},
    {Permission::kManageExceptions, "NHNYNN"},
    {Permission::kReadComments, "YHYYNY"},
    {Permission::kWriteComment, "YHYYNY"},  // "comments" row: procurement has none
    {Permission::kReadStatus, "YHYYYY"},
    {Permission::kReadAudit, "YHYYNY"},
    {Permission::kVerifyAudit, "NHNNNY"},
    {Permission::kReadMetrics, "NHNNNY"},
    {Permission::kReadReviewQueue, "NHYNNY"},  // issue 5: "(assessor, admin)"
};

Outcome Expected(char letter) {
  switch (letter) {
    case 'Y':
      return Outcome::kAllow;
    case 'H':
      return Outcome::kHidden;
    default:
      return Outcome::kForbidden;
  }
}

TEST(AuthorizationTest, FollowsThePermissionTableOfTheDesign) {
  for (const auto& row : kPermissionTable) {
    const std::string expected = row.expected;
    SCOPED_TRACE(std::string(ToString(row.action)));
    EXPECT_EQ(Ask(Make(Role::kSupplier, kOwn), row.action, kOwn), Expected(expected[0]));
    EXPECT_EQ(Ask(Make(Role::kSupplier, kOwn), row.action, kOther), Expected(expected[1]));
    EXPECT_EQ(Ask(Make(Role::kAssessor), row.action, kOther), Expected(expected[2]));
    EXPECT_EQ(Ask(Make(Role::kRiskOwner), row.action, kOther), Expected(expected[3]));
    EXPECT_EQ(Ask(Make(Role::kProcurement), row.action, kOther), Expected(expected[4]));
    EXPECT_EQ(Ask(Make(Role::kAdmin), row.action, kOther), Expected(expected[5]));
  }
}

TEST(AuthorizationTest, DeclaredConflictsBlockReviewAndExceptionsOnlyForThatSupplier) {
  const auto assessor = Make(Role::kAssessor, std::nullopt, {kOther});
  EXPECT_EQ(Ask(assessor, Permission::kReview, kOther), Outcome::kConflict);
  EXPECT_EQ(Ask(assessor, Permission::kReview, kOwn), Outcome::kAllow);
  EXPECT_EQ(Ask(assessor, Permission::kReadAssessment, kOther), Outcome::kAllow);

  const auto risk_owner = Make(Role::kRiskOwner, std::nullopt, {kOther});
  EXPECT_EQ(Ask(risk_owner, Permission::kManageExceptions, kOther), Outcome::kConflict);
  EXPECT_EQ(Ask(risk_owner, Permission::kManageExceptions, kOwn), Outcome::kAllow);
}

TEST(AuthorizationTest, ASupplierUserWithoutASupplierSeesNoSupplierObject) {
  EXPECT_EQ(Ask(Make(Role::kSupplier), Permission::kReadSupplier, kOwn), Outcome::kHidden);
}

TEST(AuthorizationTest, CollectionLevelActionsFollowTheRoleColumn) {
  EXPECT_EQ(Ask(Make(Role::kAdmin), Permission::kReadMetrics, std::nullopt), Outcome::kAllow);
  EXPECT_EQ(Ask(Make(Role::kSupplier, kOwn), Permission::kReadMetrics, std::nullopt),
            Outcome::kForbidden);
  EXPECT_EQ(Ask(Make(Role::kProcurement), Permission::kReadMetrics, std::nullopt),
            Outcome::kForbidden);
}

}  // namespace
}  // namespace coco::domain
