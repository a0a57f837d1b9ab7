// The portfolio over HTTP (issue #6): a row per required standard of every supplier, filters,
// paging and the CSV export. Shared helpers: status_http.hpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/http/status_http.hpp"

namespace coco::test::status_http {
namespace {

TEST_F(StatusHttpTest, ThePortfolioHasARowPerRequiredStandardAndFilters) {
  const Tenant empty = NewTenant();
  const Tenant tenant = NewTenant();
  const std::string plain = Of(tenant).Service(Profile(), {{"contract_ref", "PF-1"}}).service_id();
  const std::string both =
      Of(tenant).Service(Profile({.connects_to_network = true, .offshore = true})).service_id();
  const std::string supplier =
      Of(tenant, plain).Approved("SUPPLIER", {}, {{"valid_until", Day(40)}}).id();
  Of(tenant, plain).Approved("CRYPTOGRAPHY");
  const std::string crypto_valid = DefaultValidUntil();

  const auto all = Portfolio();
  EXPECT_EQ(KeySet(all).size(), all.size()) << "a row came twice";
  const auto mine = RowsOf(all, tenant.id);
  EXPECT_EQ(KeySet(mine),
            (std::set<std::string>{
                Key(tenant.id, plain, "CRYPTOGRAPHY"), Key(tenant.id, plain, "SUPPLIER"),
                Key(tenant.id, both, "COCO"), Key(tenant.id, both, "OFFSHORING"),
                Key(tenant.id, both, "CRYPTOGRAPHY"), Key(tenant.id, both, "SUPPLIER")}));
  // Each row says what the status document says about that service and standard.
  const auto document = Status(T("admin"), tenant.id);
  for (const auto& row : mine) {
    EXPECT_EQ(row.at("supplier_name"), tenant.name);
    const std::string service = row.at("service").at("service_id");
    const auto& info = ServiceOf(document, service);
    for (const std::string field : {"name", "contract_ref", "contract_start", "contract_end"}) {
      EXPECT_EQ(row.at("service").at(field), info.at(field)) << field;
    }
    const auto& standard = StandardOf(document, service, row.at("standard"));
    for (const std::string field : {"required", "version", "status", "base_status", "assessment_id",
                                    "valid_until", "next_change", "reasons"}) {
      EXPECT_EQ(row.at(field), standard.at(field)) << field << " of " << RowKey(row);
    }
  }
  for (const auto& row : mine) {
    if (RowKey(row) == Key(tenant.id, plain, "SUPPLIER")) {
      EXPECT_EQ(row.at("status"), "assured");
      EXPECT_EQ(row.at("assessment_id"), supplier);
      EXPECT_EQ(row.at("service").at("contract_ref"), "PF-1");
      EXPECT_EQ(row.at("next_change"), NextChange(Day(10), "expiring"));
    }
  }
  // A supplier without services: one row without service or standard.
  const auto lonely = RowsOf(all, empty.id);
  ASSERT_EQ(lonely.size(), 1u);
  EXPECT_TRUE(lonely[0].at("service").is_null());
  EXPECT_TRUE(lonely[0].at("standard").is_null());
  EXPECT_EQ(lonely[0].at("status"), "not_assessed");
  EXPECT_EQ(lonely[0].at("base_status"), "not_assessed");
  EXPECT_TRUE(lonely[0].at("next_change").is_null());
  EXPECT_EQ(lonely[0].at("reasons"), Json::array({{{"code", "no_services"}}}));

  // standard=
  const auto suppliers = Portfolio("standard=SUPPLIER");
  for (const auto& row : suppliers) EXPECT_EQ(row.at("standard"), "SUPPLIER") << RowKey(row);
  EXPECT_EQ(
      KeySet(RowsOf(suppliers, tenant.id)),
      (std::set<std::string>{Key(tenant.id, plain, "SUPPLIER"), Key(tenant.id, both, "SUPPLIER")}));
  std::size_t expected = 0;
  for (const auto& row : all) expected += row.at("standard") == "SUPPLIER";
  EXPECT_EQ(suppliers.size(), expected);

  // status=, as of today and as of later days.
  auto keys_where = [&](const std::string& query) {
    return KeySet(RowsOf(Portfolio(query), tenant.id));
  };
  for (const auto& row : Portfolio("status=assured")) EXPECT_EQ(row.at("status"), "assured");
  EXPECT_EQ(keys_where("status=assured"),
            (std::set<std::string>{Key(tenant.id, plain, "CRYPTOGRAPHY"),
                                   Key(tenant.id, plain, "SUPPLIER")}));
  EXPECT_EQ(keys_where("status=not_assessed").size(), 4u);
  EXPECT_EQ(KeySet(RowsOf(Portfolio("status=not_assessed"), empty.id)), KeySet(lonely));
  EXPECT_EQ(keys_where("status=expiring&as_of=" + Day(10)),
            (std::set<std::string>{Key(tenant.id, plain, "SUPPLIER")}));
  EXPECT_EQ(keys_where("status=expired&as_of=" + Day(41)),
            (std::set<std::string>{Key(tenant.id, plain, "SUPPLIER")}));
  EXPECT_EQ(keys_where("status=expired"), std::set<std::string>());
  EXPECT_EQ(keys_where("status=assured&standard=CRYPTOGRAPHY"),
            (std::set<std::string>{Key(tenant.id, plain, "CRYPTOGRAPHY")}));
  const auto later = Ok(T("admin"), "GET", "/status?as_of=" + Day(41));
  EXPECT_EQ(later.at("as_of"), Day(41));
  EXPECT_EQ(Ok(T("admin"), "GET", "/status").at("as_of"), Day(0));

  // lapsing_before: the earliest lapse (here valid_until) before the day.
  EXPECT_EQ(keys_where("lapsing_before=" + Day(41)),
            (std::set<std::string>{Key(tenant.id, plain, "SUPPLIER")}));
  EXPECT_EQ(keys_where("lapsing_before=" + Day(40)), std::set<std::string>());
  EXPECT_EQ(keys_where("lapsing_before=" + AddDays(crypto_valid, 1)),
            (std::set<std::string>{Key(tenant.id, plain, "CRYPTOGRAPHY"),
                                   Key(tenant.id, plain, "SUPPLIER")}));
  EXPECT_EQ(KeySet(RowsOf(Portfolio("lapsing_before=" + Day(3000)), empty.id)),
            std::set<std::string>());

  // Bad filters.
  for (const std::string query : {"status=fine", "standard=ISO", "lapsing_before=soon", "limit=0",
                                  "limit=201", "limit=ten", "service=x"}) {
    Refused(T("admin"), "/status?" + query, 422, "invalid_query");
  }
}

TEST_F(StatusHttpTest, PagingWalksEveryRowOnce) {
  const Tenant tenant = NewTenant();
  Of(tenant).Service(Profile({.connects_to_network = true, .offshore = true})).service_id();
  Of(tenant).Service().service_id();
  NewTenant();
  const auto all = Portfolio();
  ASSERT_GE(all.size(), 9u);
  std::vector<std::string> expected;
  for (const auto& row : all) expected.push_back(RowKey(row));

  const auto one_by_one = Portfolio("", 1);
  std::vector<std::string> walked;
  for (const auto& row : one_by_one) walked.push_back(RowKey(row));
  EXPECT_EQ(walked, expected);
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), walked.size())
      << "duplicates";

