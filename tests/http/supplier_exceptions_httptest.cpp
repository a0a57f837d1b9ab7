// GET /suppliers/{id}/exceptions: a supplier's risk exceptions over all its assessments, for the
// supplier itself and the staff who read assessments; refused to procurement, hidden from
// another supplier.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/dates.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

class SupplierExceptionsHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    world_ = new World();
    // Supplier A: two services, each with a reviewed SUPPLIER assessment whose first MUST is not
    // met and covered by a risk exception.
    for (int i = 0; i < 2; ++i) {
      Story story(*world_);
      story.Supplier().Service().Assessment("SUPPLIER");
      const std::string must = story.Requirements("MUST").front();
      story.AnswerAll({{must, NotMet()}}).Submit().Claim().AcceptAll().Exception(must, Day(60 + i));
      exceptions_->push_back(story.last().at("id"));
      assessments_->push_back(story.id());
    }
  }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  static HttpResponse Get(const std::string& target, const std::string& persona) {
    return world_->Client()->Send("GET", target, world_->As(persona));
  }
  static std::vector<std::string> Ids(const HttpResponse& response) {
    // Parsed into a local first: a range-for over a member of a temporary reads freed memory.
    const auto page = nlohmann::json::parse(response.body);
    std::vector<std::string> ids;
    for (const auto& item : page.at("items")) ids.push_back(item.at("id"));
    return ids;
  }
  static std::string ListOf(const std::string& supplier) {
    return "/suppliers/" + supplier + "/exceptions";
  }

  static World* world_;
  static inline std::vector<std::string>* exceptions_ = new std::vector<std::string>();
  static inline std::vector<std::string>* assessments_ = new std::vector<std::string>();
};

World* SupplierExceptionsHttpTest::world_ = nullptr;

TEST_F(SupplierExceptionsHttpTest, TheSupplierAndStaffSeeEveryExceptionOfTheSupplierOldestFirst) {
  for (const std::string persona : {"supplier_a", "assessor", "risk_owner", "admin"}) {
    const auto listed = Get(ListOf(world_->supplier_a()), persona);
    ASSERT_EQ(listed.status, 200) << persona << " " << listed.body;
    EXPECT_EQ(Ids(listed), *exceptions_) << persona;
    const auto page = nlohmann::json::parse(listed.body);
    EXPECT_TRUE(page.at("next_cursor").is_null());
    // Each is the exception as the assessment's own list shows it.
    const auto item = page.at("items").at(0);
    EXPECT_EQ(item.at("assessment_id"), assessments_->at(0));
    EXPECT_EQ(item.at("active"), true);
  }
}

TEST_F(SupplierExceptionsHttpTest, PagesFollowTheCursor) {
  const std::string target = ListOf(world_->supplier_a());
  const auto first = Get(target + "?limit=1", "assessor");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Ids(first), std::vector<std::string>{exceptions_->at(0)});
  const auto cursor = nlohmann::json::parse(first.body).at("next_cursor");
  ASSERT_TRUE(cursor.is_string());
  const auto second = Get(target + "?limit=1&cursor=" + cursor.get<std::string>(), "assessor");
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Ids(second), std::vector<std::string>{exceptions_->at(1)});
  EXPECT_TRUE(nlohmann::json::parse(second.body).at("next_cursor").is_null());
}

TEST_F(SupplierExceptionsHttpTest, ProcurementIsRefusedAndAnotherSupplierSeesNothing) {
  const std::string target = ListOf(world_->supplier_a());
  EXPECT_EQ(Get(target, "procurement").status, 403);
  const auto hidden = Get(target, "supplier_b");
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(hidden.body.find(exceptions_->at(0)), std::string::npos);
  // Supplier B's own list holds none of A's.
  const auto own = Get(ListOf(world_->supplier_b()), "supplier_b");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_TRUE(Ids(own).empty());
  // Refused callers are refused before their query is judged.
  EXPECT_EQ(Get(target + "?limit=0", "procurement").status, 403);
  EXPECT_EQ(Get(target + "?colour=red", "supplier_b").status, 404);
}

TEST_F(SupplierExceptionsHttpTest, BadQueriesAndUnknownSuppliersAreProblems) {
  const std::string target = ListOf(world_->supplier_a());
  const auto unknown_parameter = Get(target + "?colour=red", "admin");
  EXPECT_EQ(unknown_parameter.status, 422);
  EXPECT_EQ(nlohmann::json::parse(unknown_parameter.body).at("errors").at(0).at("pointer"),
            "query/colour");
  EXPECT_EQ(Get(target + "?limit=0", "admin").status, 422);
  EXPECT_EQ(Get(target + "?cursor=not-a-cursor", "admin").status, 422);
  const auto missing = Get(ListOf("00000000-0000-4000-8000-00000000abcd"), "admin");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(nlohmann::json::parse(missing.body).at("code"), "not_found");
  EXPECT_EQ(Get("/suppliers/not-a-uuid/exceptions", "admin").status, 422);
}

}  // namespace
}  // namespace coco::test
