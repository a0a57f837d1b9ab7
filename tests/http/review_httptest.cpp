#include <gtest/gtest.h>

#include <barrier>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

// Claims, the review queue and racing decisions over HTTP, on assessments of supplier A.
class ReviewHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World();
    tokens_ = new std::map<std::string, std::string>{
        {"assessor2", world_->NewToken("assessor", "second assessor")}, {"conflicted", ""}};
    // An assessor who declared a conflict with supplier A.
    (*tokens_)["conflicted"] =
        world_->NewHttpUser("conflicted", "assessor", {world_->supplier_a()}).token;
  }
  static void TearDownTestSuite() {
    delete tokens_;
    delete world_;
  }

  HttpResponse As(const std::string& who, const std::string& method, const std::string& target,
                  const nlohmann::json& body = nullptr, HttpClient* client = nullptr,
                  const std::string& if_match = "") {
    const std::string token = tokens_->contains(who) ? tokens_->at(who) : world_->Token(who);
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}};
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    if (!if_match.empty()) headers.emplace_back("If-Match", if_match);
    return (client ? client : client_.get())
        ->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }

  // A story of supplier A whose requests skip the contract check (other tests check these
  // endpoints' answers, and 50 rounds of checking them cost more than the rest of a test); the
  // requests under test keep it.
  Story Unchecked() { return Story(*world_, *unchecked_client_); }

  // A submitted SUPPLIER assessment of supplier A, answered N/A throughout (SUPPLIER
  // requirements are all MUST: N/A needs only a justification to submit).
  std::string Submitted() {
    return Unchecked().Service().Assessment("SUPPLIER").AnswerAll().Submit().id();
  }

  // A CRYPTOGRAPHY assessment (no HMG crypto, no PKI: 16 requirements, 3 of them SHOULD),
  // answered N/A throughout, submitted, claimed by "assessor", every response accepted except
  // the first SHOULD, which is queried. Both approve (a SHOULD query does not block it) and
  // request-changes (the query is something to change) would succeed on it alone.
  // Sets `should` to the queried requirement.
  std::string ReviewedWithAShouldQueried(std::string& should) {
    Story story = Unchecked().Service().Assessment("CRYPTOGRAPHY");
    EXPECT_EQ(story.Requirements().size(), 16u);
    story.AnswerAll().Submit().Claim();
    const auto shoulds = story.Requirements("SHOULD");
    should = shoulds.empty() ? "" : shoulds.front();
    EXPECT_FALSE(should.empty()) << "CRYPTOGRAPHY has no SHOULD in scope";
    if (!should.empty()) story.Query(should, "which library?");
    story.AcceptAll({should});
    return story.id();
  }

  static World* world_;
  static std::map<std::string, std::string>* tokens_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
  std::unique_ptr<HttpClient> unchecked_client_ =
      std::make_unique<HttpClient>(world_->server().port());
};

World* ReviewHttpTest::world_ = nullptr;
std::map<std::string, std::string>* ReviewHttpTest::tokens_ = nullptr;

