// The review side over HTTP (docs/review-side.md): verdicts, reopening, requests for changes,
// approval with conditions and exceptions, supersession, rejection, suspension, If-Match on
// decisions, and the comment thread. Every answer is also checked against the contract by the
// test client.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/dates.hpp"
#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

std::string Requirement(int n) {
  char id[8];
  std::snprintf(id, sizeof id, "SUP-%02d", n);
  return id;
}

const nlohmann::json& ResponseOf(const nlohmann::json& assessment, const std::string& requirement) {
  for (const auto& response : assessment.at("responses")) {
    if (response.at("requirement_id") == requirement) return response;
  }
  throw std::runtime_error("no response " + requirement);
}

// The requirement ids named by a problem's `errors`.
std::set<std::string> NamedRequirements(const nlohmann::json& problem) {
  std::set<std::string> named;
  for (const auto& error : problem.value("errors", nlohmann::json::array())) {
    if (error.contains("requirement_id"))
      named.insert(error.at("requirement_id").get<std::string>());
  }
  return named;
}

std::set<std::string> NamedPointers(const nlohmann::json& problem) {
  std::set<std::string> named;
  for (const auto& error : problem.value("errors", nlohmann::json::array())) {
    if (error.contains("pointer")) named.insert(error.at("pointer").get<std::string>());
  }
  return named;
}

