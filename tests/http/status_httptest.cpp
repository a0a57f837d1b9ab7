// Assurance status over HTTP (issue #6, DESIGN.md §2 "Assurance status"): the status document
// of one supplier, standard by standard and service by service, and how approvals, conditions,
// evidence, triggers, suspensions, rejections and exceptions move it. Every answer is also
// checked against the contract by the test client. Shared helpers: status_http.hpp.
//
// Dates are relative to today (UTC); the future is reached with `as_of`, never by waiting.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/http/status_http.hpp"

namespace coco::test::status_http {
namespace {

TEST_F(StatusHttpTest, ASupplierWithoutServicesIsNotAssessed) {
  const Tenant tenant = NewTenant();
  for (const std::string& as_of : std::vector<std::string>{std::string(), Day(0), Day(400)}) {
    const auto document = Status(tenant.token, tenant.id, as_of);
    EXPECT_EQ(document.at("supplier_id"), tenant.id);
    EXPECT_EQ(document.at("supplier_name"), tenant.name);
    EXPECT_EQ(document.at("as_of"), as_of.empty() ? Day(0) : as_of);
    EXPECT_EQ(document.at("status"), "not_assessed");
    EXPECT_EQ(document.at("base_status"), "not_assessed");
    EXPECT_EQ(document.at("reasons"), Json::array({{{"code", "no_services"}}}));
    EXPECT_TRUE(document.at("next_change").is_null());
    EXPECT_EQ(document.at("services"), Json::array());
  }
}

// CRYPTOGRAPHY and SUPPLIER always, COCO when connected, OFFSHORING when offshore; nothing
// started yet, so each is not_assessed (no_submission), and nothing will change by itself.
TEST_F(StatusHttpTest, TheProfileDecidesWhichStandardsAServiceNeeds) {
  const Tenant tenant = NewTenant();
  const std::string plain = Of(tenant)
                                .Service(Profile(), {{"contract_ref", "CT-42"},
                                                     {"contract_start", Day(10)},
                                                     {"contract_end", Day(400)}})
                                .service_id();
  const std::string connected =
      Of(tenant).Service(Profile({.connects_to_network = true})).service_id();
  const std::string offshore = Of(tenant).Service(Profile({.offshore = true})).service_id();
  const std::string both =
      Of(tenant).Service(Profile({.connects_to_network = true, .offshore = true})).service_id();
  const std::map<std::string, std::vector<std::string>> expected = {
      {plain, {"CRYPTOGRAPHY", "SUPPLIER"}},
      {connected, {"COCO", "CRYPTOGRAPHY", "SUPPLIER"}},
      {offshore, {"OFFSHORING", "CRYPTOGRAPHY", "SUPPLIER"}},
      {both, {"COCO", "OFFSHORING", "CRYPTOGRAPHY", "SUPPLIER"}},
  };

  const auto document = Status(T("procurement"), tenant.id);
  ASSERT_EQ(document.at("services").size(), 4u);
  // Services in creation order.
  const std::vector<std::string> order = {plain, connected, offshore, both};
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(document.at("services")[i].at("service_id"), order[i]);
  }
  std::size_t reasons = 0;
  for (const auto& [service, keys] : expected) {
    const auto& entry = ServiceOf(document, service);
    EXPECT_EQ(Keys(entry), keys) << entry.dump();
    EXPECT_EQ(entry.at("status"), "not_assessed");
    EXPECT_EQ(entry.at("base_status"), "not_assessed");
    EXPECT_TRUE(entry.at("next_change").is_null());
    Json expected_reasons = Json::array();
    for (const auto& key : keys) {
      expected_reasons.push_back(
          {{"code", "no_submission"}, {"standard", key}, {"service_id", service}});
      const auto& standard = StandardOf(document, service, key);
      EXPECT_TRUE(standard.at("required")) << standard.dump();
      EXPECT_EQ(standard.at("status"), "not_assessed") << standard.dump();
      EXPECT_EQ(standard.at("base_status"), "not_assessed") << standard.dump();
      EXPECT_TRUE(standard.at("version").is_null()) << standard.dump();
      EXPECT_TRUE(standard.at("assessment_id").is_null()) << standard.dump();
      EXPECT_TRUE(standard.at("valid_until").is_null()) << standard.dump();
      EXPECT_TRUE(standard.at("next_change").is_null()) << standard.dump();
      EXPECT_EQ(standard.at("reasons"),
                Json::array({{{"code", "no_submission"}, {"standard", key}}}))
          << standard.dump();
    }
    // The service's reasons are its standards', naming the service.
    auto sorted = [](Json list) {
      std::vector<std::string> texts;
      for (const auto& item : list) texts.push_back(item.dump());
      std::sort(texts.begin(), texts.end());
      return texts;
    };
    EXPECT_EQ(sorted(entry.at("reasons")), sorted(expected_reasons)) << entry.dump();
    reasons += keys.size();
  }
  const auto& first = ServiceOf(document, plain);
  EXPECT_EQ(first.at("contract_ref"), "CT-42");
  EXPECT_EQ(first.at("contract_start"), Day(10));
  EXPECT_EQ(first.at("contract_end"), Day(400));
  EXPECT_TRUE(ServiceOf(document, connected).at("contract_ref").is_null());
  EXPECT_TRUE(ServiceOf(document, connected).at("contract_start").is_null());
  EXPECT_EQ(document.at("status"), "not_assessed");
  EXPECT_EQ(document.at("reasons").size(), reasons);
  for (const auto& reason : document.at("reasons")) EXPECT_EQ(reason.at("code"), "no_submission");
  EXPECT_TRUE(document.at("next_change").is_null());
}

TEST_F(StatusHttpTest, AnOpenAssessmentIsInProgressUntilDecided) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string draft = Of(tenant, service).Assessment("SUPPLIER").id();

