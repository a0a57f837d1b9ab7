// GET /me/inbox (issue #16 §4, docs/notifications.md "Inboxes"): each role's sections, each item
// where its owner would look for it and nowhere else. Every item is made by the story a user
// would tell over HTTP; the sections are then read as each persona, and another supplier's user
// and a conflicted assessor or risk owner must not see what is not theirs.
#include "tests/http/remediation_http.hpp"

namespace coco::test::remediation_http {
namespace {

class InboxHttpTest : public RemediationHttpTest {
 protected:
  // The kinds of `who`'s inbox, in order.
  std::vector<std::string> Kinds(const std::string& who) {
    std::vector<std::string> kinds;
    const auto inbox = Ok(who, "GET", "/me/inbox");
    for (const auto& section : inbox.at("sections")) {
      kinds.push_back(section.at("kind"));
    }
    return kinds;
  }

  // The items of `who`'s section `kind` (empty when the role has no such section).
  nlohmann::json Items(const std::string& who, const std::string& kind) {
    const auto inbox = Ok(who, "GET", "/me/inbox");
    for (const auto& section : inbox.at("sections")) {
      if (section.at("kind") == kind) return section.at("items");
    }
    return nlohmann::json::array();
  }

  // The item about `id` in `who`'s section `kind`, or null.
  nlohmann::json Find(const std::string& who, const std::string& kind, const std::string& id) {
    const auto items = Items(who, kind);
    for (const auto& item : items) {
      if (item.at("subject").at("id") == id) return item;
    }
    return nullptr;
  }
};

TEST_F(InboxHttpTest, EachRoleHasItsOwnSections) {
  using Names = std::vector<std::string>;
  EXPECT_EQ(Kinds("admin"), (Names{"review_unclaimed", "webhook_disabled"}));
  EXPECT_EQ(Kinds("assessor"), (Names{"review_unclaimed", "review_claimed", "webhook_disabled"}));
  EXPECT_EQ(Kinds("risk_owner"),
            (Names{"exception_to_decide", "exception_expiring", "webhook_disabled"}));
  EXPECT_EQ(Kinds("procurement"),
            (Names{"supplier_lapsing", "contract_start_at_risk", "webhook_disabled"}));
  EXPECT_EQ(Kinds("supplier_a"), (Names{"changes_requested", "query_to_answer", "action_due",
                                        "evidence_lapsing", "webhook_disabled"}));
  const auto inbox = Ok("assessor", "GET", "/me/inbox");
  EXPECT_EQ(inbox.at("as_of"), Day(0));
  EXPECT_EQ(As("assessor", "GET", "/me/inbox?kind=review").status, 422);
  EXPECT_EQ(world_->Client()->Send("GET", "/me/inbox", {}, "").status, 401);
}

// A submission waits for every assessor who may claim it (not one with a conflict), and admins
// see it; once claimed it is the claimant's alone.
TEST_F(InboxHttpTest, ASubmissionWaitsForWhoMayClaimItThenForItsClaimant) {
  auto story = Tell("supplier_a").Service();
  story.Assessment("SUPPLIER").AnswerAll({{"SUP-05", NotMet()}}).Submit();
  const std::string id = story.id();
  const auto waiting = Find("assessor", "review_unclaimed", id);
  ASSERT_FALSE(waiting.is_null());
  EXPECT_EQ(waiting.at("link"), "/assessments/" + id);
  EXPECT_EQ(waiting.at("supplier_id"), world_->supplier_a());
  EXPECT_FALSE(waiting.at("since").is_null());
  EXPECT_TRUE(waiting.at("due_on").is_null());
  EXPECT_NE(waiting.at("summary").get<std::string>().find("1 not met"), std::string::npos)
      << waiting.dump();
  EXPECT_FALSE(Find("assessor2", "review_unclaimed", id).is_null());
  EXPECT_FALSE(Find("admin", "review_unclaimed", id).is_null());
  EXPECT_TRUE(Find("conflicted", "review_unclaimed", id).is_null());

  story.Claim();
  EXPECT_TRUE(Find("assessor", "review_unclaimed", id).is_null());
  EXPECT_FALSE(Find("assessor", "review_claimed", id).is_null());
  EXPECT_TRUE(Find("assessor2", "review_claimed", id).is_null());
  EXPECT_TRUE(Find("admin", "review_unclaimed", id).is_null());

  // The not-met MUST waits for a risk owner without a conflict, until an exception covers it.
  const auto to_decide = Find("risk_owner", "exception_to_decide", id);
  ASSERT_FALSE(to_decide.is_null());
  EXPECT_NE(to_decide.at("summary").get<std::string>().find("SUP-05"), std::string::npos);
  EXPECT_TRUE(Find("conflicted_risk", "exception_to_decide", id).is_null());
  story.Exception("SUP-05", Day(10));
  EXPECT_TRUE(Find("risk_owner", "exception_to_decide", id).is_null());
  const auto expiring = Items("risk_owner", "exception_expiring");
  bool found = false;
  for (const auto& item : expiring) {
    if (item.at("link") != "/assessments/" + id + "/exceptions") continue;
    found = true;
    EXPECT_EQ(item.at("due_on"), Day(10));
    EXPECT_EQ(item.at("subject").at("entity"), "exception");
  }
  EXPECT_TRUE(found) << expiring.dump();
}

// What the assessor sent back is the supplier's to answer: its own users see it, another
// supplier's do not.
TEST_F(InboxHttpTest, ChangesRequestedWaitForTheSupplierAlone) {
  auto story = Tell("supplier_a").Service();
  story.Assessment("SUPPLIER").AnswerAll().Submit().Claim();
  story.Query("SUP-03", "which policy covers this?").AcceptAll({"SUP-03"});
  story.RequestChanges("see SUP-03");
  const std::string id = story.id();
  for (const std::string who : {"supplier_a", "supplier_a2"}) {
    const auto sent_back = Find(who, "changes_requested", id);
    ASSERT_FALSE(sent_back.is_null()) << who;
    EXPECT_NE(sent_back.at("summary").get<std::string>().find("see SUP-03"), std::string::npos);
    const auto query = Find(who, "query_to_answer", id + "/SUP-03");
    ASSERT_FALSE(query.is_null()) << who;
    EXPECT_EQ(query.at("subject").at("entity"), "response");
    EXPECT_NE(query.at("summary").get<std::string>().find("which policy covers this?"),
              std::string::npos);
    EXPECT_TRUE(Find(who, "query_to_answer", id + "/SUP-01").is_null()) << "accepted, not open";
  }
  EXPECT_TRUE(Find("supplier_b", "changes_requested", id).is_null());
  EXPECT_TRUE(Find("supplier_b", "query_to_answer", id + "/SUP-03").is_null());
}

// An approval's condition due in 30 days and a relied-on file lapsing in 40 are the supplier's;
// a valid_until 20 days away makes procurement see the supplier lapsing.
TEST_F(InboxHttpTest, DatesComingUpWaitForTheirOwners) {
  const auto action = NewAction("supplier_a");
  const auto due = Find("supplier_a", "action_due", action.at("id"));
  ASSERT_FALSE(due.is_null());
  EXPECT_EQ(due.at("due_on"), Day(30));
  EXPECT_EQ(due.at("link"), "/actions/" + action.at("id").get<std::string>());
  EXPECT_TRUE(Find("supplier_b", "action_due", action.at("id")).is_null());

  Headers headers = {{"Authorization", "Bearer " + world_->Token("supplier_a")},
                     {"Content-Type", "application/pdf"}};
  const auto upload =
      client_->Send("POST",
                    "/suppliers/" + world_->supplier_a() +
                        "/evidence?filename=policy.pdf&kind=policy&expires_on=" + Day(40),
                    headers, "a policy that lapses in 40 days");
  ASSERT_EQ(upload.status, 201) << upload.body;
  const std::string file = BodyJson(upload).at("id");
  Tell("supplier_a")
      .Service()
      .Approved("SUPPLIER", {{"SUP-01", Met({file})}}, {{"valid_until", Day(20)}});
  const auto lapsing = Find("supplier_a", "evidence_lapsing", file);
  ASSERT_FALSE(lapsing.is_null());
  EXPECT_EQ(lapsing.at("due_on"), Day(40));
  EXPECT_NE(lapsing.at("summary").get<std::string>().find("SUP-01"), std::string::npos);
  EXPECT_TRUE(Find("supplier_b", "evidence_lapsing", file).is_null());

  const auto supplier = Find("procurement", "supplier_lapsing", world_->supplier_a());
  ASSERT_FALSE(supplier.is_null());
  EXPECT_FALSE(supplier.at("due_on").is_null());
  EXPECT_LE(supplier.at("due_on").get<std::string>(), Day(20));
  EXPECT_EQ(supplier.at("link"), "/suppliers/" + world_->supplier_a() + "/status");
}

// A contract starting in 45 days on a service with nothing approved would not be assured then;
// one starting in 200 days is beyond the window.
TEST_F(InboxHttpTest, ContractsStartingUnassuredWaitForProcurement) {
  auto soon = Tell("supplier_b").Service(Profile(), {{"contract_start", Day(45)}});
  auto later = Tell("supplier_b").Service(Profile(), {{"contract_start", Day(200)}});
  const auto at_risk = Find("procurement", "contract_start_at_risk", soon.service_id());
  ASSERT_FALSE(at_risk.is_null());
  EXPECT_EQ(at_risk.at("due_on"), Day(45));
  EXPECT_EQ(at_risk.at("link"), "/suppliers/" + world_->supplier_b() + "/status?as_of=" + Day(45));
  EXPECT_TRUE(Find("procurement", "contract_start_at_risk", later.service_id()).is_null());
}

// A subscription coco disabled waits for its owner and for admins, nobody else.
TEST_F(InboxHttpTest, ADisabledSubscriptionWaitsForItsOwnerAndAdmins) {
  const auto hook =
      Ok("supplier_a", "POST", "/webhooks",
         {{"url", "https://hooks.example.org/coco"}, {"event_types", {"status.changed"}}}, 201);
  const std::string id = hook.at("id");
  EXPECT_TRUE(Find("supplier_a", "webhook_disabled", id).is_null());
  world_->server().database().Exec(
      "UPDATE webhooks SET enabled = false, disabled_reason = '10 deliveries failed in a row'"
      " WHERE id = '" +
      id + "'");
  const auto disabled = Find("supplier_a", "webhook_disabled", id);
  ASSERT_FALSE(disabled.is_null());
  EXPECT_NE(disabled.at("summary").get<std::string>().find("failed"), std::string::npos);
  EXPECT_FALSE(Find("admin", "webhook_disabled", id).is_null());
  EXPECT_TRUE(Find("supplier_b", "webhook_disabled", id).is_null());
  EXPECT_TRUE(Find("supplier_a2", "webhook_disabled", id).is_null()) << "another user's";
}

}  // namespace
}  // namespace coco::test::remediation_http