  // Filtered walks with short pages see exactly the filtered rows.
  for (const auto& [query, keep] :
       std::vector<std::pair<std::string, std::function<bool(const Json&)>>>{
           {"status=not_assessed",
            [](const Json& row) { return row.at("status") == "not_assessed"; }},
           {"standard=COCO", [](const Json& row) { return row.at("standard") == "COCO"; }}}) {
    std::vector<std::string> want;
    for (const auto& row : all) {
      if (keep(row)) want.push_back(RowKey(row));
    }
    for (int limit : {1, 2, 3}) {
      std::vector<std::string> got;
      for (const auto& row : Portfolio(query, limit)) got.push_back(RowKey(row));
      EXPECT_EQ(got, want) << query << " limit " << limit;
    }
  }

  // Cursors the server never gave out.
  for (const std::string& cursor :
       std::vector<std::string>{"garbage!", "", Base64UrlEncode("1|not-a-uuid"),
                                std::string(200, 'A'), Base64UrlEncode("x|" + tenant.id)}) {
    const auto problem = Refused(T("admin"), "/status?cursor=" + cursor, 422, "invalid_query");
    bool named = false;
    for (const auto& error : problem.value("errors", Json::array())) {
      named = named || error.value("pointer", "") == "query/cursor";
    }
    EXPECT_TRUE(named) << cursor << ": " << problem.dump();
  }
}