  auto document = Status(tenant.token, tenant.id);
  auto supplier = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(supplier.at("status"), "in_progress");
  EXPECT_EQ(supplier.at("base_status"), "in_progress");
  EXPECT_EQ(supplier.at("reasons"), Json::array({{{"code", "reassessment_in_progress"},
                                                  {"standard", "SUPPLIER"},
                                                  {"assessment_id", draft}}}));
  EXPECT_TRUE(supplier.at("assessment_id").is_null()) << "there is no governing approval yet";
  EXPECT_TRUE(supplier.at("next_change").is_null());
  // CRYPTOGRAPHY, not assessed, is worse than in progress: it governs the roll-ups.
  EXPECT_EQ(ServiceOf(document, service).at("status"), "not_assessed");
  EXPECT_EQ(
      ServiceOf(document, service).at("reasons"),
      Json::array(
          {{{"code", "no_submission"}, {"standard", "CRYPTOGRAPHY"}, {"service_id", service}}}));
  EXPECT_EQ(document.at("status"), "not_assessed");

  // Withdrawn: nothing open any more.
  Ok(tenant.token, "POST", "/assessments/" + draft + "/withdraw");
  supplier = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(supplier.at("status"), "not_assessed");
  EXPECT_EQ(Codes(supplier.at("reasons")), std::multiset<std::string>{"no_submission"});

  // Submitted and in review are open too.
  Story second = Of(tenant, service).Assessment("SUPPLIER").AnswerAll().Submit();
  supplier = StandardOf(Status(T("assessor"), tenant.id), service, "SUPPLIER");
  EXPECT_EQ(supplier.at("status"), "in_progress");
  EXPECT_EQ(With(supplier.at("reasons"), "reassessment_in_progress").at(0).at("assessment_id"),
            second.id());
  second.Claim();
  supplier = StandardOf(Status(T("assessor"), tenant.id), service, "SUPPLIER");
  EXPECT_EQ(supplier.at("status"), "in_progress");
}

// A profile change that drops a standard withdraws its draft (services PATCH): from then on
// nothing is in progress for that standard, listed or not.
TEST_F(StatusHttpTest, ADraftWithdrawnByAProfileChangeIsNoLongerInProgress) {
  const Tenant tenant = NewTenant();
  const std::string service =
      Of(tenant).Service(Profile({.connects_to_network = true})).service_id();
  const std::string draft = Of(tenant, service).Assessment("COCO").id();
  auto coco = StandardOf(Status(tenant.token, tenant.id), service, "COCO");
  EXPECT_TRUE(coco.at("required"));
  EXPECT_EQ(coco.at("status"), "in_progress");

  Ok(tenant.token, "PATCH", "/services/" + service, {{"profile", Profile()}});
  ASSERT_EQ(Assessment(draft).at("state"), "withdrawn");
  const auto document = Status(tenant.token, tenant.id);
  const auto& entry = ServiceOf(document, service);
  const Json* listed = FindStandard(entry, "COCO");
  if (listed != nullptr) {
    EXPECT_FALSE(listed->at("required"));
    EXPECT_EQ(listed->at("status"), "not_assessed")
        << "the COCO draft was withdrawn by the profile change: " << listed->dump();
    EXPECT_EQ(Codes(listed->at("reasons")), std::multiset<std::string>{"no_submission"})
        << listed->dump();
    EXPECT_EQ(entry.dump().find(draft), std::string::npos)
        << "names the withdrawn draft: " << entry.dump();
  }
  // Not counted either way: the service's reasons are those of the required standards.
  EXPECT_EQ(entry.at("reasons").size(), 2u) << entry.dump();
  for (const auto& reason : entry.at("reasons"))
    EXPECT_NE(reason.at("standard"), "COCO") << entry.dump();
}

