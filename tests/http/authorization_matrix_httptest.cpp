#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "tests/support/dates.hpp"
#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

// Every endpoint against every role, with objects owned by supplier A.
// The expected letters restate DESIGN.md §4 (not what the code happens to do):
//   Y allowed (any 2xx, or a 409/412/422 about the request itself, past authorisation)
//   N 403, H 404 (the object is another supplier's, or not revealed),
//   C 403 "conflict_of_interest" (the table's "(no conflict)").
// Columns: admin, assessor, risk_owner, procurement, supplier_a (own), supplier_b (other's),
// then an assessor and a risk owner who declared a conflict with supplier A. Rows of six
// letters (the supplier side) expect of the conflicted ones what they expect of their role: a
// conflict only refuses what the table marks "(no conflict)".
// `succeeds`: the row's objects are set up so that every allowed caller gets a 2xx, not just
// an answer past authorisation.
struct Case {
  std::string method;
  std::string path;
  nlohmann::json body;
  std::string expected;
  bool succeeds = false;
};

char Classify(const HttpResponse& response) {
  const int status = response.status;
  if (status == 401) return 'U';
  if (status == 403) {
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    const bool conflict = body.is_object() && body.value("code", "") == "conflict_of_interest";
    return conflict ? 'C' : 'N';
  }
  if (status == 404) return 'H';
  if ((status >= 200 && status < 300) || status == 400 || status == 409 || status == 412 ||
      status == 422) {
    return 'Y';
  }
  return '?';
}

// The world's cast plus an assessor and a risk owner who declared a conflict of interest with
// supplier A, and the setup steps the review-side rows need.
class Cast {
 public:
  Cast() {
    for (const auto& [persona, role] :
         {std::pair<std::string, std::string>{"assessor_conflicted", "assessor"},
          {"risk_owner_conflicted", "risk_owner"}}) {
      conflicted_[persona] = world_.NewHttpUser(persona, role, {world_.supplier_a()}).token;
    }
  }

  World& world() { return world_; }
  HttpClient& client() { return *client_; }
  std::string Token(const std::string& persona) const {
    return conflicted_.contains(persona) ? conflicted_.at(persona) : world_.Token(persona);
  }

  HttpResponse Send(const std::string& method, const std::string& path, const std::string& persona,
                    const nlohmann::json& body = nullptr) {
    Headers headers;
    if (!persona.empty()) headers.emplace_back("Authorization", "Bearer " + Token(persona));
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    return client_->Send(method, path, headers, body.is_null() ? "" : body.dump());
  }

  // A story of supplier A on a new service named "matrix ..." (so supplier B's answers can be
  // searched for A's data).
  Story Tell(const std::string& name) {
    return Story(world_, *client_).Service(Profile(), {{"name", "matrix " + name}});
  }

 private:
  World world_;
  std::unique_ptr<HttpClient> client_ = world_.Client();
  std::map<std::string, std::string> conflicted_;
};