// One World for the suite (starting a server is the slow part); every test makes its own
// services and assessments of supplier A, so tests do not depend on each other.
class DecisionsHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World();
    tokens_ = new std::map<std::string, std::string>();
    user_ids_ = new std::map<std::string, std::string>();
    NewAssessor("assessor2", {});
    // An assessor who declared a conflict of interest with supplier A.
    NewAssessor("conflicted", {world_->supplier_a()});
  }
  // An assessor made by the admin over HTTP, so the test knows its user id.
  static void NewAssessor(const std::string& persona, const std::vector<std::string>& conflicts) {
    const auto user = world_->NewHttpUser(persona, "assessor", conflicts);
    (*user_ids_)[persona] = user.id;
    (*tokens_)[persona] = user.token;
  }
  static void TearDownTestSuite() {
    delete user_ids_;
    delete tokens_;
    delete world_;
  }

  HttpResponse As(const std::string& who, const std::string& method, const std::string& target,
                  const nlohmann::json& body = nullptr, const Headers& extra = {}) {
    const std::string token = tokens_->contains(who) ? tokens_->at(who) : world_->Token(who);
    Headers headers = {{"Authorization", "Bearer " + token}};
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    headers.insert(headers.end(), extra.begin(), extra.end());
    return client_->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }

  // Sends a request that must succeed with `status`; returns its body.
  nlohmann::json Ok(const std::string& who, const std::string& method, const std::string& target,
                    const nlohmann::json& body = nullptr, int status = 200,
                    const Headers& extra = {}) {
    const auto response = As(who, method, target, body, extra);
    EXPECT_EQ(response.status, status) << who << " " << method << " " << target << "\n"
                                       << response.body;
    return response.body.empty() ? nlohmann::json() : BodyJson(response);
  }

  nlohmann::json Assessment(const std::string& id) {
    return Ok("admin", "GET", "/assessments/" + id);
  }

  // Sends a request that must be refused with `status` (and `code`, if given) and changes
  // nothing: no table gains or loses a row (so no audit event either) and the assessment keeps
  // its state and version. Returns the problem.
  nlohmann::json Refused(const std::string& who, const std::string& method,
                         const std::string& target, const nlohmann::json& body, int status,
                         const std::string& code, const std::string& assessment,
                         const Headers& extra = {}) {
    const auto before = Assessment(assessment);
    const auto rows = world_->server().database().RowCounts();
    const auto response = As(who, method, target, body, extra);
    const std::string what =
        who + " " + method + " " + target + " " + (body.is_null() ? "" : body.dump());
    EXPECT_EQ(response.status, status) << what << "\n" << response.body;
    EXPECT_EQ(world_->server().database().RowCounts(), rows)
        << what << ": a refused request wrote rows";
    const auto after = Assessment(assessment);
    EXPECT_EQ(after.at("state"), before.at("state")) << what;
    EXPECT_EQ(after.at("version"), before.at("version")) << what;
    const auto problem = response.body.empty() ? nlohmann::json::object() : BodyJson(response);
    if (!code.empty()) {
      EXPECT_EQ(problem.value("code", ""), code) << what << "\n" << response.body;
    }
    return problem;
  }

  // A policy document of supplier A, as evidence for a MUST answered met.
  std::string PolicyFile() {
    Headers headers = world_->As("supplier_a");
    headers.emplace_back("Content-Type", "application/pdf");
    const auto response = client_->Send(
        "POST", "/suppliers/" + world_->supplier_a() + "/evidence?filename=policy.pdf&kind=policy",
        headers, "an information security policy");
    EXPECT_EQ(response.status, 201) << response.body;
    return BodyJson(response).at("id");
  }

  // A story of supplier A told on this test's connection (assessments of SUPPLIER, which
  // applies to every profile).
  Story Tell() { return Story(*world_, *client_); }

  // The audit events of one entity as `who` sees them, oldest first.
  nlohmann::json Audit(const std::string& who, const std::string& entity, const std::string& id) {
    return Ok(who, "GET", "/audit?entity=" + entity + "&entity_id=" + id + "&limit=200")
        .at("items");
  }
  // The whole audit log as the admin sees it, every page.
  nlohmann::json WholeAudit() {
    nlohmann::json events = nlohmann::json::array();
    std::string cursor;
    do {
      const auto page =
          Ok("admin", "GET", "/audit?limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor));
      for (const auto& event : page.at("items")) events.push_back(event);
      cursor = page.at("next_cursor").is_null() ? "" : page.at("next_cursor").get<std::string>();
    } while (!cursor.empty());
    return events;
  }
  static std::multiset<std::string> ActionsOf(const nlohmann::json& events) {
    std::multiset<std::string> actions;
    for (const auto& event : events) actions.insert(event.at("action").get<std::string>());
    return actions;
  }
  static nlohmann::json LastEvent(const nlohmann::json& events, const std::string& action) {
    nlohmann::json found;
    for (const auto& event : events) {
      if (event.at("action") == action) found = event;
    }
    EXPECT_FALSE(found.is_null()) << "no " << action << " event";
    return found;
  }

  static World* world_;
  static std::map<std::string, std::string>* tokens_;
  static std::map<std::string, std::string>* user_ids_;  // of the assessors made here
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* DecisionsHttpTest::world_ = nullptr;
std::map<std::string, std::string>* DecisionsHttpTest::tokens_ = nullptr;
std::map<std::string, std::string>* DecisionsHttpTest::user_ids_ = nullptr;

// The story of issue #5, end to end: a query sends one response back, the supplier changes just
// that one, the second round reviews it, the approval carries a condition, and the condition is
// worked off as an action.
TEST_F(DecisionsHttpTest, QueryChangeResubmitApproveWithConditionAndWorkTheAction) {
  Story story = Tell().Service().Assessment("SUPPLIER").AnswerAll().Submit().Claim();
  const std::string id = story.id();
  const std::string path = "/assessments/" + id;
  const std::string assessor = Assessment(id).at("claimed_by");

  // Round one: SUP-01 is queried, the rest accepted.
  const auto queried =
      story.Query("SUP-01", "Which policy covers the annual self-assessment?").last();
  EXPECT_EQ(queried.at("review").at("verdict"), "query");
  EXPECT_EQ(queried.at("review").at("comment"), "Which policy covers the annual self-assessment?");
  EXPECT_EQ(queried.at("review").at("reviewed_by"), assessor);
  EXPECT_EQ(queried.at("review_history").size(), 1u);
  EXPECT_EQ(queried.at("answer"), "not_applicable") << "a verdict does not change the answer";
  story.AcceptAll({"SUP-01"});

  const auto changes = Ok("assessor", "POST", path + "/request-changes",
                          {{"summary", "Please answer SUP-01 properly."}});
  EXPECT_EQ(changes.at("state"), "changes_requested");
  EXPECT_EQ(changes.at("previous_assessor"), assessor);
  EXPECT_TRUE(changes.at("claimed_by").is_null());
  EXPECT_EQ(changes.at("changes_summary"), "Please answer SUP-01 properly.");
  for (const auto& response : changes.at("responses")) {
    EXPECT_EQ(response.at("open_for_changes"), response.at("requirement_id") == "SUP-01")
        << response.dump();
  }

  // The supplier may change the queried response, and only that one.
  const std::string policy = PolicyFile();
  story.Answer("SUP-01", Met({policy}));
  const auto locked = Refused("supplier_a", "PUT", path + "/responses/SUP-02",
                              {{"answer", "not_applicable"}, {"justification", "changed"}}, 409,
                              "response_locked", id);
  EXPECT_EQ(locked.value("requirement_id", ""), "SUP-02");
  EXPECT_EQ(ResponseOf(Assessment(id), "SUP-02").at("justification"), "n/a");

  // Resubmission: the changed response goes back for a fresh verdict, the history keeps the
  // query; accepted responses keep theirs.
  const auto resubmitted = Ok("supplier_a", "POST", path + "/submit");
  EXPECT_EQ(resubmitted.at("state"), "submitted");
  const auto& changed = ResponseOf(resubmitted, "SUP-01");
  EXPECT_TRUE(changed.at("review").is_null());
  EXPECT_FALSE(changed.at("open_for_changes"));
  ASSERT_EQ(changed.at("review_history").size(), 1u);
  EXPECT_EQ(changed.at("review_history")[0].at("verdict"), "query");
  EXPECT_EQ(changed.at("review_history")[0].at("comment"),
            "Which policy covers the annual self-assessment?");
  for (int i = 2; i <= 12; ++i) {
    EXPECT_EQ(ResponseOf(resubmitted, Requirement(i)).at("review").at("verdict"), "accepted")
        << Requirement(i);
  }

  // Round two: only SUP-01 needs a verdict; then approval with one condition.
  EXPECT_EQ(Ok("assessor", "POST", path + "/claim").at("state"), "in_review");
  EXPECT_EQ(story.Verdict("SUP-01", "accepted").last().at("review_history").size(), 2u);
  const std::string due = Day(30);
  const auto before = TodayUtc();
  const auto approved = Ok("assessor", "POST", path + "/approve",
                           {{"conditions",
                             {{{"requirement_id", "SUP-03"},
                               {"description", "Sign the data processing agreement"},
                               {"due_date", due}}}}});
  const auto after = TodayUtc();
  EXPECT_EQ(approved.at("state"), "approved");
  EXPECT_EQ(approved.at("decided_by"), assessor);
  EXPECT_FALSE(approved.at("decided_at").is_null());
  EXPECT_TRUE(approved.at("claimed_by").is_null());
  // Today may roll over at midnight during the request: either day's default is right.
  const std::set<std::string> defaults = {DefaultValidUntil(before), DefaultValidUntil(after)};
  EXPECT_TRUE(defaults.contains(approved.at("valid_until").get<std::string>()))
      << approved.at("valid_until");

  // The condition became an open action, which the supplier completes and an assessor verifies.
  const auto actions = Ok("assessor", "GET", "/actions?assessment=" + id).at("items");
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].at("requirement_id"), "SUP-03");
  EXPECT_EQ(actions[0].at("description"), "Sign the data processing agreement");
  EXPECT_EQ(actions[0].at("due_date"), due);
  EXPECT_EQ(actions[0].at("state"), "open");
  EXPECT_EQ(actions[0].at("assessment_id"), id);
  const std::string action = actions[0].at("id");
  EXPECT_EQ(Ok("supplier_a", "GET", "/actions?assessment=" + id).at("items").size(), 1u);
  const auto done = Ok("supplier_a", "POST", "/actions/" + action + "/complete",
                       {{"note", "Signed on the dotted line"}, {"evidence_ids", {policy}}});
  EXPECT_EQ(done.at("state"), "done");
  EXPECT_EQ(done.at("completion").at("note"), "Signed on the dotted line");
  const auto verified = Ok("assessor", "POST", "/actions/" + action + "/verify");
  EXPECT_EQ(verified.at("state"), "verified");
  EXPECT_EQ(verified.at("verified_by"), assessor);

  // Every step left its audit event.
  const auto events = Audit("admin", "assessment", id);
  const auto logged = ActionsOf(events);
  EXPECT_EQ(logged.count("response.answer"), 13u);
  EXPECT_EQ(logged.count("response.review"), 13u);
  EXPECT_EQ(logged.count("assessment.request_changes"), 1u);
  EXPECT_EQ(logged.count("assessment.submit"), 2u);
  EXPECT_EQ(logged.count("assessment.claim"), 2u);
  EXPECT_EQ(logged.count("assessment.approve"), 1u);
  const auto approval = LastEvent(events, "assessment.approve");
  EXPECT_EQ(approval.at("detail").at("valid_until"), approved.at("valid_until"));
  EXPECT_EQ(approval.at("detail").at("action_ids"), nlohmann::json::array({action}));
  EXPECT_TRUE(approval.at("detail").at("supersedes").is_null());
  EXPECT_EQ(LastEvent(events, "assessment.request_changes").at("detail").at("open_responses"),
            nlohmann::json::array({"SUP-01"}));
  const auto action_events = ActionsOf(Audit("admin", "action", action));
  EXPECT_EQ(action_events.count("action.complete"), 1u);
  EXPECT_EQ(action_events.count("action.verify"), 1u);
}