// A standard the profile no longer requires stays listed with its approval, but the roll-ups and
// the portfolio count only the required ones.
TEST_F(StatusHttpTest, AStandardTheProfileNoLongerNeedsIsListedButNotCounted) {
  const Tenant tenant = NewTenant();
  const std::string service =
      Of(tenant).Service(Profile({.connects_to_network = true})).service_id();
  const std::string coco = Of(tenant, service).Approved("COCO").id();
  Of(tenant, service).Approved("CRYPTOGRAPHY");
  Of(tenant, service).Approved("SUPPLIER");
  ASSERT_EQ(Status(tenant.token, tenant.id).at("status"), "assured");
  EXPECT_EQ(PortfolioKeys("", tenant.id).size(), 3u);

  // No longer connected: every approval was scoped on the old profile; re-approve the two that
  // are still required.
  Ok(tenant.token, "PATCH", "/services/" + service, {{"profile", Profile()}});
  EXPECT_EQ(Status(tenant.token, tenant.id).at("status"), "expired");
  Of(tenant, service).Approved("CRYPTOGRAPHY");
  Of(tenant, service).Approved("SUPPLIER");

  const auto document = Status(tenant.token, tenant.id);
  const auto& entry = ServiceOf(document, service);
  EXPECT_EQ(Keys(entry), (std::vector<std::string>{"COCO", "CRYPTOGRAPHY", "SUPPLIER"}))
      << entry.dump();
  const auto& listed = StandardOf(document, service, "COCO");
  EXPECT_FALSE(listed.at("required"));
  EXPECT_EQ(listed.at("status"), "expired");
  EXPECT_EQ(listed.at("assessment_id"), coco);
  EXPECT_EQ(
      listed.at("reasons"),
      Json::array({{{"code", "profile_changed"}, {"standard", "COCO"}, {"assessment_id", coco}}}));
  EXPECT_EQ(entry.at("status"), "assured") << entry.dump();
  EXPECT_EQ(entry.at("reasons"), Json::array());
  EXPECT_EQ(document.at("status"), "assured");
  EXPECT_EQ(document.at("reasons"), Json::array());
  EXPECT_EQ(PortfolioKeys("", tenant.id),
            (std::set<std::string>{Key(tenant.id, service, "CRYPTOGRAPHY"),
                                   Key(tenant.id, service, "SUPPLIER")}));
}

// SUPPLIER approved with everything accepted and no conditions: that standard is assured, but
// CRYPTOGRAPHY (not assessed) governs the service and the supplier until it is approved too.
TEST_F(StatusHttpTest, AnApprovalAssuresItsStandardAndTheWorstStandardGoverns) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string approval = Of(tenant, service).Approved("SUPPLIER").id();
  const std::string valid_until = DefaultValidUntil();

  auto document = Status(tenant.token, tenant.id);
  const auto supplier = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(supplier.at("status"), "assured") << supplier.dump();
  EXPECT_EQ(supplier.at("base_status"), "assured");
  EXPECT_EQ(supplier.at("version"), "1.0");
  EXPECT_EQ(supplier.at("assessment_id"), approval);
  EXPECT_EQ(supplier.at("valid_until"), valid_until);
  EXPECT_EQ(supplier.at("reasons"), Json::array());
  EXPECT_EQ(supplier.at("next_change"), NextChange(AddDays(valid_until, -30), "expiring"));
  EXPECT_EQ(StandardOf(document, service, "CRYPTOGRAPHY").at("status"), "not_assessed");

  const Json governing = Json::array(
      {{{"code", "no_submission"}, {"standard", "CRYPTOGRAPHY"}, {"service_id", service}}});
  const auto& entry = ServiceOf(document, service);
  EXPECT_EQ(entry.at("status"), "not_assessed");
  EXPECT_EQ(entry.at("base_status"), "not_assessed");
  EXPECT_EQ(entry.at("reasons"), governing);
  // Once SUPPLIER's approval lapses, expired is worse than not_assessed.
  EXPECT_EQ(entry.at("next_change"), NextChange(AddDays(valid_until, 1), "expired"));
  EXPECT_EQ(document.at("status"), "not_assessed");
  EXPECT_EQ(document.at("reasons"), governing);
  EXPECT_EQ(document.at("next_change"), NextChange(AddDays(valid_until, 1), "expired"));

  // CRYPTOGRAPHY approved as well: everything assured.
  const std::string crypto = Of(tenant, service).Approved("CRYPTOGRAPHY").id();
  document = Status(tenant.token, tenant.id);
  EXPECT_EQ(ServiceOf(document, service).at("status"), "assured");
  EXPECT_EQ(ServiceOf(document, service).at("reasons"), Json::array());
  EXPECT_EQ(document.at("status"), "assured");
  EXPECT_EQ(document.at("base_status"), "assured");
  EXPECT_EQ(document.at("reasons"), Json::array());
  EXPECT_EQ(document.at("next_change"), NextChange(AddDays(valid_until, -30), "expiring"));

  // The day before the window, the first day of it, and the day after validity.
  EXPECT_EQ(Status(tenant.token, tenant.id, AddDays(valid_until, -31)).at("status"), "assured");
  document = Status(tenant.token, tenant.id, AddDays(valid_until, -30));
  EXPECT_EQ(document.at("status"), "expiring");
  EXPECT_EQ(document.at("base_status"), "assured");
  const auto lapsing = With(document.at("reasons"), "lapses_soon");
  ASSERT_EQ(lapsing.size(), 2u) << document.dump();
  std::set<std::string> about;
  for (const auto& reason : lapsing) {
    EXPECT_EQ(reason.at("date"), valid_until);
    EXPECT_EQ(reason.at("service_id"), service);
    about.insert(reason.at("assessment_id").get<std::string>());
  }
  EXPECT_EQ(about, (std::set<std::string>{approval, crypto}));
  EXPECT_EQ(document.at("next_change"), NextChange(AddDays(valid_until, 1), "expired"));

  // A second service with nothing started: the supplier is governed by it, the first stays.
  const std::string second = Of(tenant).Service().service_id();
  document = Status(tenant.token, tenant.id);
  EXPECT_EQ(ServiceOf(document, service).at("status"), "assured");
  EXPECT_EQ(ServiceOf(document, second).at("status"), "not_assessed");
  EXPECT_EQ(document.at("status"), "not_assessed");
  ASSERT_EQ(document.at("reasons").size(), 2u);
  for (const auto& reason : document.at("reasons")) {
    EXPECT_EQ(reason.at("service_id"), second) << document.dump();
    EXPECT_EQ(reason.at("code"), "no_submission");
  }
}

