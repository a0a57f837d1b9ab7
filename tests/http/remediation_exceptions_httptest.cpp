// Risk exceptions over HTTP (docs/review-side.md): a risk owner accepts a MUST not met until a
// date; who may, on which cases, revocation, expiry and races.
// Every answer is also checked against the contract by the test client. Shared helpers:
// remediation_http.hpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/http/remediation_http.hpp"

namespace coco::test::remediation_http {
namespace {

TEST_F(RemediationHttpTest, ARiskOwnerAcceptsAMustNotMetUntilADate) {
  const std::string met_file = PolicyFile();
  const std::string id =
      Tell()
          .Service()
          .Assessment("SUPPLIER")
          .AnswerAll({{"SUP-01", Met({met_file})}, {"SUP-05", NotMet()}, {"SUP-06", NotMet()}})
          .Submit()
          .id();
  const std::string target = "/assessments/" + id + "/exceptions";
  const std::vector<std::string> watched = {"/assessments/" + id, target};
  const nlohmann::json good = {
      {"requirement_id", "SUP-05"}, {"reason", "accepted for now"}, {"expires_on", Day(30)}};

  // Who may not.
  for (const std::string who : {"assessor", "supplier_a", "procurement", "admin"}) {
    Refused(who, "POST", target, good, 403, "forbidden", watched);
  }
  Refused("supplier_b", "POST", target, good, 404, "not_found", watched);
  Refused("conflicted_risk", "POST", target, good, 403, "conflict_of_interest", watched);
  Refused("risk_owner", "POST", "/assessments/00000000-0000-4000-8000-000000000000/exceptions",
          good, 404, "not_found", watched);

  // What may not be excepted.
  auto with = [&](const std::string& requirement, const std::string& expires) {
    return nlohmann::json{
        {"requirement_id", requirement}, {"reason", "r"}, {"expires_on", expires}};
  };
  Refused("risk_owner", "POST", target, with("SUP-01", Day(30)), 422, "not_fully_met", watched, {},
          "/requirement_id");
  Refused("risk_owner", "POST", target, with("SUP-02", Day(30)), 422, "not_fully_met", watched, {},
          "/requirement_id");
  Refused("risk_owner", "POST", target, with("SUP-99", Day(30)), 422, "unknown_requirement",
          watched, {}, "/requirement_id");
  Refused("risk_owner", "POST", target, with("COCO-01", Day(30)), 422, "unknown_requirement",
          watched);
  // Expiry after today and at most twelve months ahead.
  for (const std::string& expires :
       {Day(-1), Day(0), AddDays(MonthsLater(TodayUtc(), 12), 1), Day(800)}) {
    Refused("risk_owner", "POST", target, with("SUP-05", expires), 422, "invalid_expires_on",
            watched, {}, "/expires_on");
  }
  // Bad bodies.
  Refused("risk_owner", "POST", target, {{"requirement_id", "SUP-05"}, {"expires_on", Day(30)}},
          422, "invalid_body", watched);
  Refused("risk_owner", "POST", target,
          {{"requirement_id", "SUP-05"}, {"reason", ""}, {"expires_on", Day(30)}}, 422,
          "invalid_body", watched);
  Refused("risk_owner", "POST", target,
          {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", "tomorrow"}}, 422,
          "invalid_body", watched);
  Refused(
      "risk_owner", "POST", target,
      {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}, {"colour", "red"}},
      422, "invalid_body", watched);

  // Added.
  const auto added = As("risk_owner2", "POST", target, good);
  ASSERT_EQ(added.status, 201) << added.body;
  const auto exception = BodyJson(added);
  EXPECT_EQ(exception.at("assessment_id"), id);
  EXPECT_EQ(exception.at("supplier_id"), world_->supplier_a());
  EXPECT_EQ(exception.at("standard"), "SUPPLIER");
  EXPECT_EQ(exception.at("requirement_id"), "SUP-05");
  EXPECT_EQ(exception.at("reason"), "accepted for now");
  EXPECT_EQ(exception.at("approved_by"), UserId("risk_owner2"));
  EXPECT_EQ(exception.at("expires_on"), Day(30));
  EXPECT_TRUE(exception.at("revoked_at").is_null());
  EXPECT_TRUE(exception.at("revoked_by").is_null());
  EXPECT_EQ(exception.at("active"), true);
  EXPECT_EQ(added.Header("etag"), exception.at("etag").get<std::string>());
  EXPECT_EQ(added.Header("location"), target);
  // The assessment itself is unchanged by it.
  EXPECT_EQ(Ok("admin", "GET", "/assessments/" + id).at("state"), "submitted");

  // One active exception per requirement.
  const auto exists = Refused("risk_owner", "POST", target, good, 409, "exception_exists", watched);
  EXPECT_EQ(exists.value("exception_id", ""), exception.at("id")) << exists.dump();
  // The latest allowed expiry, on the other requirement.
  const auto longest =
      Ok("risk_owner", "POST", target, with("SUP-06", MonthsLater(TodayUtc(), 12)), 201);
  EXPECT_EQ(longest.at("expires_on"), MonthsLater(TodayUtc(), 12));

  // Read by the supplier, assessors, risk owners and admins, oldest first.
  for (const std::string who : {"supplier_a", "assessor", "risk_owner", "admin"}) {
    const auto items = Ok(who, "GET", target).at("items");
    ASSERT_EQ(items.size(), 2u) << who;
    EXPECT_EQ(items[0], exception) << who;
    EXPECT_EQ(items[1], longest) << who;
  }
  EXPECT_EQ(IdsOf(AllPages("supplier_a", target, 1)),
            (std::vector<std::string>{exception.at("id"), longest.at("id")}));
  Refused("procurement", "GET", target, nullptr, 403, "forbidden", watched);
  Refused("supplier_b", "GET", target, nullptr, 404, "not_found", watched);
  Refused("risk_owner", "GET", target + "?colour=red", nullptr, 422, "invalid_query", watched);

  EXPECT_EQ(AuditActions("exception", exception.at("id")),
            std::vector<std::string>{"exception.add"});
}

TEST_F(RemediationHttpTest, ExceptionsAreForSubmittedToApprovedCasesAndMustRequirements) {
  // A draft can still change.
  const std::string draft =
      Tell().Service().Assessment("SUPPLIER").AnswerAll({{"SUP-05", NotMet()}}).id();
  const nlohmann::json body = {
      {"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}};
  const auto refused = Refused("risk_owner", "POST", "/assessments/" + draft + "/exceptions", body,
                               409, "illegal_transition", {"/assessments/" + draft});
  EXPECT_EQ(refused.value("current_state", ""), "draft") << refused.dump();

  // A rejected case is closed.
  const std::string rejected = Tell()
                                   .Service()
                                   .Assessment("SUPPLIER")
                                   .AnswerAll({{"SUP-05", NotMet()}})
                                   .Submit()
                                   .Claim()
                                   .Reject("no")
                                   .id();
  Refused("risk_owner", "POST", "/assessments/" + rejected + "/exceptions", body, 409,
          "illegal_transition", {"/assessments/" + rejected});

  // In review and approved are fine.
  const std::string in_review = Tell()
                                    .Service()
                                    .Assessment("SUPPLIER")
                                    .AnswerAll({{"SUP-05", NotMet()}})
                                    .Submit()
                                    .Claim()
                                    .id();
  EXPECT_EQ(
      Ok("risk_owner", "POST", "/assessments/" + in_review + "/exceptions", body, 201).at("active"),
      true);
  const std::string approved = Tell()
                                   .Service()
                                   .Reviewed("SUPPLIER", {{"SUP-05", NotMet()}})
                                   .Approve(Conditions({{"SUP-05", Day(30)}}))
                                   .id();
  EXPECT_EQ(
      Ok("risk_owner", "POST", "/assessments/" + approved + "/exceptions", body, 201).at("active"),
      true);

  // A SHOULD needs no exception: a CRYPTOGRAPHY assessment with its MUSTs not applicable.
  Story story = Tell().Service().Assessment("CRYPTOGRAPHY");
  const std::string crypto = story.id();
  ASSERT_EQ(story.Requirements().size(), 16u) << story.last().dump();
  const std::vector<std::string> shoulds = story.Requirements("SHOULD");
  ASSERT_FALSE(shoulds.empty());
  std::map<std::string, nlohmann::json> answers;
  for (const auto& should : shoulds) answers[should] = NotMet();
  story.AnswerAll(answers).Submit();
  Refused("risk_owner", "POST", "/assessments/" + crypto + "/exceptions",
          {{"requirement_id", shoulds.front()}, {"reason", "r"}, {"expires_on", Day(30)}}, 422,
          "not_must", {"/assessments/" + crypto, "/assessments/" + crypto + "/exceptions"}, {},
          "/requirement_id");
}

TEST_F(RemediationHttpTest, AnExceptionIsRevokedOnce) {
  const std::string id =
      Tell().Service().Assessment("SUPPLIER").AnswerAll({{"SUP-05", NotMet()}}).Submit().id();
  const std::string list = "/assessments/" + id + "/exceptions";
  const auto exception =
      Ok("risk_owner", "POST", list,
         {{"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}}, 201);
  const std::string exception_id = exception.at("id");
  const std::string target = "/exceptions/" + exception_id + "/revoke";
  const std::vector<std::string> watched = {list, "/assessments/" + id};

  for (const std::string who : {"assessor", "supplier_a", "admin", "procurement"}) {
    Refused(who, "POST", target, nullptr, 403, "forbidden", watched);
  }
  Refused("supplier_b", "POST", target, nullptr, 404, "not_found", watched);
  Refused("conflicted_risk", "POST", target, nullptr, 403, "conflict_of_interest", watched);
  Refused("risk_owner", "POST", "/exceptions/00000000-0000-4000-8000-000000000000/revoke", nullptr,
          404, "not_found", watched);
  Refused("risk_owner", "POST", target, nullptr, 412, "precondition_failed", watched,
          IfMatch("\"99\""));

  const auto response = As("risk_owner2", "POST", target, nullptr, IfMatch(exception.at("etag")));
  ASSERT_EQ(response.status, 200) << response.body;
  const auto revoked = BodyJson(response);
  EXPECT_EQ(revoked.at("id"), exception_id);
  EXPECT_FALSE(revoked.at("revoked_at").is_null());
  EXPECT_EQ(revoked.at("revoked_by"), UserId("risk_owner2"));
  EXPECT_EQ(revoked.at("active"), false);
  EXPECT_EQ(revoked.at("approved_by"), exception.at("approved_by"));
  EXPECT_EQ(revoked.at("expires_on"), exception.at("expires_on"));
  EXPECT_NE(revoked.at("etag"), exception.at("etag"));
  EXPECT_EQ(response.Header("etag"), revoked.at("etag").get<std::string>());
  EXPECT_EQ(Ok("supplier_a", "GET", list).at("items"), nlohmann::json::array({revoked}));

  // Once only; the old ETag is stale now.
  Refused("risk_owner", "POST", target, nullptr, 409, "already_revoked", watched);
  Refused("risk_owner", "POST", target, nullptr, 412, "precondition_failed", watched,
          IfMatch(exception.at("etag")));

  // A revoked exception no longer stands in the way of a new one.
  const auto renewed =
      Ok("risk_owner", "POST", list,
         {{"requirement_id", "SUP-05"}, {"reason", "again"}, {"expires_on", Day(60)}}, 201);
  EXPECT_EQ(renewed.at("active"), true);
  EXPECT_EQ(IdsOf(Ok("assessor", "GET", list).at("items")),
            (std::vector<std::string>{exception_id, renewed.at("id")}));

  EXPECT_EQ(AuditActions("exception", exception_id),
            (std::vector<std::string>{"exception.add", "exception.revoke"}));
}

// Active through its expiry date, inactive after. The date is moved behind the server's back
// (a new exception expires after today).
TEST_F(RemediationHttpTest, AnExceptionIsActiveThroughItsExpiryDate) {
  const std::string id =
      Tell().Service().Assessment("SUPPLIER").AnswerAll({{"SUP-05", NotMet()}}).Submit().id();
  const std::string list = "/assessments/" + id + "/exceptions";
  const nlohmann::json body = {
      {"requirement_id", "SUP-05"}, {"reason", "r"}, {"expires_on", Day(30)}};
  const auto exception = Ok("risk_owner", "POST", list, body, 201);
  const std::string exception_id = exception.at("id");
  const auto& db = world_->server().database();

  db.Exec("UPDATE risk_exceptions SET expires_on = '" + Day(0) + "' WHERE id = '" + exception_id +
          "'");
  EXPECT_EQ(Ok("supplier_a", "GET", list).at("items").at(0).at("active"), true);
  Refused("risk_owner", "POST", list, body, 409, "exception_exists", {list, "/assessments/" + id});

  db.Exec("UPDATE risk_exceptions SET expires_on = '" + Day(-1) + "' WHERE id = '" + exception_id +
          "'");
  EXPECT_EQ(Ok("supplier_a", "GET", list).at("items").at(0).at("active"), false);
  const auto renewed = Ok("risk_owner", "POST", list, body, 201);
  EXPECT_EQ(renewed.at("active"), true);
  // An expired exception can still be revoked (it was never revoked).
  EXPECT_EQ(Ok("risk_owner", "POST", "/exceptions/" + exception_id + "/revoke").at("active"),
            false);
}

// Two risk owners add an exception for the same requirement at the same moment, then revoke the
// winner at the same moment: each time exactly one of each wins.
TEST_F(RemediationHttpTest, RacingExceptionsHaveExactlyOneWinner) {
  const std::string id =
      Tell().Service().Assessment("SUPPLIER").AnswerAll({{"SUP-05", NotMet()}}).Submit().id();
  const std::string list = "/assessments/" + id + "/exceptions";
  std::vector<std::string> winners;
  for (int round = 0; round < 10; ++round) {
    const auto added = Race("risk_owner", "risk_owner2", "POST", list,
                            {{"requirement_id", "SUP-05"},
                             {"reason", "round " + std::to_string(round)},
                             {"expires_on", Day(30)}});
    const int adder = OneWinner(added, 201, 409, "exception_exists");
    ASSERT_GE(adder, 0) << "round " << round;
    const auto winner = BodyJson(adder == 0 ? added.first : added.second);
    const auto loser = BodyJson(adder == 0 ? added.second : added.first);
    EXPECT_EQ(loser.value("exception_id", ""), winner.at("id")) << loser.dump();
    winners.push_back(winner.at("id"));
    const auto revoked = Race("risk_owner", "risk_owner2", "POST",
                              "/exceptions/" + winner.at("id").get<std::string>() + "/revoke");
    ASSERT_GE(OneWinner(revoked, 200, 409, "already_revoked"), 0) << "round " << round;
  }
  const auto items = Ok("admin", "GET", list + "?limit=200").at("items");
  EXPECT_EQ(IdsOf(items), winners);
  for (const auto& item : items) {
    EXPECT_EQ(item.at("active"), false);
    EXPECT_FALSE(item.at("revoked_at").is_null());
  }
}

}  // namespace
}  // namespace coco::test::remediation_http