// allowed_actions on the wire, per caller: the unit tests prove the list against the services
// in every state; this shows each caller reads its own, on the assessment and on each response.
TEST_F(ReviewHttpTest, EachCallerReadsTheActionsOpenToIt) {
  using nlohmann::json;
  auto read = [&](const std::string& who, const std::string& id) {
    const auto response = As(who, "GET", "/assessments/" + id);
    EXPECT_EQ(response.status, 200) << who;
    return BodyJson(response);
  };
  Story story = Unchecked().Service().Assessment("SUPPLIER");
  const std::string shortfall = story.Requirements("MUST").front();
  const auto draft = read("supplier_a", story.id());
  EXPECT_EQ(draft["allowed_actions"], json({"answer", "submit", "withdraw"}));
  EXPECT_EQ(draft["responses"][0]["allowed_actions"], json({"answer"}));
  for (const char* staff : {"assessor", "risk_owner", "admin"}) {
    const auto seen = read(staff, story.id());
    EXPECT_EQ(seen["allowed_actions"], json::array()) << staff;
    EXPECT_EQ(seen["responses"][0]["allowed_actions"], json::array()) << staff;
  }

  story.AnswerAll({{shortfall, NotMet()}}).Submit();
  EXPECT_EQ(read("supplier_a", story.id())["allowed_actions"], json::array());
  EXPECT_EQ(read("assessor", story.id())["allowed_actions"], json({"claim"}));
  EXPECT_EQ(read("conflicted", story.id())["allowed_actions"], json::array());
  // The risk owner may cover the MUST not met, and nothing else.
  const auto owners = read("risk_owner", story.id());
  for (const auto& response : owners["responses"]) {
    EXPECT_EQ(response["allowed_actions"],
              response["requirement_id"] == shortfall ? json({"add_exception"}) : json::array())
        << response["requirement_id"];
  }

  story.Claim();
  const auto mine = read("assessor", story.id());
  EXPECT_EQ(mine["allowed_actions"],
            json({"release", "review", "reopen", "request_changes", "approve", "reject"}));
  EXPECT_EQ(mine["responses"][0]["allowed_actions"], json({"review", "reopen"}));
  const auto theirs = read("assessor2", story.id());
  EXPECT_EQ(theirs["allowed_actions"], json::array());
  EXPECT_EQ(theirs["responses"][0]["allowed_actions"], json::array());

  // What a write returns is the writer's own view of the state it left.
  story.Query(shortfall, "which part?").RequestChanges("see the query");
  const auto changes = read("supplier_a", story.id());
  EXPECT_EQ(changes["allowed_actions"], json({"answer", "submit", "withdraw"}));
  for (const auto& response : changes["responses"]) {
    EXPECT_EQ(response["allowed_actions"],
              response["requirement_id"] == shortfall ? json({"answer"}) : json::array())
        << response["requirement_id"];
  }
  const auto withdrawn = As("supplier_a", "POST", "/assessments/" + story.id() + "/withdraw");
  ASSERT_EQ(withdrawn.status, 200);
  EXPECT_EQ(BodyJson(withdrawn)["allowed_actions"], json::array());
}

TEST_F(ReviewHttpTest, AnAssessorClaimsAndReleases) {
  const std::string id = Submitted();
  const auto claimed = As("assessor", "POST", "/assessments/" + id + "/claim");
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  EXPECT_EQ(BodyJson(claimed).at("state"), "in_review");
  EXPECT_FALSE(BodyJson(claimed).at("claimed_by").is_null());
  // Someone else cannot release it, nor claim it again.
  EXPECT_EQ(As("assessor2", "POST", "/assessments/" + id + "/release").status, 403);
  const auto again = As("assessor2", "POST", "/assessments/" + id + "/claim");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(BodyJson(again).at("code"), "already_claimed");
  EXPECT_EQ(BodyJson(again).at("claimed_by"), BodyJson(claimed).at("claimed_by"));
  const auto released = As("assessor", "POST", "/assessments/" + id + "/release");
  ASSERT_EQ(released.status, 200);
  EXPECT_EQ(BodyJson(released).at("state"), "submitted");
  EXPECT_TRUE(BodyJson(released).at("claimed_by").is_null());
}

TEST_F(ReviewHttpTest, OnlyAssessorsWithoutAConflictClaim) {
  const std::string id = Submitted();
  for (const std::string who : {"admin", "risk_owner", "procurement", "supplier_a"}) {
    EXPECT_EQ(As(who, "POST", "/assessments/" + id + "/claim").status, 403) << who;
  }
  EXPECT_EQ(As("supplier_b", "POST", "/assessments/" + id + "/claim").status, 404);
  const auto conflicted = As("conflicted", "POST", "/assessments/" + id + "/claim");
  EXPECT_EQ(conflicted.status, 403);
  EXPECT_EQ(BodyJson(conflicted).at("code"), "conflict_of_interest");
  // A draft cannot be claimed.
  const auto queue_before =
      BodyJson(As("assessor", "GET", "/review-queue?limit=200")).at("items").size();
  EXPECT_GT(queue_before, 0u);
}