TEST_F(StatusHttpTest, AConditionIsConditionalThenExpiringThenOverdue) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  Of(tenant, service).Approved("CRYPTOGRAPHY");
  const std::string due = Day(45);
  const std::string id = Of(tenant, service)
                             .Approved("SUPPLIER", {},
                                       {{"conditions",
                                         {{{"requirement_id", "SUP-03"},
                                           {"description", "sign the DPA"},
                                           {"due_date", due}}}}})
                             .id();
  const auto actions = Ok(T("assessor"), "GET", "/actions?assessment=" + id).at("items");
  ASSERT_EQ(actions.size(), 1u);
  const std::string action = actions[0].at("id");
  const Json open = {{"code", "open_actions"},
                     {"standard", "SUPPLIER"},
                     {"requirement_id", "SUP-03"},
                     {"action_id", action},
                     {"date", due}};

  auto document = Status(T("procurement"), tenant.id);
  auto standard = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "conditionally_assured") << standard.dump();
  EXPECT_EQ(standard.at("base_status"), "conditionally_assured");
  EXPECT_EQ(standard.at("reasons"), Json::array({open}));
  EXPECT_EQ(standard.at("next_change"), NextChange(Day(15), "expiring"));
  EXPECT_EQ(ServiceOf(document, service).at("status"), "conditionally_assured");
  EXPECT_EQ(document.at("status"), "conditionally_assured");
  EXPECT_EQ(document.at("next_change"), NextChange(Day(15), "expiring"));
  Json open_here = open;
  open_here["service_id"] = service;
  EXPECT_EQ(document.at("reasons"), Json::array({open_here}));

  // The day before the window and its first day (due date - 30).
  EXPECT_EQ(
      StandardOf(Status(T("procurement"), tenant.id, Day(14)), service, "SUPPLIER").at("status"),
      "conditionally_assured");
  document = Status(T("procurement"), tenant.id, Day(15));
  standard = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "expiring");
  EXPECT_EQ(standard.at("base_status"), "conditionally_assured");
  Json soon = open;
  soon["code"] = "lapses_soon";
  EXPECT_EQ(standard.at("reasons"), Json::array({open, soon}));
  EXPECT_EQ(standard.at("next_change"), NextChange(AddDays(due, 1), "not_assured"));
  EXPECT_EQ(document.at("status"), "expiring");
  EXPECT_EQ(document.at("base_status"), "conditionally_assured");
  EXPECT_EQ(document.at("next_change"), NextChange(AddDays(due, 1), "not_assured"));

  // The due date itself still stands; the day after, the action is overdue.
  EXPECT_EQ(StandardOf(Status(T("procurement"), tenant.id, due), service, "SUPPLIER").at("status"),
            "expiring");
  document = Status(T("procurement"), tenant.id, AddDays(due, 1));
  standard = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "not_assured");
  EXPECT_EQ(standard.at("base_status"), "not_assured");
  EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "action_overdue"},
                                                  {"standard", "SUPPLIER"},
                                                  {"requirement_id", "SUP-03"},
                                                  {"action_id", action},
                                                  {"date", due}}}));
  EXPECT_TRUE(standard.at("next_change").is_null()) << standard.dump();
  EXPECT_EQ(document.at("status"), "not_assured");
  EXPECT_TRUE(document.at("next_change").is_null());
  ASSERT_EQ(document.at("reasons").size(), 1u);
  EXPECT_EQ(document.at("reasons")[0].at("action_id"), action);
  EXPECT_EQ(document.at("reasons")[0].at("service_id"), service);

  // The open action's due date is the row's earliest lapse.
  const std::string row = Key(tenant.id, service, "SUPPLIER");
  EXPECT_EQ(PortfolioKeys("lapsing_before=" + AddDays(due, 1), tenant.id),
            std::set<std::string>{row});
  EXPECT_EQ(PortfolioKeys("lapsing_before=" + due, tenant.id), std::set<std::string>());

  // Completing the action is not enough; verifying it is.
  const std::string policy = Upload(tenant, "dpia", "a signed data processing agreement").at("id");
  Ok(tenant.token, "POST", "/actions/" + action + "/complete",
     {{"note", "signed"}, {"evidence_ids", {policy}}});
  EXPECT_EQ(StandardOf(Status(T("procurement"), tenant.id), service, "SUPPLIER").at("status"),
            "conditionally_assured");
  Ok(T("assessor"), "POST", "/actions/" + action + "/verify");
  standard = StandardOf(Status(T("procurement"), tenant.id, AddDays(due, 1)), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "assured") << standard.dump();
  EXPECT_EQ(standard.at("reasons"), Json::array());
  EXPECT_EQ(Status(T("procurement"), tenant.id).at("status"), "assured");
  EXPECT_EQ(PortfolioKeys("lapsing_before=" + AddDays(due, 1), tenant.id), std::set<std::string>());

  // Reopened: open again, and overdue after its due date again.
  Ok(T("assessor"), "POST", "/actions/" + action + "/reopen", {{"reason", "the DPA is unsigned"}});
  EXPECT_EQ(
      StandardOf(Status(T("procurement"), tenant.id, Day(15)), service, "SUPPLIER").at("status"),
      "expiring");
  EXPECT_EQ(StandardOf(Status(T("procurement"), tenant.id, AddDays(due, 1)), service, "SUPPLIER")
                .at("status"),
            "not_assured");
}