TEST_F(DecisionsHttpTest, VerdictRules) {
  const std::string id = Tell().Service().Assessment("SUPPLIER").AnswerAll().Submit().id();
  const std::string target = "/assessments/" + id + "/responses/SUP-02/review";
  const nlohmann::json accept = {{"verdict", "accepted"}};

  // Unclaimed: the lifecycle says claim first.
  const auto unclaimed = Refused("assessor", "PUT", target, accept, 409, "illegal_transition", id);
  EXPECT_EQ(unclaimed.value("current_state", ""), "submitted");
  EXPECT_EQ(unclaimed.value("allowed_actions", nlohmann::json()), nlohmann::json::array({"claim"}));

  ASSERT_EQ(Ok("assessor", "POST", "/assessments/" + id + "/claim").at("state"), "in_review");
  for (const std::string verdict : {"rejected", "query"}) {
    const auto problem =
        Refused("assessor", "PUT", target, {{"verdict", verdict}}, 422, "comment_required", id);
    EXPECT_TRUE(NamedPointers(problem).contains("/comment")) << problem.dump();
  }
  Refused("assessor2", "PUT", target, accept, 403, "not_claimant", id);
  Refused("conflicted", "PUT", target, accept, 403, "conflict_of_interest", id);
  Refused("assessor", "PUT", "/assessments/" + id + "/responses/SUP-99/review", accept, 404, "",
          id);
  // Supplier A may read the case but not review it; to supplier B it does not exist; the other
  // roles may not review.
  Refused("supplier_a", "PUT", target, accept, 403, "", id);
  Refused("supplier_b", "PUT", target, accept, 404, "", id);
  for (const std::string who : {"procurement", "risk_owner", "admin"}) {
    Refused(who, "PUT", target, accept, 403, "", id);
  }
  EXPECT_TRUE(ResponseOf(Assessment(id), "SUP-02").at("review").is_null());

  // If-Match takes the response's ETag: a verdict moves it, so the old one is stale.
  const std::string etag = ResponseOf(Assessment(id), "SUP-02").at("etag");
  const auto first = As("assessor", "PUT", target, {{"verdict", "query"}, {"comment", "why?"}},
                        {{"If-Match", etag}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.Header("etag"), etag);
  EXPECT_EQ(first.Header("etag"), BodyJson(first).at("etag").get<std::string>());
  Refused("assessor", "PUT", target, accept, 412, "precondition_failed", id, {{"If-Match", etag}});
  const auto stored = ResponseOf(Assessment(id), "SUP-02");
  EXPECT_EQ(stored.at("review").at("verdict"), "query");
  EXPECT_EQ(stored.at("review_history").size(), 1u);
  // With the current tag the verdict is replaced and appended to the history.
  const auto second =
      Ok("assessor", "PUT", target, accept, 200, {{"If-Match", *first.Header("etag")}});
  EXPECT_EQ(second.at("review").at("verdict"), "accepted");
  ASSERT_EQ(second.at("review_history").size(), 2u);
  EXPECT_EQ(second.at("review_history")[0].at("verdict"), "query");
  EXPECT_EQ(second.at("review_history")[1].at("verdict"), "accepted");
}

TEST_F(DecisionsHttpTest, AReopenedResponseNeedsAVerdictAgainAndOpensForChanges) {
  Story story = Tell().Service().Reviewed("SUPPLIER");
  const std::string id = story.id();
  const std::string path = "/assessments/" + id;
  Refused("assessor2", "POST", path + "/responses/SUP-04/reopen", nullptr, 403, "not_claimant", id);

  const auto reopened = Ok("assessor", "POST", path + "/responses/SUP-04/reopen");
  EXPECT_TRUE(reopened.at("review").is_null());
  EXPECT_TRUE(reopened.at("reopened"));
  ASSERT_EQ(reopened.at("review_history").size(), 1u);
  EXPECT_EQ(reopened.at("review_history")[0].at("verdict"), "accepted");

  const auto unreviewed = Refused("assessor", "POST", path + "/approve", nlohmann::json::object(),
                                  422, "review_incomplete", id);
  EXPECT_EQ(NamedRequirements(unreviewed), std::set<std::string>{"SUP-04"}) << unreviewed.dump();
  // A rejected MUST stands in the way of approval too.
  story.Verdict("SUP-05", "rejected", "The SAL acknowledgement is unsigned");
  const auto incomplete = Refused("assessor", "POST", path + "/approve", nlohmann::json::object(),
                                  422, "review_incomplete", id);
  EXPECT_EQ(NamedRequirements(incomplete), (std::set<std::string>{"SUP-04", "SUP-05"}))
      << incomplete.dump();

  // Requesting changes opens exactly the reopened and the rejected response.
  const auto changes =
      Ok("assessor", "POST", path + "/request-changes", {{"summary", "Redo SUP-04/05"}});
  EXPECT_EQ(changes.at("state"), "changes_requested");
  for (const auto& response : changes.at("responses")) {
    const bool open =
        response.at("requirement_id") == "SUP-04" || response.at("requirement_id") == "SUP-05";
    EXPECT_EQ(response.at("open_for_changes"), open) << response.dump();
    EXPECT_FALSE(response.at("reopened")) << "reopened belongs to the review round that ended";
  }
  story.Answer("SUP-04", NotApplicable("no SAL is needed"));
  story.Answer("SUP-05", NotApplicable("no SAL was issued"));
  Refused("supplier_a", "PUT", path + "/responses/SUP-06",
          {{"answer", "not_applicable"}, {"justification", "changed"}}, 409, "response_locked", id);
}

TEST_F(DecisionsHttpTest, RequestingChangesNeedsSomethingToChange) {
  Story story = Tell().Service().Assessment("SUPPLIER").AnswerAll().Submit().Claim();
  const std::string id = story.id();
  const std::string target = "/assessments/" + id + "/request-changes";
  // Nothing reviewed yet, then everything accepted: either way nothing is open for changes.
  Refused("assessor", "POST", target, {{"summary", "s"}}, 422, "nothing_to_change", id);
  story.AcceptAll();
  Refused("assessor", "POST", target, {{"summary", "s"}}, 422, "nothing_to_change", id);
  const auto stored = Assessment(id);
  EXPECT_EQ(stored.at("state"), "in_review");
  EXPECT_TRUE(stored.at("changes_summary").is_null());
  for (const auto& response : stored.at("responses")) EXPECT_FALSE(response.at("open_for_changes"));
}

// A MUST answered not_met must be covered by a condition or an exception; every refusal leaves
// the case as it was.
TEST_F(DecisionsHttpTest, ApprovalRules) {
  nlohmann::json partly = NotMet();
  partly["answer"] = "partially_met";
  partly["evidence_ids"] = {PolicyFile()};
  const std::string id =
      Tell().Service().Reviewed("SUPPLIER", {{"SUP-05", NotMet()}, {"SUP-07", partly}}).id();
  const std::string target = "/assessments/" + id + "/approve";

  const auto uncovered = Refused("assessor", "POST", target, nlohmann::json::object(), 422,
                                 "uncovered_requirements", id);
  EXPECT_EQ(NamedRequirements(uncovered), (std::set<std::string>{"SUP-05", "SUP-07"}))
      << uncovered.dump();
  // A condition covers SUP-07 only.
  const nlohmann::json sup07 = {
      {"requirement_id", "SUP-07"}, {"description", "certify the ISMS"}, {"due_date", Day(90)}};
  const auto still = Refused("assessor", "POST", target, {{"conditions", {sup07}}}, 422,
                             "uncovered_requirements", id);
  EXPECT_EQ(NamedRequirements(still), std::set<std::string>{"SUP-05"}) << still.dump();

  const nlohmann::json cover = {
      {{"requirement_id", "SUP-05"}, {"description", "put it in place"}, {"due_date", Day(30)}}};
  // Past the standard's review interval, today, and before today.
  const auto after_latest = AddDays(DefaultValidUntil(), 1);
  for (const std::string& valid_until : {after_latest, Day(0), Day(-1)}) {
    Refused("assessor", "POST", target, {{"valid_until", valid_until}, {"conditions", cover}}, 422,
            "invalid_valid_until", id);
  }
  // A condition due after valid_until, due today, or on a requirement the case does not have.
  const auto late =
      Refused("assessor", "POST", target,
              {{"valid_until", Day(20)},
               {"conditions",
                {{{"requirement_id", "SUP-05"}, {"description", "late"}, {"due_date", Day(21)}}}}},
              422, "invalid_condition", id);
  EXPECT_TRUE(NamedPointers(late).contains("/conditions/0/due_date")) << late.dump();
  Refused("assessor", "POST", target,
          {{"conditions",
            {{{"requirement_id", "SUP-05"}, {"description", "now"}, {"due_date", Day(0)}}}}},
          422, "invalid_condition", id);
  const auto unknown = Refused(
      "assessor", "POST", target,
      {{"conditions",
        {cover[0], {{"requirement_id", "SUP-99"}, {"description", "x"}, {"due_date", Day(30)}}}}},
      422, "invalid_condition", id);
  EXPECT_TRUE(NamedPointers(unknown).contains("/conditions/1/requirement_id")) << unknown.dump();
  EXPECT_TRUE(Ok("admin", "GET", "/actions?assessment=" + id).at("items").empty());

  // A risk owner's exception covers SUP-05 instead of a condition: one action, for SUP-07.
  const auto exception = Ok(
      "risk_owner", "POST", "/assessments/" + id + "/exceptions",
      {{"requirement_id", "SUP-05"}, {"reason", "accepted risk for now"}, {"expires_on", Day(30)}},
      201);
  EXPECT_TRUE(exception.at("active"));
  const auto approved = Ok("assessor", "POST", target, {{"conditions", {sup07}}});
  EXPECT_EQ(approved.at("state"), "approved");
  const auto actions = Ok("admin", "GET", "/actions?assessment=" + id).at("items");
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].at("requirement_id"), "SUP-07");
}

