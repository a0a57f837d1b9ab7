#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/world.hpp"

namespace coco::test {
namespace {

nlohmann::json Json(const HttpResponse& response) { return nlohmann::json::parse(response.body); }

// Every endpoint of the supplier side against every role, with objects owned by supplier A.
// The expected letters restate DESIGN.md §4 (not what the code happens to do):
//   Y allowed (any 2xx, or a 409/412/422 about the request itself, past authorisation)
//   N 403, H 404 (the object is another supplier's, or not revealed).
// Columns: admin, assessor, risk_owner, procurement, supplier_a (own), supplier_b (other's).
struct Case {
  std::string method;
  std::string path;
  nlohmann::json body;
  std::string expected;
};

char Classify(int status) {
  if (status == 401) return 'U';
  if (status == 403) return 'N';
  if (status == 404) return 'H';
  if ((status >= 200 && status < 300) || status == 400 || status == 409 || status == 412 ||
      status == 422) {
    return 'Y';
  }
  return '?';
}

TEST(AuthorizationMatrixHttpTest, EveryEndpointEveryRoleOwnAndOthers) {
  World world;
  auto client = world.Client();
  auto send = [&](const std::string& method, const std::string& path, const std::string& token,
                  const nlohmann::json& body) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    return client->Send(method, path, headers, body.is_null() ? "" : body.dump());
  };
  const std::string a = world.supplier_a();
  const nlohmann::json profile = {{"classification", "OFFICIAL"}, {"connects_to_network", true},
                                  {"personal_data", false}, {"offshore", nlohmann::json::array()},
                                  {"hmg_crypto", false}, {"operates_pki", false}};
  // Supplier A's objects.
  const std::string service =
      Json(send("POST", "/suppliers/" + a + "/services", world.Token("supplier_a"),
                {{"name", "matrix"}, {"profile", profile}}))
          .at("id");
  const std::string assessment = Json(send("POST", "/services/" + service + "/assessments",
                                           world.Token("supplier_a"), {{"standard", "SUPPLIER"}}))
                                     .at("id");
  auto upload = client->Send("POST", "/suppliers/" + a + "/evidence?filename=m.pdf&kind=policy",
                             {{"Authorization", "Bearer " + world.Token("supplier_a")},
                              {"Content-Type", "application/pdf"}},
                             "matrix");
  ASSERT_EQ(upload.status, 201);
  const std::string evidence = Json(upload).at("id");
  // A user of nobody in particular, with a token.
  const std::string user = Json(send("POST", "/users", world.Token("admin"),
                                      {{"name", "target"}, {"email", "t@example.org"},
                                       {"role", "procurement"}}))
                               .at("id");
  const std::string token_id =
      Json(send("POST", "/tokens", world.Token("admin"), {{"user_id", user}, {"name", "t"}})).at("id");

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
      {"POST", "/users", {{"name", "x"}, {"email", "x@example.org"}, {"role", "procurement"}}, "YNNNNN"},
      {"GET", "/users", nullptr, "YNNNNN"},
      {"GET", "/users/" + user, nullptr, "YNNNNN"},
      {"PATCH", "/users/" + user, {{"name", "target"}}, "YNNNNN"},
      {"POST", "/tokens", {{"user_id", user}, {"name", "x"}}, "YNNNNN"},
      {"GET", "/tokens", nullptr, "YYYYYY"},
      {"GET", "/audit", nullptr, "YYYNYY"},
      {"GET", "/audit/verify", nullptr, "YNNNNN"},
      {"DELETE", "/tokens/" + token_id, nullptr, "YHHHHH"},
      {"POST", "/users/" + user + "/disable", nullptr, "YNNNNN"},
      {"POST", "/assessments/" + assessment + "/withdraw", nullptr, "NNNNYH"},
  };
  const std::vector<std::string> personas = {"admin", "assessor", "risk_owner", "procurement",
                                             "supplier_b", "supplier_a"};
  const std::map<std::string, std::size_t> column = {{"admin", 0},       {"assessor", 1},
                                                     {"risk_owner", 2},  {"procurement", 3},
                                                     {"supplier_a", 4}, {"supplier_b", 5}};
  for (const auto& test : cases) {
    EXPECT_EQ(Classify(send(test.method, test.path, "", test.body).status), 'U')
        << test.method << " " << test.path << " without a token";
    // The denied ones first, so the allowed ones act on untouched objects.
    for (const auto& persona : personas) {
      const char expected = test.expected[column.at(persona)];
      const auto response = send(test.method, test.path, world.Token(persona), test.body);
      EXPECT_EQ(Classify(response.status), expected)
          << test.method << " " << test.path << " as " << persona << " -> " << response.status
          << " " << response.body;
      // Refused callers are refused before their input is read: a malformed body changes nothing.
      // (POST /tokens is the exception by nature: whose token it is — yours or someone else's —
      // is in the body, so an unreadable body cannot be authorised either way and is a 422.)
      if ((expected == 'N' || expected == 'H') && !test.body.is_null() && test.path != "/tokens") {
        const auto malformed = send(test.method, test.path, world.Token(persona), {{"surprise", 1}});
        EXPECT_EQ(Classify(malformed.status), expected)
            << test.method << " " << test.path << " as " << persona << " with a bad body -> "
            << malformed.status;
      }
      if (persona == "supplier_b") {
        EXPECT_EQ(response.body.find("matrix"), std::string::npos) << "supplier B saw A's data";
      }
    }
  }
}

}  // namespace
}  // namespace coco::test
