// GET /exceptions: risk exceptions across suppliers, soonest to expire first, for a risk owner's
// "expiring soon" page. Staff see every supplier's, a supplier user its own, procurement none;
// `state`, `expiring_before` and `supplier` filter; pages follow the cursor.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/dates.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

// One exception the suite made: its id, supplier, expiry date and state as of today.
struct Made {
  std::string id;
  std::string supplier;
  std::string expires_on;
  std::string state;
};

class ExceptionsListHttpTest : public ::testing::Test {
 protected:
  // Supplier A: active ones expiring in 10 (two), 20 days; one revoked; one expired. Supplier B:
  // one active expiring in 15 days and one expired. The expired ones are moved into the past
  // behind the server's back (a new exception expires after today).
  static void SetUpTestSuite() {
    world_ = new World();
    made_ = new std::vector<Made>();
    conflicted_token_ = new std::string(
        world_->NewHttpUser("conflicted_risk_owner", "risk_owner", {world_->supplier_a()}).token);

    auto client = world_->Client();
    Story a = Story(*world_, *client).Supplier("supplier_a").Service().Assessment("SUPPLIER");
    Story b = Story(*world_, *client).Supplier("supplier_b").Service().Assessment("SUPPLIER");
    const auto a_musts = a.Requirements("MUST");
    const auto b_musts = b.Requirements("MUST");
    ASSERT_GE(a_musts.size(), 5u);
    ASSERT_GE(b_musts.size(), 2u);
    std::map<std::string, nlohmann::json> a_answers, b_answers;
    for (int i = 0; i < 5; ++i) a_answers[a_musts[i]] = NotMet();
    for (int i = 0; i < 2; ++i) b_answers[b_musts[i]] = NotMet();
    a.AnswerAll(a_answers).Submit();
    b.AnswerAll(b_answers).Submit();

    const auto& db = world_->server().database();
    auto add = [&](Story& story, const std::string& requirement, int days,
                   const std::string& state) {
      story.Exception(requirement, Day(days));
      Made made{story.last().at("id"), story.supplier_id(), Day(days), state};
      if (state == "expired") {
        made.expires_on = Day(-days);
        db.Exec("UPDATE risk_exceptions SET expires_on = '" + made.expires_on + "' WHERE id = '" +
                made.id + "'");
      }
      if (state == "revoked") {
        const auto revoked = world_->Client()->Send("POST", "/exceptions/" + made.id + "/revoke",
                                                    world_->As("risk_owner"));
        ASSERT_EQ(revoked.status, 200) << revoked.body;
      }
      made_->push_back(made);
    };
    add(a, a_musts[0], 10, "active");
    add(a, a_musts[1], 20, "active");
    add(a, a_musts[2], 12, "revoked");
    add(a, a_musts[3], 5, "expired");
    add(a, a_musts[4], 10, "active");
    add(b, b_musts[0], 15, "active");
    add(b, b_musts[1], 10, "expired");
    // The order the list promises: by expiry date, then id.
    std::sort(made_->begin(), made_->end(), [](const Made& x, const Made& y) {
      return std::pair(x.expires_on, x.id) < std::pair(y.expires_on, y.id);
    });
  }
  static void TearDownTestSuite() {
    delete conflicted_token_;
    delete made_;
    delete world_;
    world_ = nullptr;
  }

  static HttpResponse Get(const std::string& target, const std::string& persona) {
    return world_->Client()->Send("GET", target, world_->As(persona));
  }
  static HttpResponse GetWithToken(const std::string& target, const std::string& token) {
    return world_->Client()->Send("GET", target, {{"Authorization", "Bearer " + token}});
  }
  static std::vector<std::string> Ids(const HttpResponse& response) {
    // Parsed into a local first: a range-for over a member of a temporary reads freed memory.
    const auto page = nlohmann::json::parse(response.body);
    std::vector<std::string> ids;
    for (const auto& item : page.at("items")) ids.push_back(item.at("id"));
    return ids;
  }
  // The ids the suite made that `keep` accepts, in the list's order.
  template <typename Keep>
  static std::vector<std::string> Expected(Keep keep) {
    std::vector<std::string> ids;
    for (const auto& made : *made_) {
      if (keep(made)) ids.push_back(made.id);
    }
    return ids;
  }
  static std::vector<std::string> All() {
    return Expected([](const Made&) { return true; });
  }
  static std::vector<std::string> InState(const std::string& state) {
    return Expected([&state](const Made& made) { return made.state == state; });
  }
  static std::vector<std::string> Of(const std::string& supplier) {
    return Expected([&supplier](const Made& made) { return made.supplier == supplier; });
  }

