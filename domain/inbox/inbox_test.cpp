#include "domain/inbox/inbox.hpp"

#include <gtest/gtest.h>

#include <set>

namespace coco::domain {
namespace {

InboxItem Item(std::string id, std::optional<Date> due, std::optional<int> since_hours) {
  InboxItem item;
  item.entity_id = std::move(id);
  item.due_on = due;
  if (since_hours) {
    item.since = std::chrono::system_clock::time_point(std::chrono::hours(*since_hours));
  }
  return item;
}

std::vector<std::string> Ids(const InboxSection& section) {
  std::vector<std::string> ids;
  for (const auto& item : section.items) ids.push_back(item.entity_id);
  return ids;
}

// Soonest due first, undated after dated, then oldest first, then by id.
TEST(InboxTest, ASectionListsTheSoonestDueThenTheOldest) {
  const Date d = Date::Parse("2026-12-03");
  const auto section =
      MakeSection(InboxKind::kActionDue,
                  {Item("undated-new", std::nullopt, 20), Item("later", d.AddDays(5), 1),
                   Item("undated-old", std::nullopt, 2), Item("sooner", d.AddDays(1), 9),
                   Item("no-time", std::nullopt, {}), Item("sooner-older", d.AddDays(1), 3)});
  EXPECT_EQ(Ids(section), (std::vector<std::string>{"sooner-older", "sooner", "later",
                                                    "undated-old", "undated-new", "no-time"}));
  EXPECT_FALSE(section.more);
}

TEST(InboxTest, ASectionKeepsAtMostItsLimitAndSaysSo) {
  std::vector<InboxItem> items;
  for (int i = 0; i < kInboxSectionLimit + 1; ++i) items.push_back(Item("x", std::nullopt, i));
  const auto section = MakeSection(InboxKind::kReviewUnclaimed, items);
  EXPECT_EQ(section.items.size(), static_cast<std::size_t>(kInboxSectionLimit));
  EXPECT_TRUE(section.more);
  EXPECT_EQ(section.items.front().since, items.front().since) << "the oldest are kept";
}

TEST(InboxTest, EveryRoleHasSectionsAndEveryKindARole) {
  std::set<std::string> seen;
  for (const Role role :
       {Role::kAdmin, Role::kAssessor, Role::kRiskOwner, Role::kProcurement, Role::kSupplier}) {
    const auto kinds = InboxKindsOf(role);
    EXPECT_FALSE(kinds.empty()) << ToString(role);
    for (const auto kind : kinds) seen.emplace(ToString(kind));
  }
  EXPECT_EQ(seen.size(), InboxKindNames().size());
}

}  // namespace
}  // namespace coco::domain