// A newer approval supersedes the old one, and with it the old one's open actions.
TEST_F(StatusHttpTest, ASupersededApprovalsActionsNoLongerCount) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string first = Of(tenant, service)
                                .Approved("SUPPLIER", {},
                                          {{"conditions",
                                            {{{"requirement_id", "SUP-04"},
                                              {"description", "fix it"},
                                              {"due_date", Day(10)}}}}})
                                .id();
  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER").at("status"),
            "expiring");
  const std::string second = Of(tenant, service).Approved("SUPPLIER").id();
  ASSERT_EQ(Assessment(first).at("state"), "superseded");
  for (const std::string& as_of : std::vector<std::string>{Day(0), Day(11)}) {
    const auto standard = StandardOf(Status(tenant.token, tenant.id, as_of), service, "SUPPLIER");
    EXPECT_EQ(standard.at("status"), "assured") << as_of << " " << standard.dump();
    EXPECT_EQ(standard.at("assessment_id"), second);
    EXPECT_EQ(standard.at("reasons"), Json::array());
  }
}

TEST_F(StatusHttpTest, ValidUntilBoundaries) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  Of(tenant, service).Approved("CRYPTOGRAPHY");
  const std::string valid_until = Day(40);
  const std::string id =
      Of(tenant, service).Approved("SUPPLIER", {}, {{"valid_until", valid_until}}).id();

  auto standard = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "assured");
  EXPECT_EQ(standard.at("valid_until"), valid_until);
  EXPECT_EQ(standard.at("next_change"), NextChange(Day(10), "expiring"));

  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id, Day(9)), service, "SUPPLIER").at("status"),
            "assured");
  for (const std::string& day : std::vector<std::string>{Day(10), valid_until}) {
    standard = StandardOf(Status(tenant.token, tenant.id, day), service, "SUPPLIER");
    EXPECT_EQ(standard.at("status"), "expiring") << day;
    EXPECT_EQ(standard.at("base_status"), "assured") << day;
    EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "lapses_soon"},
                                                    {"standard", "SUPPLIER"},
                                                    {"assessment_id", id},
                                                    {"date", valid_until}}}))
        << day;
    EXPECT_EQ(standard.at("next_change"), NextChange(AddDays(valid_until, 1), "expired")) << day;
  }
  const auto document = Status(tenant.token, tenant.id, AddDays(valid_until, 1));
  standard = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "expired");
  EXPECT_EQ(standard.at("base_status"), "expired");
  EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "approval_expired"},
                                                  {"standard", "SUPPLIER"},
                                                  {"assessment_id", id},
                                                  {"date", valid_until}}}));
  EXPECT_TRUE(standard.at("next_change").is_null());
  EXPECT_EQ(ServiceOf(document, service).at("status"), "expired");
  EXPECT_EQ(document.at("status"), "expired");
  EXPECT_EQ(Codes(document.at("reasons")), std::multiset<std::string>{"approval_expired"});
  // The last representable day is still a day like any other.
  EXPECT_EQ(Status(tenant.token, tenant.id, "9999-12-31").at("status"), "expired");
  EXPECT_EQ(PortfolioKeys("lapsing_before=" + AddDays(valid_until, 1), tenant.id),
            std::set<std::string>{Key(tenant.id, service, "SUPPLIER")});
  EXPECT_EQ(PortfolioKeys("lapsing_before=" + valid_until, tenant.id), std::set<std::string>());
}