TEST_F(DecisionsHttpTest, AProfileChangedSinceScopingBlocksApproval) {
  const Story story = Tell().Service().Reviewed("SUPPLIER");
  const std::string service = story.service_id();
  const std::string id = story.id();
  const std::string scoped = Assessment(id).at("profile_hash");
  // SUPPLIER still applies, but the profile is no longer the one the case was scoped on.
  const auto patched = Ok("supplier_a", "PATCH", "/services/" + service,
                          {{"profile", Profile({.personal_data = true})}});
  ASSERT_NE(patched.at("profile_hash"), scoped);
  Refused("assessor", "POST", "/assessments/" + id + "/approve", nlohmann::json::object(), 409,
          "scope_changed", id);
  EXPECT_EQ(Assessment(id).at("state"), "in_review");
  // What counts is the profile itself: put back as it was, the case can be approved.
  const auto restored = Ok("supplier_a", "PATCH", "/services/" + service, {{"profile", Profile()}});
  ASSERT_EQ(restored.at("profile_hash"), scoped);
  EXPECT_EQ(Ok("assessor", "POST", "/assessments/" + id + "/approve", nlohmann::json::object())
                .at("state"),
            "approved");
}

TEST_F(DecisionsHttpTest, ASecondApprovalSupersedesTheFirst) {
  Story story = Tell().Service();
  const std::string first = story.Approved("SUPPLIER").id();
  const std::string second = story.Approved("SUPPLIER").id();
  EXPECT_EQ(Assessment(first).at("state"), "superseded");
  EXPECT_EQ(Assessment(second).at("state"), "approved");
  EXPECT_EQ(LastEvent(Audit("admin", "assessment", second), "assessment.approve")
                .at("detail")
                .at("supersedes"),
            first);
  // A superseded case is closed.
  const auto closed = Refused("assessor", "POST", "/assessments/" + first + "/suspend",
                              {{"reason", "r"}}, 409, "illegal_transition", first);
  EXPECT_EQ(closed.value("current_state", ""), "superseded");
}

