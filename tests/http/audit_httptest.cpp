#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

// Each test gets a world of its own: verification tests tamper with the chain.
class AuditHttpTest : public ::testing::Test {
 protected:
  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::string& persona, const nlohmann::json& body = nullptr) {
    return client_->Send(method, target,
                         body.is_null() ? world_.As(persona) : world_.JsonAs(persona),
                         body.is_null() ? "" : body.dump());
  }
  nlohmann::json Verify(bool full) {
    const auto response =
        Send("GET", std::string("/audit/verify") + (full ? "?full=true" : ""), "admin");
    EXPECT_EQ(response.status, 200) << response.body;
    return BodyJson(response);
  }
  void AddServices(int count) {
    for (int i = 0; i < count; ++i) {
      ASSERT_EQ(Send("POST", "/suppliers/" + world_.supplier_a() + "/services", "supplier_a",
                     {{"name", "svc " + std::to_string(i)},
                      {"profile", Profile({.connects_to_network = true})}})
                    .status,
                201);
    }
  }
  const TestDatabase& db() { return world_.server().database(); }

  World world_;
  std::unique_ptr<HttpClient> client_ = world_.Client();
};

TEST_F(AuditHttpTest, WhoReadsWhat) {
  AddServices(1);
  ASSERT_EQ(Send("POST", "/suppliers/" + world_.supplier_b() + "/services", "supplier_b",
                 {{"name", "b svc"}, {"profile", Profile({.connects_to_network = true})}})
                .status,
            201);
  for (const std::string persona : {"admin", "assessor", "risk_owner"}) {
    const auto page = BodyJson(Send("GET", "/audit?limit=200", persona));
    std::set<std::string> actions;
    for (const auto& event : page.at("items")) actions.insert(event.at("action"));
    EXPECT_TRUE(actions.contains("supplier.create")) << persona;
    EXPECT_TRUE(actions.contains("service.create")) << persona;
  }
  EXPECT_EQ(Send("GET", "/audit", "procurement").status, 403);
  // A supplier user sees its own objects' events only.
  const auto own = BodyJson(Send("GET", "/audit?limit=200", "supplier_a"));
  EXPECT_FALSE(own.at("items").empty());
  for (const auto& event : own.at("items")) {
    EXPECT_NE(event.at("entity_id"), world_.supplier_b()) << event.dump();
    EXPECT_EQ(event.dump().find("b svc"), std::string::npos) << event.dump();
  }
  EXPECT_EQ(Send("GET", "/audit/verify", "assessor").status, 403);
  EXPECT_EQ(Send("GET", "/audit/verify", "supplier_a").status, 403);
}

TEST_F(AuditHttpTest, FiltersAndPages) {
  AddServices(3);
  const auto services =
      BodyJson(Send("GET", "/audit?entity=service&limit=200", "admin")).at("items");
  ASSERT_EQ(services.size(), 3u);
  const std::string id = services[1].at("entity_id");
  const auto one =
      BodyJson(Send("GET", "/audit?entity=service&entity_id=" + id, "admin")).at("items");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].at("detail").at("name"), "svc 1");
  const auto first = BodyJson(Send("GET", "/audit?limit=2", "admin"));
  ASSERT_FALSE(first.at("next_cursor").is_null());
  const auto second = BodyJson(
      Send("GET", "/audit?limit=2&cursor=" + first.at("next_cursor").get<std::string>(), "admin"));
  EXPECT_EQ(second.at("items")[0].at("seq"), first.at("items")[1].at("seq").get<long long>() + 1);
  EXPECT_EQ(Send("GET", "/audit?since=yesterday", "admin").status, 422);
  EXPECT_EQ(Send("GET", "/audit?actor=nobody", "admin").status, 422);
}

TEST_F(AuditHttpTest, AnIntactChainVerifies) {
  AddServices(3);
  const auto result = Verify(true);
  EXPECT_TRUE(result.at("ok").get<bool>()) << result.dump();
  EXPECT_GE(result.at("events_checked").get<long long>(), 5);
  // Next time only the events since the checkpoint are hashed.
  AddServices(2);
  const auto incremental = Verify(false);
  EXPECT_TRUE(incremental.at("ok").get<bool>());
  EXPECT_EQ(incremental.at("events_checked"), 2);
  EXPECT_GT(incremental.at("from_seq").get<long long>(), 0);
}

TEST_F(AuditHttpTest, AnEditedEventIsNamed) {
  AddServices(4);
  const std::string seq = db().QueryValue(
      "SELECT seq FROM audit_events WHERE action = 'service.create' "
      "ORDER BY seq LIMIT 1 OFFSET 1");
  db().Exec("UPDATE audit_events SET detail = replace(detail, 'svc 1', 'svc X') WHERE seq = " +
            seq);
  const auto result = Verify(true);
  EXPECT_FALSE(result.at("ok").get<bool>());
  EXPECT_EQ(result.at("first_broken_seq").get<long long>(), std::stoll(seq)) << result.dump();
}

TEST_F(AuditHttpTest, ADeletedEventIsSeenAsAGap) {
  AddServices(4);
  const std::string seq =
      db().QueryValue("SELECT seq FROM audit_events ORDER BY seq LIMIT 1 OFFSET 3");
  db().Exec("DELETE FROM audit_events WHERE seq = " + seq);
  const auto result = Verify(true);
  EXPECT_FALSE(result.at("ok").get<bool>());
  EXPECT_EQ(result.at("first_broken_seq").get<long long>(), std::stoll(seq)) << result.dump();
}

TEST_F(AuditHttpTest, RemovingTheLastEventIsSeenToo) {
  AddServices(2);
  const std::string last = db().QueryValue("SELECT max(seq) FROM audit_events");
  db().Exec("DELETE FROM audit_events WHERE seq = " + last);
  const auto result = Verify(true);
  EXPECT_FALSE(result.at("ok").get<bool>());
  EXPECT_EQ(result.at("first_broken_seq").get<long long>(), std::stoll(last));
}

TEST_F(AuditHttpTest, TamperingWithACheckpointedEventIsCaughtByTheQuickCheck) {
  AddServices(2);
  ASSERT_TRUE(Verify(false).at("ok").get<bool>());
  const std::string checkpoint = db().QueryValue("SELECT max(seq) FROM audit_checkpoints");
  db().Exec("UPDATE audit_events SET request_id = 'forged' WHERE seq = " + checkpoint);
  const auto result = Verify(false);
  EXPECT_FALSE(result.at("ok").get<bool>());
  EXPECT_EQ(result.at("first_broken_seq").get<long long>(), std::stoll(checkpoint));
}

TEST_F(AuditHttpTest, ConcurrentWritersStillMakeOneGapFreeChain) {
  // Two connections appending at once.
  std::vector<std::thread> writers;
  for (const std::string persona : {"supplier_a", "admin"}) {
    writers.emplace_back([this, persona] {
      auto client = world_.Client();
      for (int i = 0; i < 15; ++i) {
        const auto response = client->Send(
            "POST", "/suppliers/" + world_.supplier_a() + "/services", world_.JsonAs(persona),
            nlohmann::json{{"name", persona + " " + std::to_string(i)},
                           {"profile", Profile({.connects_to_network = true})}}
                .dump());
        EXPECT_EQ(response.status, 201);
      }
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(db().QueryValue("SELECT max(seq) = count(*) FROM audit_events"), "t");
  EXPECT_TRUE(Verify(true).at("ok").get<bool>());
}

}  // namespace
}  // namespace coco::test