  // Every id of the list at `target`, following next_cursor with pages of `limit`; checks that
  // each page but the last is full.
  static std::vector<std::string> AllPages(const std::string& target, const std::string& persona,
                                           int limit) {
    std::vector<std::string> ids;
    std::string cursor;
    const std::string joiner = target.find('?') == std::string::npos ? "?" : "&";
    for (int page = 0; page < 50; ++page) {
      const auto response = Get(target + joiner + "limit=" + std::to_string(limit) +
                                    (cursor.empty() ? "" : "&cursor=" + cursor),
                                persona);
      EXPECT_EQ(response.status, 200) << response.body;
      if (response.status != 200) return ids;
      const auto body = nlohmann::json::parse(response.body);
      for (const auto& item : body.at("items")) ids.push_back(item.at("id"));
      if (body.at("next_cursor").is_null()) return ids;
      EXPECT_EQ(body.at("items").size(), static_cast<std::size_t>(limit)) << target;
      cursor = body.at("next_cursor");
    }
    ADD_FAILURE() << "too many pages of " << target;
    return ids;
  }

  // A 422 invalid_query whose errors point at `pointer`.
  static void ExpectInvalidQuery(const std::string& target, const std::string& pointer) {
    const auto response = Get(target, "risk_owner");
    ASSERT_EQ(response.status, 422) << target << " " << response.body;
    const auto problem = nlohmann::json::parse(response.body);
    EXPECT_EQ(problem.at("code"), "invalid_query") << target;
    std::set<std::string> pointers;
    for (const auto& error : problem.value("errors", nlohmann::json::array())) {
      pointers.insert(error.value("pointer", ""));
    }
    EXPECT_TRUE(pointers.contains(pointer)) << target << " " << response.body;
  }

  static World* world_;
  static std::vector<Made>* made_;
  static std::string* conflicted_token_;
};

World* ExceptionsListHttpTest::world_ = nullptr;
std::vector<Made>* ExceptionsListHttpTest::made_ = nullptr;
std::string* ExceptionsListHttpTest::conflicted_token_ = nullptr;

TEST_F(ExceptionsListHttpTest, StaffSeeEverySuppliersExceptionsSoonestToExpireFirst) {
  ASSERT_EQ(made_->size(), 7u);
  for (const std::string persona : {"assessor", "risk_owner", "admin"}) {
    const auto listed = Get("/exceptions", persona);
    ASSERT_EQ(listed.status, 200) << persona << " " << listed.body;
    EXPECT_EQ(Ids(listed), All()) << persona;
    EXPECT_TRUE(nlohmann::json::parse(listed.body).at("next_cursor").is_null());
  }
  // A declared conflict of interest does not hide a supplier's exceptions from a reader.
  const auto conflicted = GetWithToken("/exceptions", *conflicted_token_);
  ASSERT_EQ(conflicted.status, 200) << conflicted.body;
  EXPECT_EQ(Ids(conflicted), All());

  // Each item is the exception as the supplier's own list shows it, naming its supplier.
  const auto page = nlohmann::json::parse(Get("/exceptions", "admin").body);
  std::map<std::string, nlohmann::json> by_id;
  for (const std::string& supplier : {world_->supplier_a(), world_->supplier_b()}) {
    const auto own =
        nlohmann::json::parse(Get("/suppliers/" + supplier + "/exceptions", "admin").body);
    for (const auto& item : own.at("items")) by_id[item.at("id")] = item;
  }
  for (const auto& item : page.at("items")) {
    EXPECT_EQ(item, by_id.at(item.at("id"))) << item.dump();
  }
  for (std::size_t i = 0; i < made_->size(); ++i) {
    const auto& item = page.at("items").at(i);
    const Made& made = made_->at(i);
    EXPECT_EQ(item.at("supplier_id"), made.supplier);
    EXPECT_EQ(item.at("expires_on"), made.expires_on);
    EXPECT_EQ(item.at("active"), made.state == "active") << item.dump();
    EXPECT_EQ(item.at("state"), made.state) << item.dump();
    EXPECT_EQ(item.at("revoked_at").is_null(), made.state != "revoked") << item.dump();
  }
}

