#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "tests/support/world.hpp"

namespace coco::test {
namespace {

nlohmann::json UkProfile() {
  return {{"classification", "OFFICIAL"}, {"connects_to_network", true},
          {"personal_data", true},        {"offshore", nlohmann::json::array()},
          {"hmg_crypto", false},          {"operates_pki", false}};
}

const std::vector<std::string> kKinds = {"pen_test_report",
                                         "it_health_check",
                                         "iso27001_certificate",
                                         "cyber_essentials_certificate",
                                         "cyber_essentials_plus_certificate",
                                         "policy",
                                         "network_diagram",
                                         "tls_scan",
                                         "signed_code_of_connection",
                                         "siro_approval",
                                         "dpia",
                                         "other"};

class AssessmentsHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new World(); }
  static void TearDownTestSuite() { delete world_; }

  HttpResponse Send(const std::string& method, const std::string& target, const std::string& who,
                    const nlohmann::json& body = nullptr,
                    std::vector<std::pair<std::string, std::string>> extra = {}) {
    const bool token = who.rfind("coco_", 0) == 0;
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + (token ? who : world_->Token(who))}};
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    headers.insert(headers.end(), extra.begin(), extra.end());
    return client_->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }
  std::string NewService(const std::string& who, const std::string& supplier) {
    const auto response = Send("POST", "/suppliers/" + supplier + "/services", who,
                               {{"name", "svc"}, {"profile", UkProfile()}});
    EXPECT_EQ(response.status, 201) << response.body;
    return BodyJson(response).at("id");
  }
  std::string Start(const std::string& who, const std::string& service,
                    const std::string& standard) {
    const auto response =
        Send("POST", "/services/" + service + "/assessments", who, {{"standard", standard}});
    EXPECT_EQ(response.status, 201) << response.body;
    return BodyJson(response).at("id");
  }
  std::string UploadEvidence(const std::string& who, const std::string& supplier,
                             const std::string& kind) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + (who.rfind("coco_", 0) == 0 ? who : world_->Token(who))},
        {"Content-Type", "application/pdf"}};
    const auto response = client_->Send(
        "POST", "/suppliers/" + supplier + "/evidence?filename=" + kind + ".pdf&kind=" + kind,
        headers, "%PDF-1.7 " + kind);
    EXPECT_EQ(response.status, 201) << response.body;
    return BodyJson(response).at("id");
  }

  static World* world_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* AssessmentsHttpTest::world_ = nullptr;