TEST_F(ReviewHttpTest, TheQueueListsOldestSubmissionFirstForAssessorsAndAdmins) {
  const std::string first = Submitted();
  const std::string second = Submitted();
  const auto queue = BodyJson(As("assessor", "GET", "/review-queue?limit=200")).at("items");
  std::vector<std::string> ids;
  for (const auto& item : queue) {
    ids.push_back(item.at("id"));
    EXPECT_EQ(item.at("must_answered"), 12);
    EXPECT_EQ(item.at("must_not_met"), 0);
  }
  const auto a = std::find(ids.begin(), ids.end(), first);
  const auto b = std::find(ids.begin(), ids.end(), second);
  ASSERT_NE(a, ids.end());
  ASSERT_NE(b, ids.end());
  EXPECT_LT(a, b);
  EXPECT_EQ(As("admin", "GET", "/review-queue").status, 200);
  for (const std::string who : {"risk_owner", "procurement", "supplier_a"}) {
    EXPECT_EQ(As(who, "GET", "/review-queue").status, 403) << who;
  }
  EXPECT_EQ(As("assessor", "GET", "/review-queue?state=draft").status, 422);
  ASSERT_EQ(As("assessor", "POST", "/assessments/" + first + "/claim").status, 200);
  const auto in_review =
      BodyJson(As("assessor", "GET", "/review-queue?state=in_review&limit=200")).at("items");
  bool found = false;
  for (const auto& item : in_review) found = found || item.at("id") == first;
  EXPECT_TRUE(found);
}

// Two assessors claim the same assessment at the same moment, on separate connections, 50
// times: each time exactly one wins, the other is told who, and the stored state is the winner's.
TEST_F(ReviewHttpTest, TwoClaimsAtOnceHaveExactlyOneWinner) {
  for (int round = 0; round < 50; ++round) {
    const std::string id = Submitted();
    auto first = world_->Client();
    auto second = world_->Client();
    std::barrier start(2);
    HttpResponse a, b;
    std::thread one([&] {
      start.arrive_and_wait();
      a = As("assessor", "POST", "/assessments/" + id + "/claim", nullptr, first.get());
    });
    std::thread two([&] {
      start.arrive_and_wait();
      b = As("assessor2", "POST", "/assessments/" + id + "/claim", nullptr, second.get());
    });
    one.join();
    two.join();
    const int wins = (a.status == 200) + (b.status == 200);
    ASSERT_EQ(wins, 1) << "round " << round << ": " << a.status << " " << b.status;
    const HttpResponse& winner = a.status == 200 ? a : b;
    const HttpResponse& loser = a.status == 200 ? b : a;
    EXPECT_EQ(loser.status, 409);
    EXPECT_EQ(BodyJson(loser).at("code"), "already_claimed");
    EXPECT_EQ(BodyJson(loser).at("claimed_by"), BodyJson(winner).at("claimed_by"));
    const auto stored = BodyJson(As("admin", "GET", "/assessments/" + id));
    EXPECT_EQ(stored.at("state"), "in_review");
    EXPECT_EQ(stored.at("claimed_by"), BodyJson(winner).at("claimed_by"));
  }
}