TEST_F(DecisionsHttpTest, ARejectionIsFinal) {
  const std::string id = Tell()
                             .Service()
                             .Assessment("SUPPLIER")
                             .AnswerAll()
                             .Submit()
                             .Claim()
                             .Verdict("SUP-06", "rejected", "No vetting register")
                             .id();
  const std::string path = "/assessments/" + id;
  Refused("assessor2", "POST", path + "/reject", {{"reason", "r"}}, 403, "not_claimant", id);
  const auto rejected =
      Ok("assessor", "POST", path + "/reject", {{"reason", "Vetting is missing"}});
  EXPECT_EQ(rejected.at("state"), "rejected");
  EXPECT_EQ(rejected.at("decision_reason"), "Vetting is missing");
  EXPECT_FALSE(rejected.at("decided_by").is_null());
  EXPECT_FALSE(rejected.at("decided_at").is_null());
  EXPECT_TRUE(rejected.at("claimed_by").is_null());
  EXPECT_TRUE(rejected.at("valid_until").is_null());
  EXPECT_EQ(ActionsOf(Audit("admin", "assessment", id)).count("assessment.reject"), 1u);

  const std::vector<std::tuple<std::string, std::string, std::string, nlohmann::json>> moves = {
      {"assessor", "POST", path + "/approve", nlohmann::json::object()},
      {"assessor", "POST", path + "/reject", {{"reason", "again"}}},
      {"assessor", "POST", path + "/request-changes", {{"summary", "s"}}},
      {"assessor", "POST", path + "/claim", nullptr},
      {"assessor", "POST", path + "/suspend", {{"reason", "r"}}},
      {"assessor", "POST", path + "/lift", nullptr},
      {"assessor", "PUT", path + "/responses/SUP-01/review", {{"verdict", "accepted"}}},
      {"assessor", "POST", path + "/responses/SUP-01/reopen", nullptr},
      {"supplier_a", "POST", path + "/submit", nullptr},
      {"supplier_a", "POST", path + "/withdraw", nullptr},
      {"supplier_a",
       "PUT",
       path + "/responses/SUP-01",
       {{"answer", "not_applicable"}, {"justification", "again"}}},
  };
  for (const auto& [who, method, target, body] : moves) {
    const auto problem = Refused(who, method, target, body, 409, "illegal_transition", id);
    EXPECT_EQ(problem.value("current_state", ""), "rejected") << target;
    EXPECT_EQ(problem.value("allowed_actions", nlohmann::json()), nlohmann::json::array())
        << target;
  }
}