// Relied-on evidence: per requirement the qualifying file that lapses last; other kinds do not
// count; lapsed SHOULD evidence is information only.
TEST_F(StatusHttpTest, EvidenceLapsesExpireTheApproval) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string never = Upload(tenant, "policy", "crypto policy, never lapses").at("id");
  const std::string should_file =
      Upload(tenant, "policy", "crypto SHOULD policy", "", Day(5)).at("id");
  const std::string tls = Upload(tenant, "tls_scan", "a TLS scan").at("id");
  Of(tenant, service)
      .Approved("CRYPTOGRAPHY", {{"CRYPTO-01", Met({never})},
                                 {"CRYPTO-02", Met({should_file})},
                                 {"CRYPTO-04", Met({tls})}});

  const std::string early =
      Upload(tenant, "cyber_essentials_certificate", "CE 1", "", Day(12)).at("id");
  const std::string late =
      Upload(tenant, "cyber_essentials_certificate", "CE 2", "", Day(22)).at("id");
  const std::string other_kind =
      Upload(tenant, "policy", "a policy that lapses early", "", Day(3)).at("id");
  const auto pen = Upload(tenant, "pen_test_report", "a pen test", Day(-345));
  const std::string pen_lapse = pen.at("lapses_on");
  ASSERT_EQ(pen_lapse, MonthsLater(TodayUtc() - std::chrono::days(345), 12));
  ASSERT_LT(pen_lapse, Day(22));
  Of(tenant, service)
      .Approved("SUPPLIER", {{"SUP-09", Met({early, late, other_kind})},
                             {"SUP-08", Met({pen.at("id").get<std::string>()})}});

  auto standard = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "expiring") << standard.dump();
  EXPECT_EQ(standard.at("base_status"), "assured");
  const Json soon = Json::array({{{"code", "lapses_soon"},
                                  {"standard", "SUPPLIER"},
                                  {"requirement_id", "SUP-08"},
                                  {"evidence_id", pen.at("id")},
                                  {"date", pen_lapse}},
                                 {{"code", "lapses_soon"},
                                  {"standard", "SUPPLIER"},
                                  {"requirement_id", "SUP-09"},
                                  {"evidence_id", late},
                                  {"date", Day(22)}}});
  EXPECT_EQ(standard.at("reasons"), soon);
  EXPECT_EQ(standard.at("next_change"), NextChange(AddDays(pen_lapse, 1), "expired"));

  // The SHOULD file neither makes CRYPTOGRAPHY expiring nor expires it.
  auto crypto = StandardOf(Status(tenant.token, tenant.id), service, "CRYPTOGRAPHY");
  EXPECT_EQ(crypto.at("status"), "assured") << crypto.dump();
  EXPECT_EQ(crypto.at("reasons"), Json::array());
  crypto = StandardOf(Status(tenant.token, tenant.id, Day(6)), service, "CRYPTOGRAPHY");
  EXPECT_EQ(crypto.at("status"), "assured") << crypto.dump();
  EXPECT_EQ(crypto.at("reasons"), Json::array({{{"code", "should_evidence_expired"},
                                                {"standard", "CRYPTOGRAPHY"},
                                                {"requirement_id", "CRYPTO-02"},
                                                {"evidence_id", should_file},
                                                {"date", Day(5)}}}));

  // The pen test's last day, then the day after.
  EXPECT_EQ(
      StandardOf(Status(tenant.token, tenant.id, pen_lapse), service, "SUPPLIER").at("status"),
      "expiring");
  standard =
      StandardOf(Status(tenant.token, tenant.id, AddDays(pen_lapse, 1)), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "expired");
  EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "evidence_expired"},
                                                  {"standard", "SUPPLIER"},
                                                  {"requirement_id", "SUP-08"},
                                                  {"evidence_id", pen.at("id")},
                                                  {"date", pen_lapse}}}));
  // Both lapsed: the CE certificate relied on is the later one.
  const auto document = Status(tenant.token, tenant.id, Day(23));
  standard = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "expired");
  const auto lapsed = With(standard.at("reasons"), "evidence_expired");
  ASSERT_EQ(lapsed.size(), 2u) << standard.dump();
  EXPECT_EQ(lapsed[1].at("evidence_id"), late);
  EXPECT_EQ(lapsed[1].at("date"), Day(22));
  const std::string text = document.dump();
  EXPECT_EQ(text.find(early), std::string::npos) << "the earlier CE certificate is not relied on";
  EXPECT_EQ(text.find(other_kind), std::string::npos) << "a policy is not a kind SUP-09 accepts";
  EXPECT_EQ(document.at("status"), "expired");

  // The earliest lapse of the SUPPLIER row is the pen test's; SHOULD evidence never counts.
  EXPECT_EQ(PortfolioKeys("lapsing_before=" + AddDays(pen_lapse, 1), tenant.id),
            std::set<std::string>{Key(tenant.id, service, "SUPPLIER")});
  EXPECT_EQ(PortfolioKeys("lapsing_before=" + pen_lapse, tenant.id), std::set<std::string>());
}

