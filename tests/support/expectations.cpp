#include "tests/support/expectations.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace coco::test {

void ExpectRefusedUnchanged(HttpClient& client, const TestDatabase& database,
                            const std::string& method, const std::string& target,
                            const Headers& headers, const std::string& body, int status,
                            const std::string& code, const std::string& pointer) {
  const auto before = database.RowCounts();
  const auto response = client.Send(method, target, headers, body);
  const std::string what = method + " " + target + " " + body.substr(0, 120);
  EXPECT_EQ(response.status, status) << what << "\n" << response.body.substr(0, 400);
  EXPECT_EQ(response.Header("content-type"), "application/problem+json") << what;
  nlohmann::json problem;
  try {
    problem = nlohmann::json::parse(response.body);
  } catch (const nlohmann::json::parse_error&) {
    ADD_FAILURE() << what << ": the answer is not JSON";
    return;
  }
  EXPECT_EQ(problem.value("code", ""), code) << what << "\n" << response.body.substr(0, 400);
  if (!pointer.empty()) {
    bool named = false;
    for (const auto& error : problem.value("errors", nlohmann::json::array())) {
      named = named || error.value("pointer", "") == pointer;
    }
    EXPECT_TRUE(named) << what << ": no error points at " << pointer << ": " << response.body;
  }
  EXPECT_EQ(database.RowCounts(), before) << what << ": a refused request wrote rows";
}

}  // namespace coco::test