TEST_F(DecisionsHttpTest, SuspendAndLiftAnApproval) {
  const std::string in_review =
      Tell().Service().Assessment("SUPPLIER").AnswerAll().Submit().Claim().id();
  Refused("assessor", "POST", "/assessments/" + in_review + "/suspend", {{"reason", "r"}}, 409,
          "illegal_transition", in_review);

  const std::string id = Tell().Service().Approved("SUPPLIER").id();
  const std::string path = "/assessments/" + id;
  Refused("assessor", "POST", path + "/lift", nullptr, 409, "illegal_transition", id);
  Refused("conflicted", "POST", path + "/suspend", {{"reason", "r"}}, 403, "conflict_of_interest",
          id);
  Refused("risk_owner", "POST", path + "/suspend", {{"reason", "r"}}, 403, "", id);
  Refused("supplier_a", "POST", path + "/suspend", {{"reason", "r"}}, 403, "", id);

  // Any assessor without a conflict may suspend: the claim ended with the decision.
  const auto suspended =
      Ok("assessor2", "POST", path + "/suspend", {{"reason", "Breach reported"}});
  EXPECT_EQ(suspended.at("state"), "approved");
  EXPECT_TRUE(suspended.at("suspended"));
  EXPECT_EQ(suspended.at("suspension").at("reason"), "Breach reported");
  EXPECT_EQ(suspended.at("suspension").at("suspended_by"), user_ids_->at("assessor2"));
  EXPECT_FALSE(suspended.at("suspension").at("suspended_at").is_null());
  const auto twice = Refused("assessor", "POST", path + "/suspend", {{"reason", "again"}}, 409,
                             "illegal_transition", id);
  const auto allowed = twice.value("allowed_actions", nlohmann::json::array());
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), "lift"), allowed.end()) << twice.dump();
  EXPECT_EQ(std::find(allowed.begin(), allowed.end(), "suspend"), allowed.end()) << twice.dump();
  Refused("conflicted", "POST", path + "/lift", nullptr, 403, "conflict_of_interest", id);

  const auto lifted = Ok("assessor", "POST", path + "/lift");
  EXPECT_EQ(lifted.at("state"), "approved");
  EXPECT_FALSE(lifted.at("suspended"));
  EXPECT_TRUE(lifted.at("suspension").is_null());
  Refused("assessor", "POST", path + "/lift", nullptr, 409, "illegal_transition", id);
  const auto logged = ActionsOf(Audit("admin", "assessment", id));
  EXPECT_EQ(logged.count("assessment.suspend"), 1u);
  EXPECT_EQ(logged.count("assessment.lift"), 1u);
}