TEST_F(StatusHttpTest, ATriggerRecordedAfterTheApprovalExpiresIt) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  Of(tenant, service).Approved("CRYPTOGRAPHY");
  Of(tenant, service).Approved("SUPPLIER");
  ASSERT_EQ(Status(tenant.token, tenant.id).at("status"), "assured");

  // Occurred before the approval, but recorded after it: it still calls for a reassessment.
  const std::string trigger = Ok(tenant.token, "POST", "/services/" + service + "/triggers",
                                 {{"kind", "incident"}, {"occurred_on", Day(-10)}}, 201)
                                  .at("id");
  auto document = Status(tenant.token, tenant.id);
  for (const std::string key : {"CRYPTOGRAPHY", "SUPPLIER"}) {
    const auto standard = StandardOf(document, service, key);
    EXPECT_EQ(standard.at("status"), "expired") << standard.dump();
    EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "reassessment_triggered"},
                                                    {"standard", key},
                                                    {"trigger_id", trigger},
                                                    {"date", Day(-10)}}}));
    EXPECT_TRUE(standard.at("next_change").is_null());
  }
  EXPECT_EQ(document.at("status"), "expired");

  // A reassessment is in progress, then approved: SUPPLIER stands again, CRYPTOGRAPHY does not.
  Story again = Of(tenant, service).Reviewed("SUPPLIER");
  auto supplier = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(supplier.at("status"), "expired");
  EXPECT_EQ(Codes(supplier.at("reasons")),
            (std::multiset<std::string>{"reassessment_triggered", "reassessment_in_progress"}));
  EXPECT_EQ(With(supplier.at("reasons"), "reassessment_in_progress")[0].at("assessment_id"),
            again.id());
  again.Approve();
  document = Status(tenant.token, tenant.id);
  EXPECT_EQ(StandardOf(document, service, "SUPPLIER").at("status"), "assured");
  EXPECT_EQ(StandardOf(document, service, "SUPPLIER").at("assessment_id"), again.id());
  EXPECT_EQ(StandardOf(document, service, "CRYPTOGRAPHY").at("status"), "expired");
  EXPECT_EQ(document.at("status"), "expired");
}

TEST_F(StatusHttpTest, SuspensionIsNotAssuredUntilLifted) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  Of(tenant, service).Approved("CRYPTOGRAPHY");
  const std::string id = Of(tenant, service).Approved("SUPPLIER").id();

  Ok(T("assessor"), "POST", "/assessments/" + id + "/suspend", {{"reason", "breach reported"}});
  for (const std::string& as_of : std::vector<std::string>{Day(0), Day(200)}) {
    const auto document = Status(tenant.token, tenant.id, as_of);
    const auto standard = StandardOf(document, service, "SUPPLIER");
    EXPECT_EQ(standard.at("status"), "not_assured") << as_of;
    EXPECT_EQ(
        standard.at("reasons"),
        Json::array({{{"code", "suspended"}, {"standard", "SUPPLIER"}, {"assessment_id", id}}}));
    EXPECT_TRUE(standard.at("next_change").is_null());
    EXPECT_EQ(document.at("status"), "not_assured");
    EXPECT_EQ(document.at("reasons"), Json::array({{{"code", "suspended"},
                                                    {"standard", "SUPPLIER"},
                                                    {"service_id", service},
                                                    {"assessment_id", id}}}));
    EXPECT_TRUE(document.at("next_change").is_null());
  }
  Ok(T("assessor"), "POST", "/assessments/" + id + "/lift");
  const auto document = Status(tenant.token, tenant.id);
  EXPECT_EQ(StandardOf(document, service, "SUPPLIER").at("status"), "assured");
  EXPECT_EQ(document.at("status"), "assured");
}

TEST_F(StatusHttpTest, ARejectionNewerThanTheApprovalIsNotAssured) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  Of(tenant, service).Approved("CRYPTOGRAPHY");
  const std::string approval = Of(tenant, service).Approved("SUPPLIER").id();
  const std::string rejection = Of(tenant, service).Reviewed("SUPPLIER").Reject().id();

  auto document = Status(tenant.token, tenant.id);
  auto standard = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "not_assured") << standard.dump();
  EXPECT_EQ(standard.at("base_status"), "not_assured");
  EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "rejected"},
                                                  {"standard", "SUPPLIER"},
                                                  {"assessment_id", rejection},
                                                  {"date", Day(0)}}}));
  EXPECT_EQ(standard.at("assessment_id"), approval) << "the approval still governs";
  EXPECT_EQ(document.at("status"), "not_assured");

  // With a reassessment open, that is said too; its approval ends the rejection's reign.
  Story third = Of(tenant, service).Reviewed("SUPPLIER");
  standard = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "not_assured");
  EXPECT_EQ(Codes(standard.at("reasons")),
            (std::multiset<std::string>{"rejected", "reassessment_in_progress"}));
  third.Approve();
  standard = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "assured");
  EXPECT_EQ(standard.at("assessment_id"), third.id());

  // A rejection older than the approval does not count.
  const std::string other = Of(tenant).Service().service_id();
  Of(tenant, other).Reviewed("SUPPLIER").Reject();
  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id), other, "SUPPLIER").at("status"),
            "not_assured");
  Of(tenant, other).Approved("SUPPLIER");
  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id), other, "SUPPLIER").at("status"), "assured");
}