TEST_F(ExceptionsListHttpTest, StateFiltersAsOfToday) {
  for (const std::string state : {"active", "expired", "revoked"}) {
    const auto listed = Get("/exceptions?state=" + state, "risk_owner");
    ASSERT_EQ(listed.status, 200) << state << " " << listed.body;
    EXPECT_EQ(Ids(listed), InState(state)) << state;
  }
  EXPECT_EQ(InState("active").size(), 4u);
  EXPECT_EQ(InState("expired").size(), 2u);
  EXPECT_EQ(InState("revoked").size(), 1u);
}

// `expiring_before` keeps active exceptions expiring before the day (not on it), soonest first:
// expired and revoked ones are not "expiring", even with an earlier date.
TEST_F(ExceptionsListHttpTest, ExpiringBeforeKeepsActiveOnesExpiringBeforeTheDay) {
  auto expiring_before = [](int days) {
    return Expected(
        [days](const Made& made) { return made.state == "active" && made.expires_on < Day(days); });
  };
  EXPECT_EQ(expiring_before(20).size(), 3u);
  EXPECT_EQ(expiring_before(21).size(), 4u);
  for (const int days : {0, 10, 11, 20, 21, 400}) {
    const std::string target = "/exceptions?expiring_before=" + Day(days);
    const auto listed = Get(target, "risk_owner");
    ASSERT_EQ(listed.status, 200) << target << " " << listed.body;
    EXPECT_EQ(Ids(listed), expiring_before(days)) << target;
    EXPECT_EQ(Ids(Get(target + "&state=active", "risk_owner")), expiring_before(days)) << target;
    EXPECT_TRUE(Ids(Get(target + "&state=expired", "risk_owner")).empty()) << target;
    EXPECT_TRUE(Ids(Get(target + "&state=revoked", "risk_owner")).empty()) << target;
  }
}

TEST_F(ExceptionsListHttpTest, SupplierFiltersAndFiltersCombine) {
  const std::string& a = world_->supplier_a();
  const std::string& b = world_->supplier_b();
  EXPECT_EQ(Ids(Get("/exceptions?supplier=" + a, "assessor")), Of(a));
  EXPECT_EQ(Ids(Get("/exceptions?supplier=" + b, "assessor")), Of(b));
  // Upper case is the same UUID.
  std::string upper = a;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_EQ(Ids(Get("/exceptions?supplier=" + upper, "assessor")), Of(a));
  EXPECT_EQ(
      Ids(Get("/exceptions?supplier=" + b + "&state=active", "assessor")),
      Expected([&b](const Made& made) { return made.supplier == b && made.state == "active"; }));
  EXPECT_EQ(
      Ids(Get("/exceptions?supplier=" + a + "&state=expired&limit=1", "assessor")),
      Expected([&a](const Made& made) { return made.supplier == a && made.state == "expired"; }));
  EXPECT_EQ(Ids(Get("/exceptions?supplier=" + a + "&expiring_before=" + Day(20), "assessor")),
            Expected([&a](const Made& made) {
              return made.supplier == a && made.state == "active" && made.expires_on < Day(20);
            }));
  // A supplier no one knows has no exceptions.
  const auto unknown = Get("/exceptions?supplier=00000000-0000-4000-8000-00000000abcd", "admin");
  ASSERT_EQ(unknown.status, 200) << unknown.body;
  EXPECT_TRUE(Ids(unknown).empty());
}