TEST(AuthorizationMatrixHttpTest, EveryEndpointEveryRoleOwnAndOthers) {
  Cast cast;
  World& world = cast.world();
  HttpClient* client = &cast.client();
  auto send = [&](const std::string& method, const std::string& path, const std::string& token,
                  const nlohmann::json& body) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    return client->Send(method, path, headers, body.is_null() ? "" : body.dump());
  };
  const std::string a = world.supplier_a();
  const nlohmann::json profile = {
      {"classification", "OFFICIAL"}, {"connects_to_network", true},
      {"personal_data", false},       {"offshore", nlohmann::json::array()},
      {"hmg_crypto", false},          {"operates_pki", false}};
  // Supplier A's objects.
  const std::string service =
      BodyJson(send("POST", "/suppliers/" + a + "/services", world.Token("supplier_a"),
                    {{"name", "matrix"}, {"profile", profile}}))
          .at("id");
  const std::string assessment =
      BodyJson(send("POST", "/services/" + service + "/assessments", world.Token("supplier_a"),
                    {{"standard", "SUPPLIER"}}))
          .at("id");
  auto upload = client->Send("POST", "/suppliers/" + a + "/evidence?filename=m.pdf&kind=policy",
                             {{"Authorization", "Bearer " + world.Token("supplier_a")},
                              {"Content-Type", "application/pdf"}},
                             "matrix");
  ASSERT_EQ(upload.status, 201);
  const std::string evidence = BodyJson(upload).at("id");
  // A user of nobody in particular, with a token.
  const std::string user =
      BodyJson(send("POST", "/users", world.Token("admin"),
                    {{"name", "target"}, {"email", "t@example.org"}, {"role", "procurement"}}))
          .at("id");
  const std::string token_id =
      BodyJson(send("POST", "/tokens", world.Token("admin"), {{"user_id", user}, {"name", "t"}}))
          .at("id");

  // The review side's objects, each in the state its rows act on, so that the allowed callers
  // really succeed:
  //   claimable  submitted: claim, then release;
  //   reviewing  in review, every response accepted: a verdict, a reopening, comments, and a
  //              request for changes (which the reopening makes possible);
  //   deciding   in review, all accepted: approve, then suspend, then lift;
  //   rejecting  in review, all accepted: reject;
  //   decided    approved with SUP-01..03 not met: SUP-02 under an exception, SUP-01 and SUP-03
  //              under conditions (actions); a new exception for SUP-03, a revocation, and the
  //              action's complete, verify and reopen.
  std::string claimable, reviewing, deciding, rejecting, decided, action, exception;
  try {
    claimable = cast.Tell("claimable").Assessment("SUPPLIER").AnswerAll().Submit().id();
    reviewing = cast.Tell("reviewing").Reviewed("SUPPLIER").id();
    deciding = cast.Tell("deciding").Reviewed("SUPPLIER").id();
    rejecting = cast.Tell("rejecting").Reviewed("SUPPLIER").id();
    Story decision = cast.Tell("decided").Reviewed(
        "SUPPLIER", {{"SUP-01", NotMet()}, {"SUP-02", NotMet()}, {"SUP-03", NotMet()}});
    decided = decision.id();
    exception = decision.Exception("SUP-02", Day(90), "matrix exception").last().at("id");
    decision.Approve({{"conditions",
                       {Condition("SUP-01", Day(30), "matrix condition"),
                        Condition("SUP-03", Day(30), "matrix condition")}}});
  } catch (const std::exception& error) {
    FAIL() << error.what();
  }
  {
    const auto actions = cast.Send("GET", "/actions?assessment=" + decided, "assessor");
    ASSERT_EQ(actions.status, 200) << actions.body;
    ASSERT_EQ(BodyJson(actions).at("items").size(), 2u) << actions.body;
    action = BodyJson(actions).at("items").at(0).at("id");
  }

  // Webhooks: one of supplier A's user (with a test ping to retry), one of the admin's to delete.
  const nlohmann::json hook = {{"url", "https://hooks.example/coco"},
                               {"event_types", {"status.changed"}}};
  const auto own_hook = send("POST", "/webhooks", world.Token("supplier_a"), hook);
  ASSERT_EQ(own_hook.status, 201) << own_hook.body;
  const std::string webhook = BodyJson(own_hook).at("id");
  const auto ping =
      send("POST", "/webhooks/" + webhook + "/test", world.Token("supplier_a"), nullptr);
  ASSERT_EQ(ping.status, 202) << ping.body;
  const std::string delivery = BodyJson(ping).at("id");
  const std::string admin_hook =
      BodyJson(send("POST", "/webhooks", world.Token("admin"), hook)).at("id");

  const nlohmann::json answer = {{"answer", "not_applicable"}, {"justification", "n/a"}};
  const std::vector<Case> cases = {
      {"GET", "/suppliers", nullptr, "YYYYYY"},
      {"POST", "/suppliers", {{"name", "m"}, {"contact_email", "m@m.example"}}, "YNNNNN"},
      {"GET", "/suppliers/" + a, nullptr, "YYYYYH"},
      {"PATCH", "/suppliers/" + a, {{"contact_email", "sec@alpha.example"}}, "YNNNNH"},
      {"POST", "/suppliers/" + a + "/services", {{"name", "m"}, {"profile", profile}}, "YNNNYH"},
      {"GET", "/suppliers/" + a + "/services", nullptr, "YYYYYH"},
      {"GET", "/services/" + service, nullptr, "YYYYYH"},
      {"PATCH", "/services/" + service, {{"name", "matrix"}}, "YNNNYH"},
      {"GET", "/services/" + service + "/required-standards", nullptr, "YYYYYH"},
      {"POST", "/services/" + service + "/assessments", {{"standard", "SUPPLIER"}}, "NNNNYH"},
      {"GET", "/assessments", nullptr, "YYYNYY"},
      {"GET", "/assessments/" + assessment, nullptr, "YYYNYH"},
      {"PUT", "/assessments/" + assessment + "/responses/SUP-01", answer, "NNNNYH"},
      {"POST", "/assessments/" + assessment + "/submit", nullptr, "NNNNYH"},
      {"POST", "/suppliers/" + a + "/evidence", nullptr, "NNNNYH"},
      {"GET", "/suppliers/" + a + "/evidence", nullptr, "YYYNYH"},
      {"GET", "/evidence/" + evidence, nullptr, "YYYNYH"},
      {"GET", "/evidence/" + evidence + "/content", nullptr, "YYYNYH"},
      {"POST",
       "/users",
       {{"name", "x"}, {"email", "x@example.org"}, {"role", "procurement"}},
       "YNNNNN"},
      {"GET", "/users", nullptr, "YNNNNN"},
      {"GET", "/users/" + user, nullptr, "YNNNNN"},
      {"PATCH", "/users/" + user, {{"name", "target"}}, "YNNNNN"},
      {"POST", "/tokens", {{"user_id", user}, {"name", "x"}}, "YNNNNN"},
      {"GET", "/tokens", nullptr, "YYYYYY"},
      // "who am I": every role, itself.
      {"GET", "/me", nullptr, "YYYYYY", true},
      // Every role has an inbox, of its own work (tests/http/inbox_httptest.cpp shows whose).
      {"GET", "/me/inbox", nullptr, "YYYYYY", true},
      {"GET", "/audit", nullptr, "YYYNYY"},
      {"GET", "/audit/verify", nullptr, "YNNNNN"},
      {"DELETE", "/tokens/" + token_id, nullptr, "YHHHHH"},
      {"POST", "/users/" + user + "/disable", nullptr, "YNNNNN"},
      {"POST", "/assessments/" + assessment + "/withdraw", nullptr, "NNNNYH"},

      // The review side. Columns: admin, assessor, risk_owner, procurement, supplier_a,
      // supplier_b, conflicted assessor, conflicted risk owner.
      // "claim, review, reopen, request changes, approve, reject, suspend, verify actions":
      // assessors without a conflict only.
      {"POST", "/assessments/" + claimable + "/claim", nullptr, "NYNNNHCN", true},
      {"POST", "/assessments/" + claimable + "/release", nullptr, "NYNNNHCN", true},
      {"PUT",
       "/assessments/" + reviewing + "/responses/SUP-01/review",
       {{"verdict", "query"}, {"comment", "matrix why"}},
       "NYNNNHCN",
       true},
      {"POST", "/assessments/" + reviewing + "/responses/SUP-02/reopen", nullptr, "NYNNNHCN", true},
      // Comments: the supplier its own (public ones), assessors, risk owners, admins; not
      // procurement. The table puts no "(no conflict)" on comments.
      {"POST",
       "/assessments/" + reviewing + "/comments",
       {{"body", "matrix comment"}},
       "YYYNYHYY",
       true},
      {"GET", "/assessments/" + reviewing + "/comments", nullptr, "YYYNYHYY", true},
      {"POST",
       "/assessments/" + reviewing + "/request-changes",
       {{"summary", "matrix summary"}},
       "NYNNNHCN",
       true},
      {"POST", "/assessments/" + deciding + "/approve", nlohmann::json::object(), "NYNNNHCN", true},
      {"POST",
       "/assessments/" + deciding + "/suspend",
       {{"reason", "matrix reason"}},
       "NYNNNHCN",
       true},
      {"POST", "/assessments/" + deciding + "/lift", nullptr, "NYNNNHCN", true},
      {"POST",
       "/assessments/" + rejecting + "/reject",
       {{"reason", "matrix reason"}},
       "NYNNNHCN",
       true},
      // "create/edit services, triggers": the supplier, admins, and assessors (triggers only);
      // reading them is reading the service.
      {"POST",
       "/services/" + service + "/triggers",
       {{"kind", "incident"}, {"occurred_on", Day(-1)}, {"note", "matrix trigger"}},
       "YYNNYHYN",
       true},
      {"GET", "/services/" + service + "/triggers", nullptr, "YYYYYHYY", true},
      // "read assessments, evidence metadata, actions": not procurement; a supplier's listing
      // holds its own only.
      {"GET", "/actions", nullptr, "YYYNYYYY", true},
      {"GET", "/actions?supplier=" + a, nullptr, "YYYNYYYY", true},
      {"GET", "/actions/" + action, nullptr, "YYYNYHYY", true},
      // "complete actions": the supplier only; "verify actions": assessors without a conflict.
      {"POST", "/actions/" + action + "/complete", {{"note", "matrix done"}}, "NNNNYHNN", true},
      {"POST", "/actions/" + action + "/verify", nullptr, "NYNNNHCN", true},
      {"POST", "/actions/" + action + "/reopen", {{"reason", "matrix again"}}, "NYNNNHCN", true},
      // "add/revoke exceptions": risk owners without a conflict; reading them is reading the
      // assessment.
      {"POST",
       "/assessments/" + decided + "/exceptions",
       {{"requirement_id", "SUP-03"}, {"reason", "matrix exception"}, {"expires_on", Day(90)}},
       "NNYNNHNC",
       true},
      {"GET", "/assessments/" + decided + "/exceptions", nullptr, "YYYNYHYY", true},
      {"GET", "/suppliers/" + a + "/exceptions", nullptr, "YYYNYHYY", true},
      // Across suppliers: a supplier's listing holds its own only (another's filter: empty).
      {"GET", "/exceptions", nullptr, "YYYNYYYY", true},
      {"GET", "/exceptions?supplier=" + a + "&state=active", nullptr, "YYYNYYYY", true},
      {"POST", "/exceptions/" + exception + "/revoke", nullptr, "NNYNNHNC", true},
      // "status, portfolio, attestation": everyone reads a supplier's status but another
      // supplier's users; the portfolio is staff's. The status's history and the feeds are read
      // as the status is; a supplier user's feeds hold its own supplier's rows only
      // (status_history_httptest.cpp).
      {"GET", "/suppliers/" + a + "/status", nullptr, "YYYYYH", true},
      {"GET", "/suppliers/" + a + "/status?at=2199-01-01T00:00:00Z", nullptr, "YYYYYH", true},
      {"GET", "/suppliers/" + a + "/status/history", nullptr, "YYYYYH", true},
      {"GET", "/suppliers/" + a + "/attestation", nullptr, "YYYYYH", true},
      {"GET", "/status", nullptr, "YYYYNN", true},
      {"GET", "/status/changes", nullptr, "YYYYYY", true},
      {"GET", "/events", nullptr, "YYYYYY", true},
      // Webhooks: anyone subscribes to what it may read; a subscription is its owner's (and the
      // admins'), hidden from everyone else.
      {"POST", "/webhooks", hook, "YYYYYY", true},
      {"GET", "/webhooks", nullptr, "YYYYYY", true},
      {"GET", "/webhooks/" + webhook, nullptr, "YHHHYH", true},
      {"PATCH", "/webhooks/" + webhook, {{"description", "described"}}, "YHHHYH", true},
      {"GET", "/webhooks/" + webhook + "/deliveries", nullptr, "YHHHYH", true},
      {"POST", "/webhooks/" + webhook + "/deliveries/" + delivery + "/retry", nullptr, "YHHHYH",
       true},
      {"POST", "/webhooks/" + webhook + "/test", nullptr, "YHHHYH", true},
      {"DELETE", "/webhooks/" + admin_hook, nullptr, "YHHHHH", true},
  };
  // The conflicted ones first: with the other refusals before the allowed callers, the allowed
  // ones act on objects no earlier request changed.
  const std::vector<std::string> personas = {
      "assessor_conflicted", "risk_owner_conflicted", "admin",      "assessor",
      "risk_owner",          "procurement",           "supplier_b", "supplier_a"};
  const std::map<std::string, std::size_t> column = {{"admin", 0},
                                                     {"assessor", 1},
                                                     {"risk_owner", 2},
                                                     {"procurement", 3},
                                                     {"supplier_a", 4},
                                                     {"supplier_b", 5},
                                                     {"assessor_conflicted", 6},
                                                     {"risk_owner_conflicted", 7}};
  for (const auto& test : cases) {
    ASSERT_TRUE(test.expected.size() == 6 || test.expected.size() == 8) << test.path;
    // Six letters: a conflict changes nothing, the conflicted ones answer as their role.
    const std::string expectations = test.expected.size() == 8
                                         ? test.expected
                                         : test.expected + test.expected[column.at("assessor")] +
                                               test.expected[column.at("risk_owner")];
    EXPECT_EQ(Classify(send(test.method, test.path, "", test.body)), 'U')
        << test.method << " " << test.path << " without a token";
    for (const auto& persona : personas) {
      const char expected = expectations[column.at(persona)];
      const auto response = send(test.method, test.path, cast.Token(persona), test.body);
      EXPECT_EQ(Classify(response), expected)
          << test.method << " " << test.path << " as " << persona << " -> " << response.status
          << " " << response.body;
      if (test.succeeds && expected == 'Y') {
        EXPECT_TRUE(response.status >= 200 && response.status < 300)
            << test.method << " " << test.path << " as " << persona << " should succeed -> "
            << response.status << " " << response.body;
      }
      // Refused callers are refused before their input is read: a malformed body changes nothing.
      // (POST /tokens is the exception by nature: whose token it is — yours or someone else's —
      // is in the body, so an unreadable body cannot be authorised either way and is a 422.)
      if ((expected == 'N' || expected == 'H' || expected == 'C') && !test.body.is_null() &&
          test.path != "/tokens") {
        const auto malformed = send(test.method, test.path, cast.Token(persona), {{"surprise", 1}});
        EXPECT_EQ(Classify(malformed), expected)
            << test.method << " " << test.path << " as " << persona << " with a bad body -> "
            << malformed.status;
      }
      if (persona == "supplier_b") {
        EXPECT_EQ(response.body.find("matrix"), std::string::npos) << "supplier B saw A's data";
      }
    }
  }

  // The allowed calls took effect, and only theirs.
  auto state = [&](const std::string& id) {
    return BodyJson(cast.Send("GET", "/assessments/" + id, "admin"));
  };
  EXPECT_EQ(state(claimable).at("state"), "submitted");
  EXPECT_EQ(state(reviewing).at("state"), "changes_requested");
  EXPECT_EQ(state(deciding).at("state"), "approved");
  EXPECT_EQ(state(deciding).at("suspended"), false);
  EXPECT_EQ(state(rejecting).at("state"), "rejected");
  const auto comments =
      BodyJson(cast.Send("GET", "/assessments/" + reviewing + "/comments?limit=200", "admin"));
  EXPECT_EQ(comments.at("items").size(), 6u)
      << "admin, both assessors, both risk owners and supplier A";
  const auto stored_action = BodyJson(cast.Send("GET", "/actions/" + action, "admin"));
  EXPECT_EQ(stored_action.at("state"), "open");
  EXPECT_EQ(stored_action.at("reopen_reason"), "matrix again");
  const auto exceptions =
      BodyJson(cast.Send("GET", "/assessments/" + decided + "/exceptions", "admin"));
  ASSERT_EQ(exceptions.at("items").size(), 2u);
  for (const auto& item : exceptions.at("items")) {
    EXPECT_EQ(item.at("active"), item.at("requirement_id") == "SUP-03") << item.dump();
  }
}

