// The status journal over HTTP (issue #14 §3): a supplier's status at an instant, its history,
// the portfolio change feed and the events outbox, with their scoping and their bad input.
// The 400-day reading of past days is tests/pg/status_history_pgtest.cpp (it needs a clock the
// test moves). Shared helpers: status_http.hpp.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "domain/common/date.hpp"
#include "tests/http/status_http.hpp"

namespace coco::test::status_http {
namespace {

std::string Instant(std::chrono::system_clock::time_point at) {
  return domain::FormatTimestamp(at);
}

// Every item of a feed after `after`, following next_cursor.
std::vector<Json> ReadFeed(const std::function<Json(const std::string&)>& get,
                           std::string after = "0") {
  std::vector<Json> items;
  for (int pages = 0; pages < 1000; ++pages) {
    const auto page = get(after);
    for (const auto& item : page.at("items")) items.push_back(item);
    const std::string next = page.at("next_cursor");
    if (page.at("items").empty()) {
      EXPECT_EQ(next, after) << "an empty page keeps the cursor";
      return items;
    }
    EXPECT_EQ(next, page.at("items").back().at("id"));
    after = next;
  }
  ADD_FAILURE() << "the feed never ended";
  return items;
}

TEST_F(StatusHttpTest, AtAnInstantTheStatusIsWhatItWasThen) {
  const auto before_creation = std::chrono::system_clock::now() - std::chrono::seconds(5);
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto unassessed = std::chrono::system_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  Of(tenant, service).Approved("SUPPLIER").Approved("CRYPTOGRAPHY");
  const std::string path = "/suppliers/" + tenant.id + "/status";

  const auto now = Status(T("procurement"), tenant.id);
  EXPECT_EQ(now.at("status"), "assured");
  const auto then = Ok(T("procurement"), "GET", path + "?at=" + Instant(unassessed));
  EXPECT_EQ(then.at("status"), "not_assessed");
  EXPECT_EQ(then.at("as_of"), domain::Date::Of(unassessed).ToString());
  // The supplier did not exist yet.
  Refused(T("procurement"), path + "?at=" + Instant(before_creation), 404, "not_found_on_date");
  // An instant to come is today's facts, evaluated for its day.
  EXPECT_EQ(Ok(T("procurement"), "GET", path + "?at=2199-01-01T00:00:00Z").at("as_of"),
            "2199-01-01");
  // Another supplier's user cannot tell whether there was anything then.
  Refused(T("supplier_b"), path + "?at=" + Instant(unassessed), 404, "not_found");
  for (const std::string bad : {"2026-03-03", "yesterday", "2026-03-03T25:00:00Z", ""}) {
    Refused(T("procurement"), path + "?at=" + bad, 422, "invalid_query");
  }
  Refused(T("procurement"), path + "?at=" + Instant(unassessed) + "&as_of=" + Day(0), 422,
          "invalid_query");
}

TEST_F(StatusHttpTest, HistoryListsEveryChangeNewestFirstWithItsCause) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  Of(tenant, service).Approved("SUPPLIER");
  const std::string path = "/suppliers/" + tenant.id + "/status/history";
  const auto all = Ok(T("procurement"), "GET", path + "?limit=200").at("items");
  ASSERT_FALSE(all.empty());
  // Newest first; each a write with the audit entry that made it.
  for (std::size_t i = 1; i < all.size(); ++i) {
    EXPECT_GE(all[i - 1].at("effective_at").get<std::string>(),
              all[i].at("effective_at").get<std::string>());
  }
  for (const auto& change : all) {
    EXPECT_EQ(change.at("supplier_id"), tenant.id);
    EXPECT_EQ(change.at("cause").at("kind"), "write");
    EXPECT_TRUE(change.at("cause").at("audit_seq").is_number_integer()) << change.dump();
    EXPECT_NE(change.at("from_status"), change.at("to_status"));
  }
  // The first rows: the new supplier had no services; the oldest change is its own status.
  EXPECT_EQ(all.back().at("service_id"), nullptr);
  EXPECT_EQ(all.back().at("from_status"), nullptr);
  EXPECT_EQ(all.back().at("to_status"), "not_assessed");
  // The approval moved the (service, SUPPLIER) status.
  bool approved = false;
  for (const auto& change : all) {
    approved =
        approved || (change.at("standard") == "SUPPLIER" && change.at("to_status") == "assured");
  }
  EXPECT_TRUE(approved) << all.dump(1);