TEST_F(ExceptionsListHttpTest, PagesFollowTheCursorInTheListsOrder) {
  for (const int limit : {1, 2, 3, 7}) {
    EXPECT_EQ(AllPages("/exceptions", "risk_owner", limit), All()) << limit;
  }
  // With a filter the domain applies, pages are still full: rows passed over do not shorten
  // them.
  EXPECT_EQ(AllPages("/exceptions?state=active", "admin", 1), InState("active"));
  EXPECT_EQ(AllPages("/exceptions?state=active", "admin", 3), InState("active"));
  EXPECT_EQ(AllPages("/exceptions?state=expired", "admin", 1), InState("expired"));
  EXPECT_EQ(AllPages("/exceptions?expiring_before=" + Day(21) + "&supplier=" + world_->supplier_a(),
                     "admin", 1),
            Expected([](const Made& made) {
              return made.supplier == world_->supplier_a() && made.state == "active";
            }));
  EXPECT_EQ(AllPages("/exceptions", "supplier_a", 2), Of(world_->supplier_a()));
  // A full last page says nothing follows once nothing does.
  const auto whole = Get("/exceptions?state=active&limit=4", "admin");
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_EQ(Ids(whole).size(), 4u);
  EXPECT_TRUE(nlohmann::json::parse(whole.body).at("next_cursor").is_null());
}

TEST_F(ExceptionsListHttpTest, ASupplierSeesItsOwnOnly) {
  const std::string& a = world_->supplier_a();
  const std::string& b = world_->supplier_b();
  EXPECT_EQ(Ids(Get("/exceptions", "supplier_a")), Of(a));
  EXPECT_EQ(Ids(Get("/exceptions", "supplier_b")), Of(b));
  EXPECT_EQ(Ids(Get("/exceptions?supplier=" + a, "supplier_a")), Of(a));
  EXPECT_EQ(Ids(Get("/exceptions?state=active", "supplier_b")), Expected([&b](const Made& made) {
              return made.supplier == b && made.state == "active";
            }));
  // Another supplier's filter is an empty list, as GET /assessments?supplier= answers.
  const auto other = Get("/exceptions?supplier=" + a, "supplier_b");
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_TRUE(Ids(other).empty());
  EXPECT_TRUE(nlohmann::json::parse(other.body).at("next_cursor").is_null());
  for (const auto& made : *made_) {
    if (made.supplier == a) {
      EXPECT_EQ(other.body.find(made.id), std::string::npos);
    }
  }
}

TEST_F(ExceptionsListHttpTest, ProcurementIsRefusedAndStrangersAreUnauthenticated) {
  const auto refused = Get("/exceptions", "procurement");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(nlohmann::json::parse(refused.body).at("code"), "forbidden");
  // Refused before the query is judged.
  EXPECT_EQ(Get("/exceptions?state=lapsed&limit=0&colour=red", "procurement").status, 403);
  EXPECT_EQ(world_->Client()->Send("GET", "/exceptions", {}).status, 401);
  EXPECT_EQ(GetWithToken("/exceptions", "not-a-token").status, 401);
}

TEST_F(ExceptionsListHttpTest, BadQueriesAreInvalidQueryPointingAtTheParameter) {
  ExpectInvalidQuery("/exceptions?colour=red", "query/colour");
  ExpectInvalidQuery("/exceptions?state=lapsed", "query/state");
  ExpectInvalidQuery("/exceptions?state=ACTIVE", "query/state");
  ExpectInvalidQuery("/exceptions?state=", "query/state");
  ExpectInvalidQuery("/exceptions?expiring_before=2026-13-01", "query/expiring_before");
  ExpectInvalidQuery("/exceptions?expiring_before=tomorrow", "query/expiring_before");
  ExpectInvalidQuery("/exceptions?supplier=not-a-uuid", "query/supplier");
  ExpectInvalidQuery("/exceptions?limit=0", "query/limit");
  ExpectInvalidQuery("/exceptions?limit=201", "query/limit");
  ExpectInvalidQuery("/exceptions?cursor=not-a-cursor", "query/cursor");
  // A supplier user's bad query is judged too (after it is authorised).
  const auto supplier = Get("/exceptions?state=lapsed", "supplier_a");
  EXPECT_EQ(supplier.status, 422) << supplier.body;
  // A cursor of a list ordered by creation time is not a position of this one.
  const auto by_time =
      Get("/suppliers/" + world_->supplier_a() + "/exceptions?limit=1", "risk_owner");
  ASSERT_EQ(by_time.status, 200) << by_time.body;
  const auto cursor = nlohmann::json::parse(by_time.body).at("next_cursor");
  ASSERT_TRUE(cursor.is_string());
  ExpectInvalidQuery("/exceptions?cursor=" + cursor.get<std::string>(), "query/cursor");
}

}  // namespace
}  // namespace coco::test