// The supplier story of the issue, end to end over HTTP.
TEST_F(AssessmentsHttpTest, TheSupplierStory) {
  // An admin creates two suppliers and their users.
  std::map<std::string, std::string> supplier;
  std::map<std::string, std::string> token;
  for (const std::string name : {"north", "south"}) {
    const auto created = Send("POST", "/suppliers", "admin",
                              {{"name", name}, {"contact_email", "security@" + name + ".example"}});
    ASSERT_EQ(created.status, 201);
    supplier[name] = BodyJson(created).at("id");
    const auto user = Send("POST", "/users", "admin",
                           {{"name", name + " lead"},
                            {"email", "lead@" + name + ".example"},
                            {"role", "supplier"},
                            {"supplier_id", supplier[name]}});
    ASSERT_EQ(user.status, 201) << user.body;
    const auto issued = Send("POST", "/tokens", "admin",
                             {{"user_id", BodyJson(user).at("id")}, {"name", "laptop"}});
    ASSERT_EQ(issued.status, 201);
    token[name] = BodyJson(issued).at("secret");
  }
  // Supplier north describes a service and starts a COCO assessment.
  const std::string service = NewService(token["north"], supplier["north"]);
  const auto started =
      Send("POST", "/services/" + service + "/assessments", token["north"], {{"standard", "COCO"}});
  ASSERT_EQ(started.status, 201) << started.body;
  const auto assessment = BodyJson(started);
  const std::string id = assessment.at("id");
  EXPECT_EQ(assessment.at("state"), "draft");
  EXPECT_EQ(assessment.at("standard_version"), "1.0");
  EXPECT_EQ(assessment.at("responses").size(), 37u);
  EXPECT_EQ(assessment.at("progress").at("must_total"), 24);
  EXPECT_EQ(assessment.at("progress").at("answered"), 0);

  // It uploads evidence, one file of every kind.
  std::map<std::string, std::string> file;
  for (const auto& kind : kKinds)
    file[kind] = UploadEvidence(token["north"], supplier["north"], kind);

  // A first, careless pass: answers with gaps.
  const auto requirements =
      BodyJson(Send("GET", "/standards/COCO/requirements", token["north"])).at("items");
  std::map<std::string, nlohmann::json> by_id;
  for (const auto& requirement : requirements) by_id[requirement.at("id")] = requirement;
  auto answer = [&](const std::string& requirement, const nlohmann::json& body) {
    const auto response =
        Send("PUT", "/assessments/" + id + "/responses/" + requirement, token["north"], body);
    EXPECT_EQ(response.status, 200) << requirement << " " << response.body;
    return response;
  };
  answer("COCO-01", {{"answer", "met"}});            // no evidence
  answer("COCO-02", {{"answer", "partially_met"}});  // no justification, no plan
  answer("COCO-03",
         {{"answer", "not_met"},
          {"justification", "not yet"},
          {"remediation", {{"plan", "do it"}, {"due_date", "2020-01-01"}}}});  // plan overdue
  answer("COCO-05", {{"answer", "met"}, {"evidence_ids", {file["dpia"]}}});    // wrong kind
  // Everything else left unanswered.
  const auto refused = Send("POST", "/assessments/" + id + "/submit", token["north"]);
  ASSERT_EQ(refused.status, 422) << refused.body;
  const auto problems = BodyJson(refused);
  EXPECT_EQ(problems.at("code"), "assessment_incomplete");
  std::map<std::string, std::set<std::string>> codes;
  for (const auto& error : problems.at("errors"))
    codes[error.at("requirement_id")].insert(error.at("code"));
  EXPECT_TRUE(codes["COCO-01"].contains("evidence_required"));
  EXPECT_TRUE(codes["COCO-02"].contains("justification_required"));
  EXPECT_TRUE(codes["COCO-02"].contains("remediation_required"));
  EXPECT_TRUE(codes["COCO-03"].contains("remediation_due_past"));
  EXPECT_TRUE(codes["COCO-05"].contains("evidence_required"));
  EXPECT_TRUE(codes["COCO-04"].contains("unanswered"));
  int unanswered = 0;
  for (const auto& [requirement, set] : codes) unanswered += set.contains("unanswered");
  EXPECT_EQ(unanswered, 24 - 4);  // every unanswered MUST, and only MUSTs
  EXPECT_EQ(BodyJson(Send("GET", "/assessments/" + id, token["north"])).at("state"), "draft");

  // The supplier fixes everything and submits.
  for (const auto& [requirement_id, requirement] : by_id) {
    if (requirement.at("level") == "MUST") {
      const auto& kinds = requirement.at("evidence_kinds");
      nlohmann::json files = nlohmann::json::array();
      if (!kinds.empty()) files.push_back(file[kinds[0].get<std::string>()]);
      answer(requirement_id, {{"answer", "met"}, {"evidence_ids", files}});
    } else {
      answer(requirement_id, {{"answer", "not_applicable"}, {"justification", "out of scope"}});
    }
  }
  answer("COCO-02", {{"answer", "partially_met"},
                     {"justification", "approval pending"},
                     {"evidence_ids", {file["signed_code_of_connection"]}},
                     {"remediation", {{"plan", "obtain approval"}, {"due_date", "2099-12-31"}}}});
  const auto submitted = Send("POST", "/assessments/" + id + "/submit", token["north"]);
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(BodyJson(submitted).at("state"), "submitted");
  EXPECT_FALSE(BodyJson(submitted).at("submitted_at").is_null());
  EXPECT_EQ(BodyJson(submitted).at("progress").at("answered"), 37);

  // Supplier south never sees any of it.
  EXPECT_EQ(Send("GET", "/assessments/" + id, token["south"]).status, 404);
  EXPECT_EQ(Send("GET", "/evidence/" + file["policy"], token["south"]).status, 404);
  EXPECT_EQ(Send("GET", "/services/" + service, token["south"]).status, 404);
  EXPECT_TRUE(BodyJson(Send("GET", "/assessments", token["south"])).at("items").empty());
}