TEST_F(StatusHttpTest, AnExceptionKeepsTheApprovalStandingUntilItEnds) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  Of(tenant, service).Approved("CRYPTOGRAPHY");
  Story story = Of(tenant, service).Reviewed("SUPPLIER", {{"SUP-05", NotMet()}});
  const std::string id = story.id();
  const std::string exception =
      story.Exception("SUP-05", Day(20), "accepted for now").last().at("id");
  story.Approve();

  auto standard = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "expiring") << standard.dump();
  EXPECT_EQ(standard.at("base_status"), "conditionally_assured");
  EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "active_exceptions"},
                                                  {"standard", "SUPPLIER"},
                                                  {"requirement_id", "SUP-05"},
                                                  {"exception_id", exception},
                                                  {"date", Day(20)}},
                                                 {{"code", "lapses_soon"},
                                                  {"standard", "SUPPLIER"},
                                                  {"requirement_id", "SUP-05"},
                                                  {"exception_id", exception},
                                                  {"date", Day(20)}}}));
  EXPECT_EQ(standard.at("next_change"), NextChange(Day(21), "not_assured"));
  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id, Day(20)), service, "SUPPLIER").at("status"),
            "expiring");
  standard = StandardOf(Status(tenant.token, tenant.id, Day(21)), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "not_assured");
  EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "exception_expired"},
                                                  {"standard", "SUPPLIER"},
                                                  {"requirement_id", "SUP-05"},
                                                  {"exception_id", exception},
                                                  {"date", Day(21)}}}));

  // Revoked: expired from today.
  Ok(T("risk_owner"), "POST", "/exceptions/" + exception + "/revoke");
  standard = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "not_assured") << standard.dump();
  EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "exception_expired"},
                                                  {"standard", "SUPPLIER"},
                                                  {"requirement_id", "SUP-05"},
                                                  {"exception_id", exception},
                                                  {"date", Day(0)}}}));
}

TEST_F(StatusHttpTest, AProfileChangedSinceApprovalExpiresIt) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string crypto = Of(tenant, service).Approved("CRYPTOGRAPHY").id();
  const std::string supplier = Of(tenant, service).Approved("SUPPLIER").id();
  Ok(tenant.token, "PATCH", "/services/" + service,
     {{"profile", Profile({.personal_data = true})}});
  const auto document = Status(tenant.token, tenant.id);
  for (const auto& [key, id] :
       {std::pair<std::string, std::string>{"CRYPTOGRAPHY", crypto}, {"SUPPLIER", supplier}}) {
    const auto standard = StandardOf(document, service, key);
    EXPECT_EQ(standard.at("status"), "expired") << standard.dump();
    EXPECT_EQ(
        standard.at("reasons"),
        Json::array({{{"code", "profile_changed"}, {"standard", key}, {"assessment_id", id}}}));
  }
  EXPECT_EQ(document.at("status"), "expired");
}

TEST_F(StatusHttpTest, AsOfMustBeADateNotBeforeTodayForTheAttestationAndThePortfolio) {
  const Tenant tenant = NewTenant();
  Of(tenant).Service().service_id();
  // A supplier's own status reads the past from the journal: this one did not exist yesterday.
  Refused(T("admin"), "/suppliers/" + tenant.id + "/status?as_of=" + Day(-1), 404,
          "not_found_on_date");
  for (const std::string& path : std::vector<std::string>{
           "/suppliers/" + tenant.id + "/attestation", std::string("/status")}) {
    const auto past = Refused(T("admin"), path + "?as_of=" + Day(-1), 422, "as_of_in_past");
    bool named = false;
    for (const auto& error : past.value("errors", Json::array())) {
      named = named || error.value("pointer", "") == "query/as_of";
    }
    EXPECT_TRUE(named) << past.dump();
    EXPECT_EQ(Send(T("admin"), "GET", path + "?as_of=" + Day(0)).status, 200) << path;
    EXPECT_EQ(Send(T("admin"), "GET", path + "?as_of=" + Day(3650)).status, 200) << path;
    for (const std::string bad : {"2030-02-30", "tomorrow", "20300101", "", "2030-1-01"}) {
      Refused(T("admin"), path + "?as_of=" + bad, 422, "invalid_query");
    }
    Refused(T("admin"), path + "?asof=" + Day(0), 422, "invalid_query");
  }
  // The CSV portfolio checks as_of the same way.
  Refused(T("admin"), "/status?as_of=" + Day(-1), 422, "as_of_in_past", {{"Accept", "text/csv"}});
}

}  // namespace
}  // namespace coco::test::status_http
