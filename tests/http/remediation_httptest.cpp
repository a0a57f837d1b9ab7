// Remediation actions over HTTP (docs/review-side.md): an approval's conditions become actions,
// which are listed, completed, verified, reopened, overdue and raced for.
// Every answer is also checked against the contract by the test client. Shared helpers:
// remediation_http.hpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/http/remediation_http.hpp"

namespace coco::test::remediation_http {
namespace {

// An approval's conditions become open actions, listed by due date, with paging.
TEST_F(RemediationHttpTest, ConditionsBecomeOpenActionsListedByDueDate) {
  const std::string id =
      Tell()
          .Service()
          .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
          .Approve(Conditions({{"SUP-05", Day(40)}, {"SUP-01", Day(20)}, {"SUP-05", Day(30)}}))
          .id();
  const auto assessment = Ok("admin", "GET", "/assessments/" + id);
  const auto actions = ActionsOf(id);
  ASSERT_EQ(actions.size(), 3u) << actions.dump();
  std::vector<std::string> due, requirements;
  for (const auto& action : actions) {
    due.push_back(action.at("due_date"));
    requirements.push_back(action.at("requirement_id"));
    EXPECT_EQ(action.at("assessment_id"), id);
    EXPECT_EQ(action.at("supplier_id"), world_->supplier_a());
    EXPECT_EQ(action.at("service_id"), assessment.at("service_id"));
    EXPECT_EQ(action.at("standard"), "SUPPLIER");
    EXPECT_EQ(action.at("description"), "fix " + action.at("requirement_id").get<std::string>());
    EXPECT_EQ(action.at("state"), "open");
    EXPECT_EQ(action.at("overdue"), false);
    EXPECT_TRUE(action.at("completion").is_null());
    EXPECT_TRUE(action.at("verified_at").is_null());
    EXPECT_TRUE(action.at("verified_by").is_null());
    EXPECT_TRUE(action.at("reopen_reason").is_null());
  }
  EXPECT_EQ(due, (std::vector<std::string>{Day(20), Day(30), Day(40)}));
  EXPECT_EQ(requirements, (std::vector<std::string>{"SUP-01", "SUP-05", "SUP-05"}));

  // Pages of one walk the same list in the same order (the keyset is the due date).
  EXPECT_EQ(IdsOf(AllPages("assessor", "/actions?assessment=" + id, 1)), IdsOf(actions));
  EXPECT_EQ(IdsOf(AllPages("supplier_a", "/actions?assessment=" + id, 2)), IdsOf(actions));
}

TEST_F(RemediationHttpTest, ActionListsFilter) {
  const auto action = NewAction();
  const std::string id = action.at("id");
  const std::string assessment = action.at("assessment_id");
  const auto other = NewAction("supplier_b");
  const std::string b_id = other.at("id");
  const std::string by_assessment = "/actions?limit=200&assessment=" + assessment;

  EXPECT_EQ(IdsOf(Ok("assessor", "GET", by_assessment).at("items")), std::vector<std::string>{id});
  // By supplier: A's includes the action and nothing of B's.
  const auto of_a = AllPages("admin", "/actions?supplier=" + world_->supplier_a(), 100);
  EXPECT_TRUE(Contains(IdsOf(of_a), id));
  EXPECT_FALSE(Contains(IdsOf(of_a), b_id));
  for (const auto& item : of_a) EXPECT_EQ(item.at("supplier_id"), world_->supplier_a());
  const auto of_b = AllPages("risk_owner", "/actions?supplier=" + world_->supplier_b(), 100);
  EXPECT_TRUE(Contains(IdsOf(of_b), b_id));
  EXPECT_FALSE(Contains(IdsOf(of_b), id));
  // By state.
  EXPECT_EQ(IdsOf(Ok("assessor", "GET", by_assessment + "&state=open").at("items")),
            std::vector<std::string>{id});
  EXPECT_TRUE(Ok("assessor", "GET", by_assessment + "&state=done").at("items").empty());
  EXPECT_TRUE(Ok("assessor", "GET", by_assessment + "&state=verified").at("items").empty());
  // By overdue: an open action due in 30 days is not overdue.
  EXPECT_EQ(IdsOf(Ok("assessor", "GET", by_assessment + "&overdue=false").at("items")),
            std::vector<std::string>{id});
  EXPECT_TRUE(Ok("assessor", "GET", by_assessment + "&overdue=true").at("items").empty());
  const auto overdue = AllPages("admin", "/actions?overdue=true", 100);
  EXPECT_FALSE(Contains(IdsOf(overdue), id));
  for (const auto& item : overdue) EXPECT_EQ(item.at("overdue"), true);
  const auto not_overdue = AllPages("admin", "/actions?overdue=false", 100);
  EXPECT_TRUE(Contains(IdsOf(not_overdue), id));
  EXPECT_TRUE(Contains(IdsOf(not_overdue), b_id));
  for (const auto& item : not_overdue) EXPECT_EQ(item.at("overdue"), false);
  // Filters combine.
  EXPECT_TRUE(
      Ok("admin", "GET", by_assessment + "&supplier=" + world_->supplier_b()).at("items").empty());

  // Bad queries.
  const std::vector<std::string> watched = {"/actions/" + id};
  Refused("assessor", "GET", "/actions?state=closed", nullptr, 422, "invalid_query", watched);
  Refused("assessor", "GET", "/actions?state=OPEN", nullptr, 422, "invalid_query", watched);
  Refused("assessor", "GET", "/actions?colour=red", nullptr, 422, "invalid_query", watched);
  Refused("assessor", "GET", "/actions?overdue=maybe", nullptr, 422, "invalid_query", watched);
  Refused("assessor", "GET", "/actions?supplier=not-a-uuid", nullptr, 422, "invalid_id", watched);
  Refused("assessor", "GET", "/actions?assessment=not-a-uuid", nullptr, 422, "invalid_id", watched);
}

TEST_F(RemediationHttpTest, WhoReadsActions) {
  const auto action = NewAction();
  const std::string id = action.at("id");
  const auto other = NewAction("supplier_b");
  const std::string b_id = other.at("id");

  for (const std::string who : {"supplier_a", "supplier_a2", "assessor", "risk_owner", "admin"}) {
    const auto response = As(who, "GET", "/actions/" + id);
    ASSERT_EQ(response.status, 200) << who << " " << response.body;
    EXPECT_EQ(BodyJson(response), action) << who;
    EXPECT_EQ(response.Header("etag"), action.at("etag").get<std::string>()) << who;
  }
  const std::vector<std::string> watched = {"/actions/" + id};
  Refused("supplier_b", "GET", "/actions/" + id, nullptr, 404, "not_found", watched);
  Refused("procurement", "GET", "/actions/" + id, nullptr, 403, "forbidden", watched);
  Refused("procurement", "GET", "/actions", nullptr, 403, "forbidden", watched);
  Refused("admin", "GET", "/actions/00000000-0000-4000-8000-000000000000", nullptr, 404,
          "not_found", watched);

  // A supplier's list never holds another supplier's actions, whatever it asks for.
  const auto own = AllPages("supplier_a", "/actions", 100);
  EXPECT_TRUE(Contains(IdsOf(own), id));
  EXPECT_FALSE(Contains(IdsOf(own), b_id));
  for (const auto& item : own) EXPECT_EQ(item.at("supplier_id"), world_->supplier_a());
  EXPECT_TRUE(
      Ok("supplier_a", "GET", "/actions?supplier=" + world_->supplier_b()).at("items").empty());
  EXPECT_TRUE(
      Ok("supplier_a", "GET", "/actions?assessment=" + other.at("assessment_id").get<std::string>())
          .at("items")
          .empty());
  const auto of_b = AllPages("supplier_b", "/actions", 100);
  EXPECT_TRUE(Contains(IdsOf(of_b), b_id));
  EXPECT_FALSE(Contains(IdsOf(of_b), id));
  EXPECT_EQ(Ok("supplier_b", "GET", "/actions/" + b_id).at("id"), b_id);
}

// open -> done -> verified -> open -> done -> open, with every wrong move refused.
TEST_F(RemediationHttpTest, AnActionIsCompletedVerifiedAndReopened) {
  const auto action = NewAction();
  const std::string id = action.at("id");
  const std::string target = "/actions/" + id;
  const std::vector<std::string> watched = {target};
  const std::string own_file = PolicyFile("supplier_a");
  const std::string b_file = PolicyFile("supplier_b");
  const nlohmann::json completion = {{"note", "done it"}, {"evidence_ids", {own_file}}};

  // Who may not complete it.
  for (const std::string who : {"assessor", "risk_owner", "admin", "procurement"}) {
    Refused(who, "POST", target + "/complete", completion, 403, "forbidden", watched);
  }
  Refused("supplier_b", "POST", target + "/complete", completion, 404, "not_found", watched);
  // Evidence that is not the supplier's own, or does not exist, is named.
  Refused("supplier_a", "POST", target + "/complete", {{"note", "n"}, {"evidence_ids", {b_file}}},
          422, "invalid_body", watched, {}, "/evidence_ids/0");
  Refused("supplier_a", "POST", target + "/complete",
          {{"note", "n"}, {"evidence_ids", {"00000000-0000-4000-8000-000000000000"}}}, 422,
          "invalid_body", watched, {}, "/evidence_ids/0");
  const auto second = Refused("supplier_a", "POST", target + "/complete",
                              {{"note", "n"}, {"evidence_ids", {own_file, b_file}}}, 422,
                              "invalid_body", watched, {}, "/evidence_ids/1");
  EXPECT_FALSE(NamedPointers(second).contains("/evidence_ids/0")) << second.dump();
  std::string shouted = own_file;
  std::transform(shouted.begin(), shouted.end(), shouted.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  Refused("supplier_a", "POST", target + "/complete",
          {{"note", "n"}, {"evidence_ids", {own_file, shouted}}}, 422, "invalid_body", watched, {},
          "/evidence_ids/1");
  // Bad bodies.
  Refused("supplier_a", "POST", target + "/complete", {{"note", ""}}, 422, "invalid_body", watched);
  Refused("supplier_a", "POST", target + "/complete", nlohmann::json::object(), 422, "invalid_body",
          watched);
  Refused("supplier_a", "POST", target + "/complete", {{"note", "n"}, {"colour", "red"}}, 422,
          "invalid_body", watched);
  // Not done yet: nothing to verify; open: nothing to reopen.
  const auto not_done =
      Refused("assessor", "POST", target + "/verify", nullptr, 409, "action_state", watched);
  EXPECT_EQ(not_done.value("current_state", ""), "open") << not_done.dump();
  Refused("assessor", "POST", target + "/reopen", {{"reason", "r"}}, 409, "action_state", watched);
  // A stale ETag.
  Refused("supplier_a", "POST", target + "/complete", completion, 412, "precondition_failed",
          watched, IfMatch("\"99\""));

  // Completed by a user of the supplier, with the current ETag.
  const auto completed_response =
      As("supplier_a2", "POST", target + "/complete", completion, IfMatch(action.at("etag")));
  ASSERT_EQ(completed_response.status, 200) << completed_response.body;
  const auto done = BodyJson(completed_response);
  EXPECT_EQ(done.at("state"), "done");
  EXPECT_EQ(done.at("overdue"), false);
  EXPECT_EQ(done.at("completion").at("note"), "done it");
  EXPECT_EQ(done.at("completion").at("evidence_ids"), nlohmann::json::array({own_file}));
  EXPECT_EQ(done.at("completion").at("completed_by"), UserId("supplier_a2"));
  EXPECT_TRUE(done.at("verified_at").is_null());
  EXPECT_NE(done.at("etag"), action.at("etag"));
  EXPECT_EQ(completed_response.Header("etag"), done.at("etag").get<std::string>());
  EXPECT_EQ(Ok("admin", "GET", target), done);

  // Done: no second completion, and the old ETag is stale.
  const auto again =
      Refused("supplier_a", "POST", target + "/complete", completion, 409, "action_state", watched);
  EXPECT_EQ(again.value("current_state", ""), "done") << again.dump();
  Refused("assessor", "POST", target + "/verify", nullptr, 412, "precondition_failed", watched,
          IfMatch(action.at("etag")));
  // Who may not verify it.
  for (const std::string who : {"supplier_a", "risk_owner", "admin", "procurement"}) {
    Refused(who, "POST", target + "/verify", nullptr, 403, "forbidden", watched);
  }
  Refused("supplier_b", "POST", target + "/verify", nullptr, 404, "not_found", watched);
  Refused("conflicted", "POST", target + "/verify", nullptr, 403, "conflict_of_interest", watched);
  Refused("conflicted", "POST", target + "/reopen", {{"reason", "r"}}, 403, "conflict_of_interest",
          watched);
  Refused("supplier_a", "POST", target + "/reopen", {{"reason", "r"}}, 403, "forbidden", watched);

  // Verified by an assessor.
  const auto verified =
      Ok("assessor2", "POST", target + "/verify", nullptr, 200, IfMatch(done.at("etag")));
  EXPECT_EQ(verified.at("state"), "verified");
  EXPECT_EQ(verified.at("overdue"), false);
  EXPECT_EQ(verified.at("verified_by"), UserId("assessor2"));
  EXPECT_FALSE(verified.at("verified_at").is_null());
  EXPECT_EQ(verified.at("completion"), done.at("completion"));
  EXPECT_EQ(IdsOf(Ok("admin", "GET",
                     "/actions?state=verified&assessment=" +
                         action.at("assessment_id").get<std::string>())
                      .at("items")),
            std::vector<std::string>{id});
  Refused("assessor", "POST", target + "/verify", nullptr, 409, "action_state", watched);
  Refused("supplier_a", "POST", target + "/complete", completion, 409, "action_state", watched);

  // Reopened from verified: open again, the completion and verification cleared.
  Refused("assessor", "POST", target + "/reopen", nlohmann::json::object(), 422, "invalid_body",
          watched);
  Refused("assessor", "POST", target + "/reopen", {{"reason", ""}}, 422, "invalid_body", watched);
  Refused("assessor", "POST", target + "/reopen", {{"reason", "r"}}, 412, "precondition_failed",
          watched, IfMatch(done.at("etag")));
  const auto reopened =
      Ok("assessor", "POST", target + "/reopen", {{"reason", "the evidence is out of date"}}, 200,
         IfMatch(verified.at("etag")));
  EXPECT_EQ(reopened.at("state"), "open");
  EXPECT_TRUE(reopened.at("completion").is_null());
  EXPECT_TRUE(reopened.at("verified_at").is_null());
  EXPECT_TRUE(reopened.at("verified_by").is_null());
  EXPECT_EQ(reopened.at("reopen_reason"), "the evidence is out of date");
  EXPECT_EQ(Ok("supplier_a", "GET", target), reopened);
  Refused("assessor", "POST", target + "/reopen", {{"reason", "r"}}, 409, "action_state", watched);

  // Completed again, with two files in the order given, then reopened from done.
  const std::string newer_file = PolicyFile("supplier_a");
  const auto redone = Ok("supplier_a", "POST", target + "/complete",
                         {{"note", "second go"}, {"evidence_ids", {newer_file, own_file}}});
  EXPECT_EQ(redone.at("state"), "done");
  EXPECT_EQ(redone.at("completion").at("evidence_ids"),
            nlohmann::json::array({newer_file, own_file}));
  EXPECT_EQ(Ok("assessor", "GET", target), redone);
  EXPECT_EQ(redone.at("reopen_reason"), "the evidence is out of date");
  const auto back = Ok("assessor", "POST", target + "/reopen", {{"reason", "not enough"}});
  EXPECT_EQ(back.at("state"), "open");
  EXPECT_TRUE(back.at("completion").is_null());
  EXPECT_EQ(back.at("reopen_reason"), "not enough");

  EXPECT_EQ(AuditActions("action", id),
            (std::vector<std::string>{"action.complete", "action.verify", "action.reopen",
                                      "action.complete", "action.reopen"}));
}

// Overdue is judged as of today. The due dates are moved into the past behind the server's back
// (an approval only takes future ones).
TEST_F(RemediationHttpTest, AnActionIsOverdueFromTheDayAfterItsDueDateUntilVerified) {
  const std::string id =
      Tell()
          .Service()
          .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
          .Approve(Conditions(
              {{"SUP-01", Day(30)}, {"SUP-02", Day(31)}, {"SUP-03", Day(32)}, {"SUP-05", Day(33)}}))
          .id();
  const auto actions = ActionsOf(id);
  ASSERT_EQ(actions.size(), 4u);
  const std::string due_yesterday = actions[0].at("id");
  const std::string due_today = actions[1].at("id");
  const std::string verified = actions[2].at("id");
  const std::string done = actions[3].at("id");
  Ok("supplier_a", "POST", "/actions/" + verified + "/complete", {{"note", "n"}});
  Ok("assessor", "POST", "/actions/" + verified + "/verify");
  Ok("supplier_a", "POST", "/actions/" + done + "/complete", {{"note", "n"}});
  const auto& db = world_->server().database();
  const std::map<std::string, std::string> due = {
      {due_yesterday, Day(-1)}, {due_today, Day(0)}, {verified, Day(-2)}, {done, Day(-3)}};
  for (const auto& [action, date] : due) {
    db.Exec("UPDATE actions SET due_date = '" + date + "' WHERE id = '" + action + "'");
  }
  const std::map<std::string, bool> overdue = {
      {due_yesterday, true}, {due_today, false}, {verified, false}, {done, true}};
  for (const auto& [action, expected] : overdue) {
    EXPECT_EQ(Ok("supplier_a", "GET", "/actions/" + action).at("overdue"), expected) << action;
  }
  const std::string list = "/actions?limit=200&assessment=" + id;
  const auto items = Ok("assessor", "GET", list).at("items");
  EXPECT_EQ(IdsOf(items), (std::vector<std::string>{done, verified, due_yesterday, due_today}));
  for (const auto& item : items)
    EXPECT_EQ(item.at("overdue"), overdue.at(item.at("id").get<std::string>())) << item.dump();
  EXPECT_EQ(IdsOf(Ok("assessor", "GET", list + "&overdue=true").at("items")),
            (std::vector<std::string>{done, due_yesterday}));
  EXPECT_EQ(IdsOf(Ok("supplier_a", "GET", list + "&overdue=false").at("items")),
            (std::vector<std::string>{verified, due_today}));
  EXPECT_EQ(IdsOf(Ok("risk_owner", "GET", list + "&overdue=true&state=open").at("items")),
            std::vector<std::string>{due_yesterday});
  const auto all_overdue = IdsOf(AllPages("admin", "/actions?overdue=true", 100));
  EXPECT_TRUE(Contains(all_overdue, done));
  EXPECT_TRUE(Contains(all_overdue, due_yesterday));
  EXPECT_FALSE(Contains(all_overdue, verified));
  EXPECT_FALSE(Contains(all_overdue, due_today));
  EXPECT_TRUE(Ok("supplier_b", "GET", "/actions?overdue=true&supplier=" + world_->supplier_a())
                  .at("items")
                  .empty());
  // Reopened, a verified action past its due date is overdue again.
  EXPECT_EQ(
      Ok("assessor", "POST", "/actions/" + verified + "/reopen", {{"reason", "r"}}).at("overdue"),
      true);
}

// "Actions of a superseded assessment can still be worked."
TEST_F(RemediationHttpTest, ActionsOfASupersededAssessmentCanStillBeWorked) {
  Story story = Tell().Service();
  const std::string first = story.Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
                                .Approve(Conditions({{"SUP-05", Day(30)}}))
                                .id();
  const std::string second = story.Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
                                 .Approve(Conditions({{"SUP-05", Day(60)}}))
                                 .id();
  EXPECT_EQ(Ok("admin", "GET", "/assessments/" + first).at("state"), "superseded");
  const auto old_actions = ActionsOf(first);
  ASSERT_EQ(old_actions.size(), 1u);
  const std::string action = old_actions[0].at("id");
  EXPECT_EQ(
      Ok("supplier_a", "POST", "/actions/" + action + "/complete", {{"note", "n"}}).at("state"),
      "done");
  EXPECT_EQ(Ok("assessor", "POST", "/actions/" + action + "/verify").at("state"), "verified");
  EXPECT_EQ(Ok("assessor", "POST", "/actions/" + action + "/reopen", {{"reason", "r"}}).at("state"),
            "open");
  EXPECT_EQ(ActionsOf(second).size(), 1u);
  // A superseded case takes no exception.
  Refused("risk_owner", "POST", "/assessments/" + first + "/exceptions",
          {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}}, 409,
          "illegal_transition", {"/assessments/" + first, "/assessments/" + first + "/exceptions"});
}

// Two users complete (then verify) the same action at the same moment, on separate
// connections: each time exactly one wins and the stored action is the winner's.
TEST_F(RemediationHttpTest, RacingMovesOnOneActionHaveExactlyOneWinner) {
  std::vector<std::pair<std::string, std::string>> conditions;
  for (int i = 1; i <= 12; ++i) conditions.emplace_back(Requirement(i), Day(30 + i));
  const auto actions = ActionsOf(Tell()
                                     .Service()
                                     .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
                                     .Approve(Conditions(conditions))
                                     .id());
  ASSERT_EQ(actions.size(), 12u);
  for (const auto& action : actions) {
    const std::string target = "/actions/" + action.at("id").get<std::string>();
    const auto completed =
        Race("supplier_a", "supplier_a2", "POST", target + "/complete", {{"note", "n"}});
    const int completer = OneWinner(completed, 200, 409, "action_state");
    ASSERT_GE(completer, 0);
    const auto stored = Ok("admin", "GET", target);
    EXPECT_EQ(stored.at("state"), "done");
    EXPECT_EQ(stored.at("etag"),
              BodyJson(completer == 0 ? completed.first : completed.second).at("etag"));
    if (completer == 1) {
      EXPECT_EQ(stored.at("completion").at("completed_by"), UserId("supplier_a2"));
    }

    const auto verified = Race("assessor", "assessor2", "POST", target + "/verify");
    const int verifier = OneWinner(verified, 200, 409, "action_state");
    ASSERT_GE(verifier, 0);
    const auto after = Ok("admin", "GET", target);
    EXPECT_EQ(after.at("state"), "verified");
    if (verifier == 1) {
      EXPECT_EQ(after.at("verified_by"), UserId("assessor2"));
    }
    EXPECT_EQ(after.at("etag"),
              BodyJson(verifier == 0 ? verified.first : verified.second).at("etag"));
  }
}

}  // namespace
}  // namespace coco::test::remediation_http