TEST_F(StatusHttpTest, TheCsvPortfolioEscapesFormulas) {
  const Tenant hyperlink = NewTenant("=HYPERLINK(\"http://evil.example\",\"click\")");
  const Tenant plus = NewTenant("+SUM(1,2)");
  const Tenant minus = NewTenant("-2+3");
  const Tenant at = NewTenant("@cmd");
  const Tenant quoted = NewTenant("Plain \"Quoted\", Ltd");
  const Tenant tab = NewTenant("\tTAB");
  const Tenant carriage = NewTenant("\rCR\nnext line");
  const std::string service =
      Of(minus)
          .Service(Profile(),
                   {{"name", "-svc"}, {"contract_ref", "@ref"}, {"contract_start", Day(5)}})
          .service_id();

  const auto response = Send(T("procurement"), "GET", "/status", nullptr, {{"Accept", "text/csv"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("content-type").value_or("").rfind("text/csv", 0), 0u);
  EXPECT_NE(response.Header("content-disposition").value_or("").find("attachment"),
            std::string::npos);
  const auto records = ParseCsv(response.body);
  ASSERT_FALSE(records.empty());
  const std::vector<std::string> header = {
      "supplier_id",    "supplier_name",    "service_id",         "service_name", "contract_ref",
      "contract_start", "contract_end",     "standard",           "status",       "base_status",
      "valid_until",    "next_change_date", "next_change_status", "reasons"};
  EXPECT_EQ(records[0], header);
  EXPECT_EQ(
      response.body.substr(0, response.body.find("\r\n")),
      "supplier_id,supplier_name,service_id,service_name,contract_ref,contract_start,contract_end,"
      "standard,status,base_status,valid_until,next_change_date,next_change_status,reasons");

  // One record per JSON row, saying the same.
  const auto rows = Portfolio();
  ASSERT_EQ(records.size() - 1, rows.size());
  std::map<std::string, std::vector<std::string>> by_key;
  for (std::size_t i = 1; i < records.size(); ++i) {
    ASSERT_EQ(records[i].size(), header.size()) << i;
    by_key[records[i][0] + "/" + records[i][2] + "/" + records[i][7]] = records[i];
  }
  for (const auto& row : rows) {
    ASSERT_TRUE(by_key.contains(RowKey(row))) << RowKey(row);
    const auto& cells = by_key.at(RowKey(row));
    EXPECT_EQ(cells[8], row.at("status"));
    EXPECT_EQ(cells[9], row.at("base_status"));
    std::string reasons;
    for (const auto& reason : row.at("reasons")) {
      reasons += (reasons.empty() ? "" : ";") + reason.at("code").get<std::string>();
    }
    EXPECT_EQ(cells[13], reasons);
    EXPECT_EQ(cells[11], row.at("next_change").is_null()
                             ? ""
                             : row.at("next_change").at("date").get<std::string>());
  }

  // Formula injection: a leading =, +, - or @ gets a ' in front; quotes and commas are quoted.
  auto cells_of = [&](const Tenant& tenant) {
    for (std::size_t i = 1; i < records.size(); ++i) {
      if (records[i][0] == tenant.id) return records[i];
    }
    throw std::runtime_error("no CSV record for " + tenant.name);
  };
  for (const Tenant* tenant : {&hyperlink, &plus, &minus, &at}) {
    EXPECT_EQ(cells_of(*tenant)[1], "'" + tenant->name);
  }
  EXPECT_EQ(cells_of(quoted)[1], quoted.name);
  EXPECT_EQ(cells_of(tab)[1], "'\tTAB");
  EXPECT_EQ(cells_of(carriage)[1], "'\rCR\nnext line");
  EXPECT_NE(response.body.find(carriage.id + ",\"'\rCR\nnext line\","), std::string::npos);
  EXPECT_NE(response.body.find(hyperlink.id +
                               ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","),
            std::string::npos);
  EXPECT_NE(response.body.find(plus.id + ",\"'+SUM(1,2)\","), std::string::npos);
  EXPECT_NE(response.body.find(at.id + ",'@cmd,,,,,,,not_assessed,not_assessed,,,,no_services\r\n"),
            std::string::npos);
  EXPECT_NE(response.body.find(quoted.id + ",\"Plain \"\"Quoted\"\", Ltd\","), std::string::npos);
  EXPECT_NE(response.body.find(minus.id + ",'-2+3," + service + ",'-svc,'@ref," + Day(5) + ",,"),
            std::string::npos);
  for (const auto& record : records) {
    for (const auto& cell : record) {
      if (!cell.empty()) {
        EXPECT_EQ(std::string("=+-@\t\r").find(cell[0]), std::string::npos)
            << "unescaped cell: " << cell;
      }
    }
  }

  // Filters apply; paging does not.
  const auto filtered =
      Send(T("admin"), "GET", "/status?standard=SUPPLIER", nullptr, {{"Accept", "text/csv"}});
  ASSERT_EQ(filtered.status, 200);
  const auto supplier_records = ParseCsv(filtered.body);
  EXPECT_EQ(supplier_records.size() - 1, Portfolio("standard=SUPPLIER").size());
  for (std::size_t i = 1; i < supplier_records.size(); ++i)
    EXPECT_EQ(supplier_records[i][7], "SUPPLIER");
  Refused(T("admin"), "/status?limit=10", 422, "invalid_query", {{"Accept", "text/csv"}});
  Refused(T("admin"), "/status?cursor=abc", 422, "invalid_query", {{"Accept", "text/csv"}});
  Refused(T("supplier_a"), "/status", 403, "", {{"Accept", "text/csv"}});
}

}  // namespace
}  // namespace coco::test::status_http