TEST_F(DecisionsHttpTest, ApprovalTakesTheAssessmentsETag) {
  Story story = Tell().Service().Assessment("SUPPLIER").AnswerAll().Submit().Claim();
  const std::string id = story.id();
  const std::string path = "/assessments/" + id;
  story.AcceptAll({"SUP-12"});
  const auto etag = *As("admin", "GET", path).Header("etag");
  // A comment is not a change to the assessment; a verdict is.
  Ok("assessor", "POST", path + "/comments", {{"body", "looks fine"}}, 201);
  EXPECT_EQ(As("admin", "GET", path).Header("etag"), etag);
  story.Verdict("SUP-12", "accepted");
  const auto current = *As("admin", "GET", path).Header("etag");
  EXPECT_NE(current, etag);
  Refused("assessor", "POST", path + "/approve", nlohmann::json::object(), 412,
          "precondition_failed", id, {{"If-Match", etag}});
  EXPECT_EQ(Assessment(id).at("state"), "in_review");
  // An earlier valid_until than the default is the assessor's to choose.
  const auto approved = As("assessor", "POST", path + "/approve", {{"valid_until", Day(100)}},
                           {{"If-Match", current}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(BodyJson(approved).at("state"), "approved");
  EXPECT_EQ(BodyJson(approved).at("valid_until"), Day(100));
  EXPECT_EQ(approved.Header("etag"),
            "\"" + std::to_string(BodyJson(approved).at("version").get<long long>()) + "\"");
}

TEST_F(DecisionsHttpTest, CommentsInternalAndPublic) {
  const std::string id = Tell().Service().Assessment("SUPPLIER").AnswerAll().Submit().Claim().id();
  const std::string target = "/assessments/" + id + "/comments";
  const std::string public_text = "public-comment-7f3a: we have attached the policy";
  const std::string internal_text = "internal-comment-9c1d: check their vetting register";

  const auto mine = Ok("supplier_a", "POST", target, {{"body", public_text}}, 201);
  EXPECT_FALSE(mine.at("internal"));
  EXPECT_EQ(mine.at("author_role"), "supplier");
  EXPECT_EQ(mine.at("assessment_id"), id);
  const auto note =
      Ok("assessor", "POST", target, {{"body", internal_text}, {"internal", true}}, 201);
  EXPECT_TRUE(note.at("internal"));
  EXPECT_EQ(note.at("author_role"), "assessor");

  // Only assessors mark a comment internal; procurement and other suppliers do not take part.
  Refused("supplier_a", "POST", target, {{"body", "x"}, {"internal", true}}, 403, "", id);
  Refused("risk_owner", "POST", target, {{"body", "x"}, {"internal", true}}, 403, "", id);
  Refused("procurement", "POST", target, {{"body", "x"}}, 403, "", id);
  Refused("supplier_b", "POST", target, {{"body", "x"}}, 404, "", id);

  const auto bodies = [&](const std::string& who) {
    std::vector<std::string> seen;
    const auto page = Ok(who, "GET", target);
    for (const auto& comment : page.at("items")) seen.push_back(comment.at("body"));
    return seen;
  };
  EXPECT_EQ(bodies("supplier_a"), std::vector<std::string>{public_text});
  for (const std::string who : {"assessor", "risk_owner", "admin"}) {
    EXPECT_EQ(bodies(who), (std::vector<std::string>{public_text, internal_text})) << who;
  }
  EXPECT_EQ(As("procurement", "GET", target).status, 403);
  EXPECT_EQ(As("supplier_b", "GET", target).status, 404);

  // The supplier's audit view hides the internal comment's event; no event carries comment text.
  const auto supplier_view = ActionsOf(Audit("supplier_a", "assessment", id));
  EXPECT_EQ(supplier_view.count("comment.add"), 1u);
  EXPECT_EQ(supplier_view.count("comment.add.internal"), 0u);
  const auto admin_events = Audit("admin", "assessment", id);
  EXPECT_EQ(ActionsOf(admin_events).count("comment.add"), 1u);
  EXPECT_EQ(ActionsOf(admin_events).count("comment.add.internal"), 1u);
  const auto everything = WholeAudit();
  EXPECT_GE(everything.size(), admin_events.size());
  for (const auto& event : everything) {
    const std::string text = event.dump();
    EXPECT_EQ(text.find("public-comment-7f3a"), std::string::npos) << text;
    EXPECT_EQ(text.find("internal-comment-9c1d"), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace coco::test