// The claimant approves and requests changes at the same moment, on two connections, 50 times
// (each round a fresh assessment on which either move alone succeeds): exactly one wins, the
// other is refused, and what is stored — state, the open response, the audit trail — is the
// winner's alone. Even rounds send no If-Match, so only the lifecycle check under the lock can
// stop the loser (409 "illegal_transition"); odd rounds send the same current ETag on both, so
// the loser's is stale by the time it holds the lock (412 "precondition_failed").
TEST_F(ReviewHttpTest, ApproveAndRequestChangesAtOnceHaveExactlyOneWinner) {
  int approvals = 0;
  for (int round = 0; round < 50; ++round) {
    std::string should;
    const std::string id = ReviewedWithAShouldQueried(should);
    ASSERT_FALSE(HasFailure()) << "setup of round " << round;
    const bool with_if_match = round % 2 == 1;
    std::string etag;
    if (with_if_match) {
      const auto current =
          As("assessor", "GET", "/assessments/" + id, nullptr, unchecked_client_.get());
      ASSERT_TRUE(current.Header("etag").has_value());
      etag = *current.Header("etag");
    }
    auto first = world_->Client();
    auto second = world_->Client();
    std::barrier start(2);
    HttpResponse approve, request_changes;
    std::thread one([&] {
      start.arrive_and_wait();
      approve = As("assessor", "POST", "/assessments/" + id + "/approve", nlohmann::json::object(),
                   first.get(), etag);
    });
    std::thread two([&] {
      start.arrive_and_wait();
      request_changes = As("assessor", "POST", "/assessments/" + id + "/request-changes",
                           {{"summary", "say which library"}}, second.get(), etag);
    });
    one.join();
    two.join();
    const int wins = (approve.status == 200) + (request_changes.status == 200);
    ASSERT_EQ(wins, 1) << "round " << round << ": approve " << approve.status << " " << approve.body
                       << " / request-changes " << request_changes.status << " "
                       << request_changes.body;
    const bool approved = approve.status == 200;
    approvals += approved;
    const HttpResponse& winner = approved ? approve : request_changes;
    const HttpResponse& loser = approved ? request_changes : approve;
    const std::string state = approved ? "approved" : "changes_requested";
    if (with_if_match) {
      EXPECT_EQ(loser.status, 412) << "round " << round << ": " << loser.body;
      EXPECT_EQ(BodyJson(loser).at("code"), "precondition_failed") << loser.body;
    } else {
      EXPECT_EQ(loser.status, 409) << "round " << round << ": " << loser.body;
      EXPECT_EQ(BodyJson(loser).at("code"), "illegal_transition") << loser.body;
      EXPECT_EQ(BodyJson(loser).at("current_state"), state) << loser.body;
    }
    EXPECT_EQ(BodyJson(winner).at("state"), state);

    // (The racing answers were checked against the contract; these reads need not be again.)
    const auto stored =
        BodyJson(As("admin", "GET", "/assessments/" + id, nullptr, unchecked_client_.get()));
    EXPECT_EQ(stored.at("state"), state) << "round " << round;
    EXPECT_TRUE(stored.at("claimed_by").is_null());
    EXPECT_EQ(stored.at("decided_at").is_null(), !approved);
    EXPECT_EQ(stored.at("changes_summary").is_null(), approved);
    for (const auto& response : stored.at("responses")) {
      EXPECT_EQ(response.at("open_for_changes").get<bool>(),
                !approved && response.at("requirement_id") == should)
          << "round " << round << " " << response.dump();
    }
    EXPECT_EQ(BodyJson(winner).at("version"), stored.at("version"))
        << "nothing changed after the winner";
    const auto audit =
        BodyJson(As("admin", "GET", "/audit?entity=assessment&entity_id=" + id + "&limit=200",
                    nullptr, unchecked_client_.get()));
    int approve_events = 0, change_events = 0;
    for (const auto& event : audit.at("items")) {
      approve_events += event.at("action") == "assessment.approve";
      change_events += event.at("action") == "assessment.request_changes";
    }
    EXPECT_EQ(approve_events, approved ? 1 : 0) << "round " << round;
    EXPECT_EQ(change_events, approved ? 0 : 1) << "round " << round;
  }
  // Which one wins is up to the scheduler; both outcomes are checked above whenever they occur.
  RecordProperty("approvals_won", approvals);
}

}  // namespace
}  // namespace coco::test