  // Pages of one follow each other to the same list.
  std::vector<Json> paged;
  std::string cursor;
  for (int n = 0; n < 100; ++n) {
    const auto page = Ok(T("procurement"), "GET",
                         path + "?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& item : page.at("items")) paged.push_back(item);
    if (page.at("next_cursor").is_null()) break;
    cursor = page.at("next_cursor");
  }
  EXPECT_EQ(Json(paged), all);
  // A window of days: today holds everything, tomorrow nothing.
  EXPECT_EQ(
      Ok(T("procurement"), "GET", path + "?limit=200&from=" + Day(0) + "&to=" + Day(0)).at("items"),
      all);
  EXPECT_TRUE(Ok(T("procurement"), "GET", path + "?from=" + Day(1)).at("items").empty());
  EXPECT_TRUE(Ok(T("procurement"), "GET", path + "?to=" + Day(-1)).at("items").empty());

  // Who may read it, and bad input.
  EXPECT_EQ(Send(T("supplier_b"), "GET", path).status, 404);
  EXPECT_EQ(Send(tenant.token, "GET", path).status, 200);
  Refused(T("admin"),
          "/suppliers/" + std::string("00000000-0000-4000-8000-00000000abcd") + "/status/history",
          404, "not_found");
  Refused(T("admin"), path + "?from=" + Day(2) + "&to=" + Day(1), 422, "invalid_query");
  Refused(T("admin"), path + "?from=03/03/2026", 422, "invalid_query");
  Refused(T("admin"), path + "?cursor=nonsense", 422, "invalid_query");
  Refused(T("admin"), path + "?since=" + Day(0), 422, "invalid_query");
  // A history cursor keys its rows by number, other lists by UUID: each refuses the other's,
  // rather than handing the database an id of the wrong type.
  ASSERT_FALSE(cursor.empty());
  Refused(T("admin"), "/suppliers?cursor=" + cursor, 422, "invalid_query");
  Refused(T("admin"), "/status?cursor=" + cursor, 422, "invalid_query");
  const auto suppliers = Ok(T("admin"), "GET", "/suppliers?limit=1");
  ASSERT_FALSE(suppliers.at("next_cursor").is_null());
  Refused(T("admin"), path + "?cursor=" + suppliers.at("next_cursor").get<std::string>(), 422,
          "invalid_query");
}

TEST_F(StatusHttpTest, TheChangeFeedAndTheEventsAreOldestFirstAndScopedToTheSupplier) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  Of(tenant, service).Approved("SUPPLIER");
  for (const std::string feed : {"/status/changes", "/events"}) {
    const auto get = [&](const std::string& token) {
      return [this, token, feed](const std::string& after) {
        return Ok(token, "GET", feed + "?limit=50&after=" + after);
      };
    };
    const auto staff = ReadFeed(get(T("procurement")));
    const auto own = ReadFeed(get(tenant.token));
    ASSERT_FALSE(own.empty()) << feed;
    std::vector<Json> tenants;
    for (std::size_t i = 0; i < staff.size(); ++i) {
      if (i > 0) {
        EXPECT_LT(std::stoll(staff[i - 1].at("id").get<std::string>()),
                  std::stoll(staff[i].at("id").get<std::string>()));
      }
      if (staff[i].at("supplier_id") == tenant.id) tenants.push_back(staff[i]);
    }
    // The supplier's user sees exactly its own supplier's items.
    EXPECT_EQ(Json(own), Json(tenants)) << feed;
    for (const auto& item : ReadFeed(get(T("supplier_b")))) {
      EXPECT_EQ(item.at("supplier_id"), world_->supplier_b()) << feed;
    }
    // Polling after the end: nothing, and the same cursor back.
    const std::string last = staff.back().at("id");
    const auto after_end = Ok(T("admin"), "GET", feed + "?after=" + last);
    EXPECT_TRUE(after_end.at("items").empty());
    EXPECT_EQ(after_end.at("next_cursor"), last);
    for (const std::string bad : {"-1", "x", "1.5", "", "1234567890123456789"}) {
      Refused(T("admin"), feed + "?after=" + bad, 422, "invalid_query");
    }
    for (const std::string bad : {"0", "201", "x", "-5", "1000"}) {
      Refused(T("admin"), feed + "?limit=" + bad, 422, "invalid_query");
    }
    Refused(T("admin"), feed + "?cursor=1", 422, "invalid_query");
  }
  // The events name the review's moves and the status changes they made.
  std::multiset<std::string> types;
  for (const auto& event : ReadFeed([&](const std::string& after) {
         return Ok(tenant.token, "GET", "/events?after=" + after);
       })) {
    types.insert(event.at("type"));
    if (event.at("type") == "assessment.approved") {
      EXPECT_EQ(event.at("subject").at("entity"), "assessment");
    }
  }
  EXPECT_EQ(types.count("assessment.submitted"), 1u);
  EXPECT_EQ(types.count("assessment.approved"), 1u);
  EXPECT_GE(types.count("status.changed"), 3u);
}

}  // namespace
}  // namespace coco::test::status_http
