// The status scheduler inside `coco serve` (issue #14 §2, docs/status.md "The scheduler"): two
// nodes on one database, each with a round every second. A change made behind coco's back (plain
// SQL, as an operator's psql would) is journalled by the scheduler, and only the node that holds
// the leadership lock does any journalling. The date-driven rules and catch-up are tested with a
// clock the test moves (tests/pg/status_history_pgtest.cpp); this is the wiring.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/coco_server.hpp"

namespace coco::test {
namespace {

int Count(const std::vector<std::string>& lines, const std::string& needle) {
  int count = 0;
  for (const auto& line : lines) count += line.find(needle) != std::string::npos ? 1 : 0;
  return count;
}

TEST(StatusSchedulerHttpTest, OneNodeLeadsAndJournalsWhatOtherWritersLeft) {
  TestDatabase database;
  const std::map<std::string, std::string> env = {{"COCO_SCHEDULER_INTERVAL", "1"}};
  CocoServer first(database, env);
  ASSERT_EQ(
      first.RunCli({"catalogue", "import", std::string(COCO_SOURCE_DIR) + "/standards"}).exit_code,
      0);
  CocoServer second(database, env);
  const std::string admin = first.CreateAdminToken();
  auto client = first.Client();
  const auto created =
      client->Send("POST", "/suppliers",
                   {{"Authorization", "Bearer " + admin}, {"Content-Type", "application/json"}},
                   R"({"name": "behind the back", "contact_email": "ops@back.example"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string supplier = nlohmann::json::parse(created.body).at("id");

  // A service added with plain SQL: no audit entry, no journal in its transaction.
  const std::string service = "00000000-0000-4000-8000-00000000beef";
  database.Exec(
      "INSERT INTO services (id, supplier_id, name, classification, connects_to_network,"
      " personal_data, hmg_crypto, operates_pki, profile_hash, required_standards) VALUES ('" +
      service + "', '" + supplier + "', 'by hand', 'OFFICIAL', false, false, false, false, '" +
      std::string(64, 'a') + "', '{CRYPTOGRAPHY,SUPPLIER}')");

  nlohmann::json found;
  for (int i = 0; i < 100 && found.is_null(); ++i) {
    const auto feed =
        client->Send("GET", "/status/changes?limit=200", {{"Authorization", "Bearer " + admin}});
    ASSERT_EQ(feed.status, 200) << feed.body;
    const auto page = nlohmann::json::parse(feed.body);
    for (const auto& change : page.at("items")) {
      if (change.at("service_id") == service && change.at("standard").is_null()) found = change;
    }
    if (found.is_null()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(found.is_null()) << "the scheduler never journalled the service added by hand";
  EXPECT_EQ(found.at("from_status"), nullptr);
  EXPECT_EQ(found.at("to_status"), "not_assessed");
  EXPECT_EQ(found.at("cause").at("kind"), "write");
  EXPECT_FALSE(found.at("cause").contains("audit_seq")) << found.dump();
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM status_pending"), "0");

  // Only the leader journalled anything.
  const std::string journalled = "status scheduler journalled suppliers";
  const int by_first = Count(first.LogLines(), journalled);
  const int by_second = Count(second.LogLines(), journalled);
  EXPECT_TRUE((by_first > 0) != (by_second > 0))
      << "first node: " << by_first << ", second node: " << by_second;
}

}  // namespace
}  // namespace coco::test