TEST_F(AssessmentsHttpTest, OneOpenAssessmentPerServiceAndStandardOnlyWhereItApplies) {
  const std::string service = NewService("supplier_a", world_->supplier_a());
  const std::string first = Start("supplier_a", service, "SUPPLIER");
  const auto again = Send("POST", "/services/" + service + "/assessments", "supplier_a",
                          {{"standard", "SUPPLIER"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(BodyJson(again).at("code"), "assessment_open");
  const auto offshore = Send("POST", "/services/" + service + "/assessments", "supplier_a",
                             {{"standard", "OFFSHORING"}});
  EXPECT_EQ(offshore.status, 422);
  EXPECT_EQ(BodyJson(offshore).at("code"), "standard_not_applicable");
  // Withdrawing frees the slot.
  const auto withdrawn = Send("POST", "/assessments/" + first + "/withdraw", "supplier_a");
  ASSERT_EQ(withdrawn.status, 200);
  EXPECT_EQ(BodyJson(withdrawn).at("state"), "withdrawn");
  Start("supplier_a", service, "SUPPLIER");
}

TEST_F(AssessmentsHttpTest, IllegalTransitionsSayWhereTheAssessmentIs) {
  const std::string service = NewService("supplier_a", world_->supplier_a());
  const std::string id = Start("supplier_a", service, "CRYPTOGRAPHY");
  ASSERT_EQ(Send("POST", "/assessments/" + id + "/withdraw", "supplier_a").status, 200);
  for (const auto& [method, target, body] :
       std::vector<std::tuple<std::string, std::string, nlohmann::json>>{
           {"POST", "/assessments/" + id + "/submit", nullptr},
           {"POST", "/assessments/" + id + "/withdraw", nullptr},
           {"PUT",
            "/assessments/" + id + "/responses/CRYPTO-01",
            {{"answer", "not_applicable"}, {"justification", "x"}}}}) {
    const auto response = Send(method, target, "supplier_a", body);
    EXPECT_EQ(response.status, 409) << target;
    const auto problem = BodyJson(response);
    EXPECT_EQ(problem.at("code"), "illegal_transition");
    EXPECT_EQ(problem.at("current_state"), "withdrawn");
    EXPECT_TRUE(problem.at("allowed_actions").empty());
  }
}

TEST_F(AssessmentsHttpTest, WhoMayDoWhatWithAssessments) {
  const std::string service = NewService("supplier_a", world_->supplier_a());
  for (const std::string persona : {"admin", "assessor", "risk_owner", "procurement"}) {
    EXPECT_EQ(
        Send("POST", "/services/" + service + "/assessments", persona, {{"standard", "SUPPLIER"}})
            .status,
        403)
        << persona;
  }
  EXPECT_EQ(Send("POST", "/services/" + service + "/assessments", "supplier_b",
                 {{"standard", "SUPPLIER"}})
                .status,
            404);
  const std::string id = Start("supplier_a", service, "SUPPLIER");
  const std::map<std::string, int> read = {{"admin", 200},      {"assessor", 200},
                                           {"risk_owner", 200}, {"procurement", 403},
                                           {"supplier_a", 200}, {"supplier_b", 404}};
  const nlohmann::json body = {{"answer", "not_applicable"}, {"justification", "n/a"}};
  const std::map<std::string, int> write = {{"admin", 403},
                                            {"assessor", 403},
                                            {"risk_owner", 403},
                                            {"procurement", 403},
                                            {"supplier_b", 404}};
  for (const auto& [persona, status] : read) {
    EXPECT_EQ(Send("GET", "/assessments/" + id, persona).status, status) << persona;
  }
  EXPECT_EQ(Send("GET", "/assessments", "procurement").status, 403);
  for (const auto& [persona, status] : write) {
    EXPECT_EQ(Send("PUT", "/assessments/" + id + "/responses/SUP-01", persona, body).status, status)
        << persona;
    EXPECT_EQ(Send("POST", "/assessments/" + id + "/submit", persona).status, status) << persona;
    EXPECT_EQ(Send("POST", "/assessments/" + id + "/withdraw", persona).status, status) << persona;
  }
}

TEST_F(AssessmentsHttpTest, ResponsesHaveTheirOwnEtagsAndOnlyTheSuppliersEvidence) {
  const std::string service = NewService("supplier_a", world_->supplier_a());
  const std::string id = Start("supplier_a", service, "SUPPLIER");
  const std::string target = "/assessments/" + id + "/responses/SUP-03";
  const auto first =
      Send("PUT", target, "supplier_a", {{"answer", "not_applicable"}, {"justification", "a"}});
  ASSERT_EQ(first.status, 200);
  const std::string etag = *first.Header("etag");
  // Another response moves on independently.
  ASSERT_EQ(Send("PUT", "/assessments/" + id + "/responses/SUP-04", "supplier_a",
                 {{"answer", "not_applicable"}, {"justification", "b"}}, {{"If-Match", "\"1\""}})
                .status,
            200);
  EXPECT_EQ(Send("PUT", target, "supplier_a", {{"answer", "met"}}, {{"If-Match", etag}}).status,
            200);
  EXPECT_EQ(Send("PUT", target, "supplier_a", {{"answer", "not_met"}}, {{"If-Match", etag}}).status,
            412);

  const std::string foreign = UploadEvidence("supplier_b", world_->supplier_b(), "policy");
  const auto before = world_->server().database().RowCounts();
  const auto refused =
      Send("PUT", target, "supplier_a", {{"answer", "met"}, {"evidence_ids", {foreign}}});
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(BodyJson(refused).at("errors")[0].at("pointer"), "/evidence_ids/0");
  EXPECT_EQ(world_->server().database().RowCounts(), before);
  EXPECT_EQ(
      Send("PUT", "/assessments/" + id + "/responses/COCO-01", "supplier_a", {{"answer", "met"}})
          .status,
      404);
  for (const auto& bad : std::vector<nlohmann::json>{
           {{"answer", "maybe"}},
           {{"justification", "x"}},
           {{"answer", "met"}, {"evidence_ids", {"nope"}}},
           {{"answer", "not_met"}, {"remediation", {{"plan", "p"}, {"due_date", "31/12/2027"}}}},
           {{"answer", "not_met"}, {"remediation", {{"plan", "p"}}}},
           {{"answer", "met"}, {"extra", true}}}) {
    const auto snapshot = world_->server().database().RowCounts();
    EXPECT_EQ(Send("PUT", target, "supplier_a", bad).status, 422) << bad.dump();
    EXPECT_EQ(world_->server().database().RowCounts(), snapshot);
  }
}

TEST_F(AssessmentsHttpTest, AProfileChangeRescopesDraftsKeepingAnswersThatStillApply) {
  const std::string service = NewService("supplier_a", world_->supplier_a());
  const std::string coco = Start("supplier_a", service, "COCO");
  const std::string crypto = Start("supplier_a", service, "CRYPTOGRAPHY");
  ASSERT_EQ(
      Send("PUT", "/assessments/" + coco + "/responses/COCO-23", "supplier_a", {{"answer", "met"}})
          .status,
      200);
  ASSERT_EQ(Send("PUT", "/assessments/" + coco + "/responses/COCO-08", "supplier_a",
                 {{"answer", "not_applicable"}, {"justification", "kept"}})
                .status,
            200);
  // The service moves its hosting to India and starts holding HMG key material.
  auto profile = UkProfile();
  profile["offshore"] = {{{"country", "IN"}, {"activity", "hosting"}}};
  profile["hmg_crypto"] = true;
  const auto changed = Send("PATCH", "/services/" + service, "supplier_a", {{"profile", profile}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  const auto coco_now = BodyJson(Send("GET", "/assessments/" + coco, "supplier_a"));
  EXPECT_EQ(coco_now.at("responses").size(), 36u);  // COCO-23 (UK-only hosting) no longer applies
  EXPECT_EQ(coco_now.at("profile_hash"), BodyJson(changed).at("profile_hash"));
  bool kept = false;
  for (const auto& response : coco_now.at("responses")) {
    EXPECT_NE(response.at("requirement_id"), "COCO-23");
    if (response.at("requirement_id") == "COCO-08") kept = response.at("justification") == "kept";
  }
  EXPECT_TRUE(kept) << "the answer to a requirement that still applies was lost";
  EXPECT_EQ(BodyJson(Send("GET", "/assessments/" + crypto, "supplier_a")).at("responses").size(),
            16u + 13u);
  const auto& db = world_->server().database();
  EXPECT_EQ(db.QueryValue("SELECT detail LIKE '%rescoped_assessments%' FROM audit_events "
                          "WHERE action = 'service.update' ORDER BY seq DESC LIMIT 1"),
            "t");
}

TEST_F(AssessmentsHttpTest, AnotherSuppliersObjectsLookExactlyLikeMissingOnes) {
  const std::string service = NewService("supplier_a", world_->supplier_a());
  const std::string assessment = Start("supplier_a", service, "SUPPLIER");
  const std::string evidence = UploadEvidence("supplier_a", world_->supplier_a(), "policy");
  const std::string missing = "00000000-0000-4000-8000-000000000001";
  for (const std::string prefix : {"/services/", "/assessments/", "/evidence/"}) {
    const std::string real = prefix == "/services/"      ? service
                             : prefix == "/assessments/" ? assessment
                                                         : evidence;
    const auto foreign = Send("GET", prefix + real, "supplier_b");
    const auto absent = Send("GET", prefix + missing, "supplier_b");
    EXPECT_EQ(foreign.status, 404);
    EXPECT_EQ(absent.status, 404);
    EXPECT_EQ(BodyJson(foreign).at("code"), BodyJson(absent).at("code")) << prefix;
    EXPECT_EQ(BodyJson(foreign).at("detail"), BodyJson(absent).at("detail")) << prefix;
  }
}

TEST_F(AssessmentsHttpTest, EditingAResponseChangesTheAssessmentsEtag) {
  const std::string service = NewService("supplier_a", world_->supplier_a());
  const std::string id = Start("supplier_a", service, "SUPPLIER");
  const std::string etag = *Send("GET", "/assessments/" + id, "supplier_a").Header("etag");
  ASSERT_EQ(Send("PUT", "/assessments/" + id + "/responses/SUP-01", "supplier_a",
                 {{"answer", "not_applicable"}, {"justification", "x"}})
                .status,
            200);
  EXPECT_EQ(
      Send("POST", "/assessments/" + id + "/withdraw", "supplier_a", nullptr, {{"If-Match", etag}})
          .status,
      412);
}

TEST_F(AssessmentsHttpTest, ADraftWhoseStandardStopsApplyingIsWithdrawn) {
  nlohmann::json profile = UkProfile();
  profile["offshore"] = {{{"country", "IN"}, {"activity", "support"}}};
  const auto created = Send("POST", "/suppliers/" + world_->supplier_a() + "/services",
                            "supplier_a", {{"name", "offshore"}, {"profile", profile}});
  const std::string service = BodyJson(created).at("id");
  const std::string id = Start("supplier_a", service, "OFFSHORING");
  ASSERT_EQ(Send("PATCH", "/services/" + service, "supplier_a", {{"profile", UkProfile()}}).status,
            200);
  EXPECT_EQ(BodyJson(Send("GET", "/assessments/" + id, "supplier_a")).at("state"), "withdrawn");
}

TEST_F(AssessmentsHttpTest, ListsAreScopedAndFiltered) {
  const std::string service = NewService("supplier_a", world_->supplier_a());
  Start("supplier_a", service, "CRYPTOGRAPHY");
  const auto own = BodyJson(Send("GET", "/assessments?limit=200", "supplier_a")).at("items");
  EXPECT_FALSE(own.empty());
  for (const auto& item : own) EXPECT_EQ(item.at("supplier_id"), world_->supplier_a());
  EXPECT_TRUE(BodyJson(Send("GET", "/assessments?supplier=" + world_->supplier_a(), "supplier_b"))
                  .at("items")
                  .empty());
  const auto crypto =
      BodyJson(Send("GET", "/assessments?service=" + service + "&standard=CRYPTOGRAPHY&state=draft",
                    "assessor"))
          .at("items");
  ASSERT_EQ(crypto.size(), 1u);
  EXPECT_EQ(Send("GET", "/assessments?state=finished", "assessor").status, 422);
  // Paging walks every assessment once.
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const auto page = BodyJson(Send(
        "GET", "/assessments?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor), "assessor"));
    for (const auto& item : page.at("items")) EXPECT_TRUE(seen.insert(item.at("id")).second);
    cursor = page.at("next_cursor").is_null() ? "" : page.at("next_cursor").get<std::string>();
  } while (!cursor.empty() && ++pages < 200);
  EXPECT_EQ(seen.size(),
            BodyJson(Send("GET", "/assessments?limit=200", "assessor")).at("items").size());
}

}  // namespace
}  // namespace coco::test