// DESIGN.md §4: the supplier sees public comments only, "in the list or in the audit view"; only
// assessors mark a comment internal; comment text never goes into the audit trail.
TEST(AuthorizationMatrixHttpTest, SuppliersNeverSeeInternalComments) {
  Cast cast;
  std::string id;
  try {
    id = cast.Tell("comments").Assessment("SUPPLIER").AnswerAll().Submit().id();
  } catch (const std::exception& error) {
    FAIL() << error.what();
  }
  const std::string path = "/assessments/" + id + "/comments";
  const auto internal = cast.Send("POST", path, "assessor",
                                  {{"body", "internal: supplier looks shaky"}, {"internal", true}});
  ASSERT_EQ(internal.status, 201) << internal.body;
  EXPECT_EQ(BodyJson(internal).at("internal"), true);
  const auto open = cast.Send("POST", path, "assessor", {{"body", "please attach the policy"}});
  ASSERT_EQ(open.status, 201) << open.body;
  EXPECT_EQ(BodyJson(open).at("internal"), false);
  const auto reply = cast.Send("POST", path, "supplier_a", {{"body", "attached"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  // Only assessors mark a comment internal.
  for (const std::string who : {"admin", "risk_owner", "supplier_a"}) {
    const auto refused = cast.Send("POST", path, who, {{"body", "hidden?"}, {"internal", true}});
    EXPECT_EQ(refused.status, 403) << who << " " << refused.body;
  }

  auto ids = [](const HttpResponse& response) {
    std::vector<std::string> found;
    const auto page = BodyJson(response);
    for (const auto& item : page.at("items")) found.push_back(item.at("id"));
    return found;
  };
  const std::string internal_id = BodyJson(internal).at("id");
  const std::vector<std::string> everything = {internal_id, BodyJson(open).at("id"),
                                               BodyJson(reply).at("id")};
  const std::vector<std::string> public_only = {BodyJson(open).at("id"), BodyJson(reply).at("id")};
  for (const std::string who : {"assessor", "risk_owner", "admin", "assessor_conflicted"}) {
    const auto listed = cast.Send("GET", path + "?limit=200", who);
    ASSERT_EQ(listed.status, 200) << who;
    EXPECT_EQ(ids(listed), everything) << who;
  }
  const auto supplier_view = cast.Send("GET", path + "?limit=200", "supplier_a");
  ASSERT_EQ(supplier_view.status, 200);
  EXPECT_EQ(ids(supplier_view), public_only);
  EXPECT_EQ(supplier_view.body.find("shaky"), std::string::npos);
  // Paging the supplier's list one by one does not reveal it either.
  std::vector<std::string> paged;
  std::string next = path + "?limit=1";
  for (int page = 0; page < 10 && !next.empty(); ++page) {
    const auto response = cast.Send("GET", next, "supplier_a");
    ASSERT_EQ(response.status, 200) << response.body;
    for (const auto& found : ids(response)) paged.push_back(found);
    const auto cursor = BodyJson(response).at("next_cursor");
    next = cursor.is_null() ? "" : path + "?limit=1&cursor=" + cursor.get<std::string>();
  }
  EXPECT_EQ(paged, public_only);

  // The audit view: staff see the internal comment's event, the supplier does not, and nobody
  // sees comment text in it.
  auto actions = [&](const std::string& who) {
    const auto audit =
        cast.Send("GET", "/audit?entity=assessment&entity_id=" + id + "&limit=200", who);
    EXPECT_EQ(audit.status, 200) << who << " " << audit.body;
    EXPECT_EQ(audit.body.find("shaky"), std::string::npos) << who;
    EXPECT_EQ(audit.body.find("attach the policy"), std::string::npos) << who;
    std::vector<std::string> names;
    const auto page = BodyJson(audit);
    for (const auto& event : page.at("items")) names.push_back(event.at("action"));
    return names;
  };
  auto count = [](const std::vector<std::string>& names, const std::string& name) {
    return std::count(names.begin(), names.end(), name);
  };
  for (const std::string who : {"assessor", "risk_owner", "admin"}) {
    const auto names = actions(who);
    EXPECT_EQ(count(names, "comment.add.internal"), 1) << who;
    EXPECT_EQ(count(names, "comment.add"), 2) << who;
  }
  const auto supplier_audit =
      cast.Send("GET", "/audit?entity=assessment&entity_id=" + id + "&limit=200", "supplier_a");
  ASSERT_EQ(supplier_audit.status, 200) << supplier_audit.body;
  EXPECT_EQ(supplier_audit.body.find(internal_id), std::string::npos)
      << "the internal comment's id leaked";
  const auto supplier_names = actions("supplier_a");
  EXPECT_EQ(count(supplier_names, "comment.add.internal"), 0);
  EXPECT_EQ(count(supplier_names, "comment.add"), 2);
  // Nor in the unfiltered audit view.
  const auto all = cast.Send("GET", "/audit?limit=200", "supplier_a");
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.body.find("comment.add.internal"), std::string::npos);
  EXPECT_EQ(all.body.find(internal_id), std::string::npos);
  // Supplier B sees neither the thread nor its events.
  EXPECT_EQ(cast.Send("GET", path, "supplier_b").status, 404);
  EXPECT_EQ(cast.Send("GET", "/audit?entity=assessment&entity_id=" + id, "supplier_b")
                .body.find("comment"),
            std::string::npos);
}

}  // namespace
}  // namespace coco::test
