// Assurance status over HTTP (issue #6, DESIGN.md §2 "Assurance status" and §4): the status
// document of one supplier, the portfolio (JSON pages and CSV), signed attestations and the
// public key set. Every answer is also checked against the contract by the test client.
//
// Dates are relative to today (UTC); the future is reached with `as_of`, never by waiting.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include "tests/support/dates.hpp"
#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

using Json = nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

Json Parse(const HttpResponse& response) { return Json::parse(response.body); }

// --- base64 ---

std::string Base64UrlEncode(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (bytes.size() - i == 1) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
  } else if (bytes.size() - i == 2) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
  }
  return out;
}

// Standard base64 with padding (for PEM).
std::string Base64Encode(const std::string& bytes) {
  std::string out = Base64UrlEncode(bytes);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (out.size() % 4 != 0) out += '=';
  return out;
}

// Strict base64url without padding; throws on anything else.
std::string Base64UrlDecode(const std::string& text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-') return 62;
    if (c == '_') return 63;
    return -1;
  };
  if (text.size() % 4 == 1) throw std::runtime_error("bad base64url length");
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value(c);
    if (v < 0) throw std::runtime_error(std::string("bad base64url character '") + c + "'");
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::string FromHex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

// RFC 4180 records (CRLF line ends, "" inside quoted cells). Throws on a malformed document.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> fields;
  std::string field;
  bool in_quotes = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          i += 2;
        } else {
          in_quotes = false;
          ++i;
        }
      } else {
        field += c;
        ++i;
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) throw std::runtime_error("quote inside an unquoted cell");
      in_quotes = was_quoted = true;
      ++i;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
      was_quoted = false;
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      fields.push_back(field);
      records.push_back(fields);
      fields.clear();
      field.clear();
      was_quoted = false;
      i += 2;
    } else if (c == '\n' || c == '\r') {
      throw std::runtime_error("a bare line end outside quotes");
    } else {
      if (was_quoted) throw std::runtime_error("text after a closing quote");
      field += c;
      ++i;
    }
  }
  if (in_quotes) throw std::runtime_error("unterminated quoted cell");
  if (!field.empty() || !fields.empty()) throw std::runtime_error("the last record has no CRLF");
  return records;
}

// --- status documents ---

std::multiset<std::string> Codes(const Json& reasons) {
  std::multiset<std::string> codes;
  for (const auto& reason : reasons) codes.insert(reason.at("code").get<std::string>());
  return codes;
}

// The reasons with `code`.
Json With(const Json& reasons, const std::string& code) {
  Json found = Json::array();
  for (const auto& reason : reasons) {
    if (reason.at("code") == code) found.push_back(reason);
  }
  return found;
}

Json NextChange(const std::string& date, const std::string& status) {
  return {{"date", date}, {"status", status}};
}

const Json& ServiceOf(const Json& document, const std::string& service) {
  for (const auto& entry : document.at("services")) {
    if (entry.at("service_id") == service) return entry;
  }
  throw std::runtime_error("no service " + service + " in " + document.dump());
}

const Json* FindStandard(const Json& service, const std::string& key) {
  for (const auto& entry : service.at("standards")) {
    if (entry.at("standard") == key) return &entry;
  }
  return nullptr;
}

const Json& StandardOf(const Json& document, const std::string& service, const std::string& key) {
  const Json* found = FindStandard(ServiceOf(document, service), key);
  if (found == nullptr) throw std::runtime_error("no " + key + " for " + service + " in " + document.dump());
  return *found;
}

std::vector<std::string> Keys(const Json& service) {
  std::vector<std::string> keys;
  for (const auto& entry : service.at("standards")) keys.push_back(entry.at("standard"));
  return keys;
}

// A portfolio row's identity: supplier / service / standard.
std::string RowKey(const Json& row) {
  return row.at("supplier_id").get<std::string>() + "/" +
         (row.at("service").is_null() ? std::string() : row.at("service").at("service_id").get<std::string>()) +
         "/" + (row.at("standard").is_null() ? std::string() : row.at("standard").get<std::string>());
}

std::vector<Json> RowsOf(const std::vector<Json>& rows, const std::string& supplier) {
  std::vector<Json> mine;
  for (const auto& row : rows) {
    if (row.at("supplier_id") == supplier) mine.push_back(row);
  }
  return mine;
}

std::set<std::string> KeySet(const std::vector<Json>& rows) {
  std::set<std::string> keys;
  for (const auto& row : rows) keys.insert(RowKey(row));
  return keys;
}

std::string Key(const std::string& supplier, const std::string& service, const std::string& standard) {
  return supplier + "/" + service + "/" + standard;
}

// Runs a program (no shell); exit code and output.
CocoServer::RunResult RunTool(const std::vector<std::string>& argv) {
  std::vector<std::string> full = {"/usr/bin/env"};
  full.insert(full.end(), argv.begin(), argv.end());
  return RunProgram(full, {});
}

// A private scratch directory, removed at the end of the scope.
class ScratchDir {
 public:
  ScratchDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("coco-status-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string Write(const std::string& name, const std::string& bytes) const {
    const auto file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out << bytes;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

std::string Sha256Hex(const std::string& bytes) {
  ScratchDir dir;
  const auto file = dir.Write("file", bytes);
  const auto result = RunTool({"openssl", "dgst", "-sha256", "-r", file});
  if (result.exit_code != 0) throw std::runtime_error("openssl dgst: " + result.err);
  return result.out.substr(0, 64);
}

// A PEM SubjectPublicKeyInfo of a raw Ed25519 public key.
std::string Ed25519PublicPem(const std::string& raw) {
  const std::string der = FromHex("302a300506032b6570032100") + raw;
  return "-----BEGIN PUBLIC KEY-----\n" + Base64Encode(der) + "\n-----END PUBLIC KEY-----\n";
}

// openssl pkeyutl -verify of `signature` over `input` against `pem`.
CocoServer::RunResult VerifyEd25519(const std::string& pem, const std::string& input,
                                    const std::string& signature) {
  ScratchDir dir;
  const auto key = dir.Write("pub.pem", pem);
  const auto in = dir.Write("input", input);
  const auto sig = dir.Write("sig", signature);
  return RunTool({"openssl", "pkeyutl", "-verify", "-pubin", "-inkey", key, "-rawin", "-in", in,
              "-sigfile", sig});
}

// A supplier of its own per test (the world's suppliers are shared), with a supplier user.
struct Tenant {
  std::string id;
  std::string name;
  std::string token;
};

// One World for the suite; every test makes its own suppliers, services and assessments.
class StatusHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new World(); }
  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  static std::string T(const std::string& persona) { return world_->Token(persona); }

  HttpResponse Send(const std::string& token, const std::string& method, const std::string& target,
                    const Json& body = nullptr, const Headers& extra = {}) {
    Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
    headers.insert(headers.end(), extra.begin(), extra.end());
    return client_->Send(method, target, headers, body.is_null() ? "" : body.dump());
  }

  // A request that must answer `status`; its body. Anything else stops the test.
  Json Ok(const std::string& token, const std::string& method, const std::string& target,
          const Json& body = nullptr, int status = 200) {
    const auto response = Send(token, method, target, body);
    if (response.status != status) {
      ADD_FAILURE() << method << " " << target << " " << (body.is_null() ? "" : body.dump())
                    << "\nanswered " << response.status << ": " << response.body;
      throw std::runtime_error("unexpected status");
    }
    return response.body.empty() ? Json() : Parse(response);
  }

  // A refusal with `status` and problem `code` (when given).
  Json Refused(const std::string& token, const std::string& target, int status,
               const std::string& code = "", const Headers& extra = {}) {
    const auto response = Send(token, "GET", target, nullptr, extra);
    EXPECT_EQ(response.status, status) << target << "\n" << response.body;
    const Json problem = response.body.empty() ? Json::object() : Parse(response);
    if (!code.empty()) {
      EXPECT_EQ(problem.value("code", ""), code) << target << "\n" << response.body;
    }
    return problem;
  }

  Tenant NewTenant(const std::string& name = "") {
    static int counter = 0;
    const int n = ++counter;
    const std::string full = name.empty() ? "status supplier " + std::to_string(n) : name;
    const auto created = Ok(T("admin"), "POST", "/suppliers",
                            {{"name", full}, {"contact_email", "s" + std::to_string(n) + "@status.example"}},
                            201);
    Tenant tenant{created.at("id"), full, ""};
    tenant.token = world_->NewToken("supplier", "status user " + std::to_string(n), tenant.id);
    return tenant;
  }

  // A story of the tenant, told on this test's connection; on `service` when given.
  Story Of(const Tenant& tenant, const std::string& service = "") {
    Story story(*world_, *client_);
    story.Supplier(tenant.id, tenant.token);
    if (!service.empty()) story.OnService(service);
    return story;
  }

  Json Assessment(const std::string& id) { return Ok(T("admin"), "GET", "/assessments/" + id); }

  // An evidence file of the tenant; `issued_on` / `expires_on` when not empty.
  Json Upload(const Tenant& tenant, const std::string& kind, const std::string& content,
              const std::string& issued_on = "", const std::string& expires_on = "") {
    std::string target = "/suppliers/" + tenant.id + "/evidence?filename=" + kind + ".pdf&kind=" + kind;
    if (!issued_on.empty()) target += "&issued_on=" + issued_on;
    if (!expires_on.empty()) target += "&expires_on=" + expires_on;
    const auto response = client_->Send(
        "POST", target,
        {{"Authorization", "Bearer " + tenant.token}, {"Content-Type", "application/pdf"}}, content);
    if (response.status != 201) {
      ADD_FAILURE() << "upload " << target << ": " << response.status << " " << response.body;
      throw std::runtime_error("upload failed");
    }
    return Parse(response);
  }

  Json Status(const std::string& token, const std::string& supplier, const std::string& as_of = "") {
    return Ok(token, "GET", "/suppliers/" + supplier + "/status" + (as_of.empty() ? "" : "?as_of=" + as_of));
  }

  // Every row of the portfolio for `query`, following next_cursor with pages of `limit`.
  std::vector<Json> Portfolio(const std::string& query = "", int limit = 200,
                              const std::string& token = "") {
    std::vector<Json> rows;
    std::string cursor;
    for (int pages = 0; pages < 5000; ++pages) {
      std::string target = "/status?limit=" + std::to_string(limit);
      if (!query.empty()) target += "&" + query;
      if (!cursor.empty()) target += "&cursor=" + cursor;
      const auto page = Ok(token.empty() ? T("admin") : token, "GET", target);
      EXPECT_LE(page.at("items").size(), static_cast<std::size_t>(limit)) << target;
      for (const auto& row : page.at("items")) rows.push_back(row);
      if (page.at("next_cursor").is_null()) return rows;
      const std::string next = page.at("next_cursor");
      if (next == cursor) throw std::runtime_error("the cursor did not move: " + target);
      cursor = next;
    }
    throw std::runtime_error("the portfolio never ended");
  }

  // The keys of `supplier`'s portfolio rows for `query`.
  std::set<std::string> PortfolioKeys(const std::string& query, const std::string& supplier) {
    return KeySet(RowsOf(Portfolio(query), supplier));
  }

  static World* world_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* StatusHttpTest::world_ = nullptr;

// ===================================================================================== statuses

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
      expected_reasons.push_back({{"code", "no_submission"}, {"standard", key}, {"service_id", service}});
      const auto& standard = StandardOf(document, service, key);
      EXPECT_TRUE(standard.at("required")) << standard.dump();
      EXPECT_EQ(standard.at("status"), "not_assessed") << standard.dump();
      EXPECT_EQ(standard.at("base_status"), "not_assessed") << standard.dump();
      EXPECT_TRUE(standard.at("version").is_null()) << standard.dump();
      EXPECT_TRUE(standard.at("assessment_id").is_null()) << standard.dump();
      EXPECT_TRUE(standard.at("valid_until").is_null()) << standard.dump();
      EXPECT_TRUE(standard.at("next_change").is_null()) << standard.dump();
      EXPECT_EQ(standard.at("reasons"), Json::array({{{"code", "no_submission"}, {"standard", key}}}))
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
  EXPECT_EQ(supplier.at("reasons"),
            Json::array({{{"code", "reassessment_in_progress"}, {"standard", "SUPPLIER"},
                          {"assessment_id", draft}}}));
  EXPECT_TRUE(supplier.at("assessment_id").is_null()) << "there is no governing approval yet";
  EXPECT_TRUE(supplier.at("next_change").is_null());
  // CRYPTOGRAPHY, not assessed, is worse than in progress: it governs the roll-ups.
  EXPECT_EQ(ServiceOf(document, service).at("status"), "not_assessed");
  EXPECT_EQ(ServiceOf(document, service).at("reasons"),
            Json::array({{{"code", "no_submission"}, {"standard", "CRYPTOGRAPHY"}, {"service_id", service}}}));
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
    EXPECT_EQ(Codes(listed->at("reasons")), std::multiset<std::string>{"no_submission"}) << listed->dump();
    EXPECT_EQ(entry.dump().find(draft), std::string::npos) << "names the withdrawn draft: " << entry.dump();
  }
  // Not counted either way: the service's reasons are those of the required standards.
  EXPECT_EQ(entry.at("reasons").size(), 2u) << entry.dump();
  for (const auto& reason : entry.at("reasons")) EXPECT_NE(reason.at("standard"), "COCO") << entry.dump();
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
  EXPECT_EQ(Keys(entry), (std::vector<std::string>{"COCO", "CRYPTOGRAPHY", "SUPPLIER"})) << entry.dump();
  const auto& listed = StandardOf(document, service, "COCO");
  EXPECT_FALSE(listed.at("required"));
  EXPECT_EQ(listed.at("status"), "expired");
  EXPECT_EQ(listed.at("assessment_id"), coco);
  EXPECT_EQ(listed.at("reasons"),
            Json::array({{{"code", "profile_changed"}, {"standard", "COCO"}, {"assessment_id", coco}}}));
  EXPECT_EQ(entry.at("status"), "assured") << entry.dump();
  EXPECT_EQ(entry.at("reasons"), Json::array());
  EXPECT_EQ(document.at("status"), "assured");
  EXPECT_EQ(document.at("reasons"), Json::array());
  EXPECT_EQ(PortfolioKeys("", tenant.id),
            (std::set<std::string>{Key(tenant.id, service, "CRYPTOGRAPHY"), Key(tenant.id, service, "SUPPLIER")}));
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
  const Json open = {{"code", "open_actions"}, {"standard", "SUPPLIER"}, {"requirement_id", "SUP-03"},
                     {"action_id", action}, {"date", due}};

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
  EXPECT_EQ(StandardOf(Status(T("procurement"), tenant.id, Day(14)), service, "SUPPLIER").at("status"),
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
  EXPECT_EQ(StandardOf(Status(T("procurement"), tenant.id, due), service, "SUPPLIER").at("status"), "expiring");
  document = Status(T("procurement"), tenant.id, AddDays(due, 1));
  standard = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "not_assured");
  EXPECT_EQ(standard.at("base_status"), "not_assured");
  EXPECT_EQ(standard.at("reasons"),
            Json::array({{{"code", "action_overdue"}, {"standard", "SUPPLIER"}, {"requirement_id", "SUP-03"},
                          {"action_id", action}, {"date", due}}}));
  EXPECT_TRUE(standard.at("next_change").is_null()) << standard.dump();
  EXPECT_EQ(document.at("status"), "not_assured");
  EXPECT_TRUE(document.at("next_change").is_null());
  ASSERT_EQ(document.at("reasons").size(), 1u);
  EXPECT_EQ(document.at("reasons")[0].at("action_id"), action);
  EXPECT_EQ(document.at("reasons")[0].at("service_id"), service);

  // The open action's due date is the row's earliest lapse.
  const std::string row = Key(tenant.id, service, "SUPPLIER");
  EXPECT_EQ(PortfolioKeys("lapsing_before=" + AddDays(due, 1), tenant.id), std::set<std::string>{row});
  EXPECT_EQ(PortfolioKeys("lapsing_before=" + due, tenant.id), std::set<std::string>());

  // Completing the action is not enough; verifying it is.
  const std::string policy = Upload(tenant, "dpia", "a signed data processing agreement").at("id");
  Ok(tenant.token, "POST", "/actions/" + action + "/complete", {{"note", "signed"}, {"evidence_ids", {policy}}});
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
  EXPECT_EQ(StandardOf(Status(T("procurement"), tenant.id, Day(15)), service, "SUPPLIER").at("status"), "expiring");
  EXPECT_EQ(StandardOf(Status(T("procurement"), tenant.id, AddDays(due, 1)), service, "SUPPLIER").at("status"),
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
  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER").at("status"), "expiring");
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

  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id, Day(9)), service, "SUPPLIER").at("status"), "assured");
  for (const std::string& day : std::vector<std::string>{Day(10), valid_until}) {
    standard = StandardOf(Status(tenant.token, tenant.id, day), service, "SUPPLIER");
    EXPECT_EQ(standard.at("status"), "expiring") << day;
    EXPECT_EQ(standard.at("base_status"), "assured") << day;
    EXPECT_EQ(standard.at("reasons"),
              Json::array({{{"code", "lapses_soon"}, {"standard", "SUPPLIER"}, {"assessment_id", id},
                            {"date", valid_until}}}))
        << day;
    EXPECT_EQ(standard.at("next_change"), NextChange(AddDays(valid_until, 1), "expired")) << day;
  }
  const auto document = Status(tenant.token, tenant.id, AddDays(valid_until, 1));
  standard = StandardOf(document, service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "expired");
  EXPECT_EQ(standard.at("base_status"), "expired");
  EXPECT_EQ(standard.at("reasons"),
            Json::array({{{"code", "approval_expired"}, {"standard", "SUPPLIER"}, {"assessment_id", id},
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
  const std::string should_file = Upload(tenant, "policy", "crypto SHOULD policy", "", Day(5)).at("id");
  const std::string tls = Upload(tenant, "tls_scan", "a TLS scan").at("id");
  Of(tenant, service)
      .Approved("CRYPTOGRAPHY", {{"CRYPTO-01", Met({never})},
                                 {"CRYPTO-02", Met({should_file})},
                                 {"CRYPTO-04", Met({tls})}});

  const std::string early = Upload(tenant, "cyber_essentials_certificate", "CE 1", "", Day(12)).at("id");
  const std::string late = Upload(tenant, "cyber_essentials_certificate", "CE 2", "", Day(22)).at("id");
  const std::string other_kind = Upload(tenant, "policy", "a policy that lapses early", "", Day(3)).at("id");
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
  const Json soon = Json::array(
      {{{"code", "lapses_soon"}, {"standard", "SUPPLIER"}, {"requirement_id", "SUP-08"},
        {"evidence_id", pen.at("id")}, {"date", pen_lapse}},
       {{"code", "lapses_soon"}, {"standard", "SUPPLIER"}, {"requirement_id", "SUP-09"},
        {"evidence_id", late}, {"date", Day(22)}}});
  EXPECT_EQ(standard.at("reasons"), soon);
  EXPECT_EQ(standard.at("next_change"), NextChange(AddDays(pen_lapse, 1), "expired"));

  // The SHOULD file neither makes CRYPTOGRAPHY expiring nor expires it.
  auto crypto = StandardOf(Status(tenant.token, tenant.id), service, "CRYPTOGRAPHY");
  EXPECT_EQ(crypto.at("status"), "assured") << crypto.dump();
  EXPECT_EQ(crypto.at("reasons"), Json::array());
  crypto = StandardOf(Status(tenant.token, tenant.id, Day(6)), service, "CRYPTOGRAPHY");
  EXPECT_EQ(crypto.at("status"), "assured") << crypto.dump();
  EXPECT_EQ(crypto.at("reasons"),
            Json::array({{{"code", "should_evidence_expired"}, {"standard", "CRYPTOGRAPHY"},
                          {"requirement_id", "CRYPTO-02"}, {"evidence_id", should_file}, {"date", Day(5)}}}));

  // The pen test's last day, then the day after.
  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id, pen_lapse), service, "SUPPLIER").at("status"), "expiring");
  standard = StandardOf(Status(tenant.token, tenant.id, AddDays(pen_lapse, 1)), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "expired");
  EXPECT_EQ(standard.at("reasons"),
            Json::array({{{"code", "evidence_expired"}, {"standard", "SUPPLIER"}, {"requirement_id", "SUP-08"},
                          {"evidence_id", pen.at("id")}, {"date", pen_lapse}}}));
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
    EXPECT_EQ(standard.at("reasons"),
              Json::array({{{"code", "reassessment_triggered"}, {"standard", key},
                            {"trigger_id", trigger}, {"date", Day(-10)}}}));
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
    EXPECT_EQ(standard.at("reasons"),
              Json::array({{{"code", "suspended"}, {"standard", "SUPPLIER"}, {"assessment_id", id}}}));
    EXPECT_TRUE(standard.at("next_change").is_null());
    EXPECT_EQ(document.at("status"), "not_assured");
    EXPECT_EQ(document.at("reasons"),
              Json::array({{{"code", "suspended"}, {"standard", "SUPPLIER"}, {"service_id", service},
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
  EXPECT_EQ(standard.at("reasons"),
            Json::array({{{"code", "rejected"}, {"standard", "SUPPLIER"}, {"assessment_id", rejection},
                          {"date", Day(0)}}}));
  EXPECT_EQ(standard.at("assessment_id"), approval) << "the approval still governs";
  EXPECT_EQ(document.at("status"), "not_assured");

  // With a reassessment open, that is said too; its approval ends the rejection's reign.
  Story third = Of(tenant, service).Reviewed("SUPPLIER");
  standard = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "not_assured");
  EXPECT_EQ(Codes(standard.at("reasons")), (std::multiset<std::string>{"rejected", "reassessment_in_progress"}));
  third.Approve();
  standard = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "assured");
  EXPECT_EQ(standard.at("assessment_id"), third.id());

  // A rejection older than the approval does not count.
  const std::string other = Of(tenant).Service().service_id();
  Of(tenant, other).Reviewed("SUPPLIER").Reject();
  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id), other, "SUPPLIER").at("status"), "not_assured");
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
  EXPECT_EQ(standard.at("reasons"),
            Json::array({{{"code", "active_exceptions"}, {"standard", "SUPPLIER"}, {"requirement_id", "SUP-05"},
                          {"exception_id", exception}, {"date", Day(20)}},
                         {{"code", "lapses_soon"}, {"standard", "SUPPLIER"}, {"requirement_id", "SUP-05"},
                          {"exception_id", exception}, {"date", Day(20)}}}));
  EXPECT_EQ(standard.at("next_change"), NextChange(Day(21), "not_assured"));
  EXPECT_EQ(StandardOf(Status(tenant.token, tenant.id, Day(20)), service, "SUPPLIER").at("status"), "expiring");
  standard = StandardOf(Status(tenant.token, tenant.id, Day(21)), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "not_assured");
  EXPECT_EQ(standard.at("reasons"),
            Json::array({{{"code", "exception_expired"}, {"standard", "SUPPLIER"}, {"requirement_id", "SUP-05"},
                          {"exception_id", exception}, {"date", Day(21)}}}));

  // Revoked: expired from today.
  Ok(T("risk_owner"), "POST", "/exceptions/" + exception + "/revoke");
  standard = StandardOf(Status(tenant.token, tenant.id), service, "SUPPLIER");
  EXPECT_EQ(standard.at("status"), "not_assured") << standard.dump();
  EXPECT_EQ(standard.at("reasons"),
            Json::array({{{"code", "exception_expired"}, {"standard", "SUPPLIER"}, {"requirement_id", "SUP-05"},
                          {"exception_id", exception}, {"date", Day(0)}}}));
}

TEST_F(StatusHttpTest, AProfileChangedSinceApprovalExpiresIt) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string crypto = Of(tenant, service).Approved("CRYPTOGRAPHY").id();
  const std::string supplier = Of(tenant, service).Approved("SUPPLIER").id();
  Ok(tenant.token, "PATCH", "/services/" + service,
     {{"profile", Profile({.personal_data = true})}});
  const auto document = Status(tenant.token, tenant.id);
  for (const auto& [key, id] : {std::pair<std::string, std::string>{"CRYPTOGRAPHY", crypto}, {"SUPPLIER", supplier}}) {
    const auto standard = StandardOf(document, service, key);
    EXPECT_EQ(standard.at("status"), "expired") << standard.dump();
    EXPECT_EQ(standard.at("reasons"),
              Json::array({{{"code", "profile_changed"}, {"standard", key}, {"assessment_id", id}}}));
  }
  EXPECT_EQ(document.at("status"), "expired");
}

TEST_F(StatusHttpTest, AsOfMustBeADateNotBeforeToday) {
  const Tenant tenant = NewTenant();
  Of(tenant).Service().service_id();
  for (const std::string& path : std::vector<std::string>{"/suppliers/" + tenant.id + "/status",
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

// ================================================================================ authorisation

TEST_F(StatusHttpTest, WhoMayReadAStatusOrAnAttestation) {
  const std::string a = world_->supplier_a();
  for (const auto& persona : World::Personas()) {
    const int expected = persona == "supplier_b" ? 404 : 200;
    for (const std::string& path : std::vector<std::string>{"/suppliers/" + a + "/status", "/suppliers/" + a + "/attestation"}) {
      EXPECT_EQ(Send(T(persona), "GET", path).status, expected) << persona << " " << path;
    }
  }
  // The other way round, and an unknown supplier.
  const std::string b = world_->supplier_b();
  EXPECT_EQ(Send(T("supplier_a"), "GET", "/suppliers/" + b + "/status").status, 404);
  EXPECT_EQ(Send(T("supplier_a"), "GET", "/suppliers/" + b + "/attestation").status, 404);
  const std::string nobody = "6f1c2a4e-0000-4000-8000-000000000001";
  EXPECT_EQ(Send(T("admin"), "GET", "/suppliers/" + nobody + "/status").status, 404);
  EXPECT_EQ(Send(T("admin"), "GET", "/suppliers/" + nobody + "/attestation").status, 404);
  // Another supplier's id answers 404 before anything about the query is looked at.
  EXPECT_EQ(Send(T("supplier_b"), "GET", "/suppliers/" + a + "/status?as_of=" + Day(-1)).status, 404);
  EXPECT_EQ(Send(T("supplier_b"), "GET", "/suppliers/" + a + "/status?bogus=1").status, 404);
  // Ids are not case-sensitive: the supplier's own id in capitals is still its own.
  std::string upper = a;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto own = Send(T("supplier_a"), "GET", "/suppliers/" + upper + "/status");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(Parse(own).at("supplier_id"), a);
  EXPECT_EQ(Send(T("supplier_b"), "GET", "/suppliers/" + upper + "/status").status, 404);
}

TEST_F(StatusHttpTest, NoValidTokenIs401BeforeAnythingElse) {
  const std::string a = world_->supplier_a();
  const std::string nobody = "6f1c2a4e-0000-4000-8000-000000000002";
  const std::vector<std::string> targets = {
      "/suppliers/" + a + "/status",
      "/suppliers/" + nobody + "/status",
      "/suppliers/" + a + "/status?as_of=" + Day(-1),
      "/suppliers/" + a + "/status?as_of=garbage",
      "/suppliers/" + nobody + "/status?as_of=garbage",
      "/suppliers/" + a + "/status?bogus=1",
      "/suppliers/not-a-uuid/status",
      "/suppliers/" + a + "/attestation",
      "/suppliers/" + nobody + "/attestation?as_of=garbage",
      "/status",
      "/status?limit=0",
      "/status?as_of=" + Day(-1),
  };
  const std::vector<std::pair<std::string, Headers>> callers = {
      {"no token", {}},
      {"bad token", {{"Authorization", "Bearer not-a-token-at-all"}}},
      {"empty bearer", {{"Authorization", "Bearer "}}},
      {"basic", {{"Authorization", "Basic YWRtaW46YWRtaW4="}}},
      {"huge token", {{"Authorization", "Bearer " + std::string(300, 'x')}}},
  };
  for (const auto& target : targets) {
    for (const auto& [who, headers] : callers) {
      const auto response = client_->Send("GET", target, headers);
      EXPECT_EQ(response.status, 401) << who << " " << target << "\n" << response.body;
    }
  }
}

// The status read authenticates in its own statement: a revoked token and a disabled user are
// refused there as everywhere else.
TEST_F(StatusHttpTest, RevokedTokensAndDisabledUsersAreRefused) {
  const std::string a = world_->supplier_a();
  const auto user = Ok(T("admin"), "POST", "/users",
                       {{"name", "status reader"}, {"email", "reader@status.example"}, {"role", "procurement"}},
                       201);
  const std::string user_id = user.at("id");
  const auto first = Ok(T("admin"), "POST", "/tokens", {{"user_id", user_id}, {"name", "one"}}, 201);
  const auto second = Ok(T("admin"), "POST", "/tokens", {{"user_id", user_id}, {"name", "two"}}, 201);
  const std::string path = "/suppliers/" + a + "/status";
  EXPECT_EQ(Send(first.at("secret"), "GET", path).status, 200);
  EXPECT_EQ(Send(T("admin"), "DELETE", "/tokens/" + first.at("id").get<std::string>()).status, 204);
  EXPECT_EQ(Send(first.at("secret"), "GET", path).status, 401);
  EXPECT_EQ(Send(first.at("secret"), "GET", "/suppliers/" + a + "/attestation").status, 401);
  EXPECT_EQ(Send(second.at("secret"), "GET", path).status, 200);
  Ok(T("admin"), "POST", "/users/" + user_id + "/disable");
  EXPECT_EQ(Send(second.at("secret"), "GET", path).status, 401);
  EXPECT_EQ(Send(second.at("secret"), "GET", "/status").status, 401);
}

TEST_F(StatusHttpTest, ThePortfolioIsForStaffOnly) {
  for (const auto& persona : World::Personas()) {
    const bool supplier = persona.rfind("supplier", 0) == 0;
    EXPECT_EQ(Send(T(persona), "GET", "/status").status, supplier ? 403 : 200) << persona;
    EXPECT_EQ(Send(T(persona), "GET", "/status", nullptr, {{"Accept", "text/csv"}}).status, supplier ? 403 : 200)
        << persona;
  }
}

TEST_F(StatusHttpTest, RefusalsComeBeforeQueryValidation) {
  // Who may not read a list is told so whatever it asked: 403, not a 422 about its query.
  EXPECT_EQ(Send(T("supplier_a"), "GET", "/status?status=nonsense&limit=0").status, 403);
  EXPECT_EQ(Send(T("procurement"), "GET", "/actions?supplier=not-a-uuid&cursor=x").status, 403);
  EXPECT_EQ(Send(T("supplier_a"), "GET", "/status?standard=NOPE", nullptr, {{"Accept", "text/csv"}}).status,
            403);
}

TEST_F(StatusHttpTest, ACursorOnlyWorksOnTheListThatGaveIt) {
  // Two rows at least, so the portfolio's first page of one has a cursor.
  const Json page = Ok(T("admin"), "GET", "/status?limit=1");
  ASSERT_TRUE(page.at("next_cursor").is_string()) << page.dump();
  const std::string portfolio_cursor = page.at("next_cursor");
  for (const std::string list : {"/assessments", "/actions", "/suppliers", "/review-queue"}) {
    const auto response = Send(T("admin"), "GET", list + "?cursor=" + portfolio_cursor);
    EXPECT_EQ(response.status, 422) << list << ": " << response.body;
  }
  // ... and a cursor of a list keyed by time is not the portfolio's, nor the action list's.
  const Json suppliers = Ok(T("admin"), "GET", "/suppliers?limit=1");
  ASSERT_TRUE(suppliers.at("next_cursor").is_string()) << suppliers.dump();
  const std::string time_cursor = suppliers.at("next_cursor");
  EXPECT_EQ(Send(T("admin"), "GET", "/status?cursor=" + time_cursor).status, 422);
  EXPECT_EQ(Send(T("admin"), "GET", "/actions?cursor=" + time_cursor).status, 422);
}

TEST_F(StatusHttpTest, TheKeySetIsPublic) {
  const auto response = client_->Send("GET", "/.well-known/jwks.json");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.Header("content-type").value_or("").rfind("application/jwk-set+json", 0), 0u);
  const auto keys = Parse(response).at("keys");
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].at("kty"), "OKP");
  EXPECT_EQ(keys[0].at("crv"), "Ed25519");
  EXPECT_EQ(keys[0].at("alg"), "EdDSA");
  EXPECT_EQ(keys[0].at("use"), "sig");
  EXPECT_EQ(Base64UrlDecode(keys[0].at("x")).size(), 32u);
  EXPECT_FALSE(keys[0].at("kid").get<std::string>().empty());
  // With a token it is the same document.
  EXPECT_EQ(Send(T("supplier_b"), "GET", "/.well-known/jwks.json").body, response.body);
  // The published key is the public half of the server's signing key.
  const auto derived = RunTool({"openssl", "pkey", "-in", world_->server().signing_key_path(), "-pubout"});
  ASSERT_EQ(derived.exit_code, 0) << derived.err;
  EXPECT_EQ(derived.out, Ed25519PublicPem(Base64UrlDecode(keys[0].at("x"))));
}

// The key set takes no parameters; whatever it answers to one must be in the contract.
TEST_F(StatusHttpTest, TheKeySetAnswersAnUnknownParameterAsDocumented) {
  const auto response = client_->Send("GET", "/.well-known/jwks.json?x=1");
  EXPECT_TRUE(response.status == 200 || response.status == 422) << response.status << " " << response.body;
}

// ==================================================================================== portfolio

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
            (std::set<std::string>{Key(tenant.id, plain, "CRYPTOGRAPHY"), Key(tenant.id, plain, "SUPPLIER"),
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
  EXPECT_EQ(KeySet(RowsOf(suppliers, tenant.id)),
            (std::set<std::string>{Key(tenant.id, plain, "SUPPLIER"), Key(tenant.id, both, "SUPPLIER")}));
  std::size_t expected = 0;
  for (const auto& row : all) expected += row.at("standard") == "SUPPLIER";
  EXPECT_EQ(suppliers.size(), expected);

  // status=, as of today and as of later days.
  auto keys_where = [&](const std::string& query) { return KeySet(RowsOf(Portfolio(query), tenant.id)); };
  for (const auto& row : Portfolio("status=assured")) EXPECT_EQ(row.at("status"), "assured");
  EXPECT_EQ(keys_where("status=assured"),
            (std::set<std::string>{Key(tenant.id, plain, "CRYPTOGRAPHY"), Key(tenant.id, plain, "SUPPLIER")}));
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
  EXPECT_EQ(keys_where("lapsing_before=" + Day(41)), (std::set<std::string>{Key(tenant.id, plain, "SUPPLIER")}));
  EXPECT_EQ(keys_where("lapsing_before=" + Day(40)), std::set<std::string>());
  EXPECT_EQ(keys_where("lapsing_before=" + AddDays(crypto_valid, 1)),
            (std::set<std::string>{Key(tenant.id, plain, "CRYPTOGRAPHY"), Key(tenant.id, plain, "SUPPLIER")}));
  EXPECT_EQ(KeySet(RowsOf(Portfolio("lapsing_before=" + Day(3000)), empty.id)), std::set<std::string>());

  // Bad filters.
  for (const std::string query : {"status=fine", "standard=ISO", "lapsing_before=soon", "limit=0", "limit=201",
                                  "limit=ten", "service=x"}) {
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
  EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()).size(), walked.size()) << "duplicates";

  // Filtered walks with short pages see exactly the filtered rows.
  for (const auto& [query, keep] : std::vector<std::pair<std::string, std::function<bool(const Json&)>>>{
           {"status=not_assessed", [](const Json& row) { return row.at("status") == "not_assessed"; }},
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
  for (const std::string& cursor : std::vector<std::string>{"garbage!", "", Base64UrlEncode("1|not-a-uuid"), std::string(200, 'A'),
                                   Base64UrlEncode("x|" + tenant.id)}) {
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
  EXPECT_NE(response.Header("content-disposition").value_or("").find("attachment"), std::string::npos);
  const auto records = ParseCsv(response.body);
  ASSERT_FALSE(records.empty());
  const std::vector<std::string> header = {"supplier_id", "supplier_name", "service_id", "service_name",
                                           "contract_ref", "contract_start", "contract_end", "standard",
                                           "status", "base_status", "valid_until", "next_change_date",
                                           "next_change_status", "reasons"};
  EXPECT_EQ(records[0], header);
  EXPECT_EQ(response.body.substr(0, response.body.find("\r\n")),
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
    EXPECT_EQ(cells[11], row.at("next_change").is_null() ? "" : row.at("next_change").at("date").get<std::string>());
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
  EXPECT_NE(response.body.find(hyperlink.id + ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\","),
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
        EXPECT_EQ(std::string("=+-@\t\r").find(cell[0]), std::string::npos) << "unescaped cell: " << cell;
      }
    }
  }

  // Filters apply; paging does not.
  const auto filtered = Send(T("admin"), "GET", "/status?standard=SUPPLIER", nullptr, {{"Accept", "text/csv"}});
  ASSERT_EQ(filtered.status, 200);
  const auto supplier_records = ParseCsv(filtered.body);
  EXPECT_EQ(supplier_records.size() - 1, Portfolio("standard=SUPPLIER").size());
  for (std::size_t i = 1; i < supplier_records.size(); ++i) EXPECT_EQ(supplier_records[i][7], "SUPPLIER");
  Refused(T("admin"), "/status?limit=10", 422, "invalid_query", {{"Accept", "text/csv"}});
  Refused(T("admin"), "/status?cursor=abc", 422, "invalid_query", {{"Accept", "text/csv"}});
  Refused(T("supplier_a"), "/status", 403, "", {{"Accept", "text/csv"}});
}

// ================================================================================== attestation

TEST_F(StatusHttpTest, AnAttestationIsASignedStatusDocument) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string policy_bytes = "attested policy";
  const std::string ce_bytes = "attested cyber essentials certificate";
  const std::string ignored_bytes = "a policy SUP-09 does not accept";
  const auto policy = Upload(tenant, "policy", policy_bytes);
  const auto ce = Upload(tenant, "cyber_essentials_certificate", ce_bytes, "", Day(200));
  const auto ignored = Upload(tenant, "policy", ignored_bytes);
  Of(tenant, service)
      .Approved(
          "SUPPLIER",
          {{"SUP-01", Met({policy.at("id").get<std::string>()})},
           {"SUP-02", Met({policy.at("id").get<std::string>()})},
           {"SUP-09", Met({ce.at("id").get<std::string>(), ignored.at("id").get<std::string>()})}});
  const std::string policy_sha = Sha256Hex(policy_bytes);
  const std::string ce_sha = Sha256Hex(ce_bytes);
  EXPECT_EQ(policy.at("sha256"), policy_sha);
  EXPECT_EQ(ce.at("sha256"), ce_sha);

  const auto keys = Parse(client_->Send("GET", "/.well-known/jwks.json")).at("keys");
  const std::string kid = keys[0].at("kid");
  const std::string pem = Ed25519PublicPem(Base64UrlDecode(keys[0].at("x")));

  for (const std::string& as_of : std::vector<std::string>{std::string(), Day(300)}) {
    const std::string query = as_of.empty() ? "" : "?as_of=" + as_of;
    const auto document = Status(T("procurement"), tenant.id, as_of);
    const auto before = std::chrono::system_clock::now();
    const auto response = Send(T("procurement"), "GET", "/suppliers/" + tenant.id + "/attestation" + query);
    const auto after = std::chrono::system_clock::now();
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.Header("content-type").value_or(""), "application/jose");
    const auto parts = Split(response.body, '.');
    ASSERT_EQ(parts.size(), 3u) << response.body;

    const auto header = Json::parse(Base64UrlDecode(parts[0]));
    EXPECT_EQ(header.at("alg"), "EdDSA");
    EXPECT_EQ(header.at("kid"), kid);
    const std::string payload_text = Base64UrlDecode(parts[1]);
    auto payload = Json::parse(payload_text);
    EXPECT_EQ(payload.at("iss"), "coco");
    const long long iat = payload.at("iat");
    const auto seconds = [](auto point) {
      return std::chrono::duration_cast<std::chrono::seconds>(point.time_since_epoch()).count();
    };
    EXPECT_GE(iat, seconds(before) - 300);
    EXPECT_LE(iat, seconds(after) + 300);
    std::vector<std::string> relied = {policy_sha, ce_sha};
    std::sort(relied.begin(), relied.end());
    EXPECT_EQ(payload.at("evidence_sha256"), Json(relied)) << "the ignored policy is not relied on";
    // The rest is the status document.
    payload.erase("iss");
    payload.erase("iat");
    payload.erase("evidence_sha256");
    EXPECT_EQ(payload, document) << as_of;
    EXPECT_EQ(payload.at("as_of"), as_of.empty() ? Day(0) : as_of);

    // The signature verifies against the published key...
    const std::string signature = Base64UrlDecode(parts[2]);
    EXPECT_EQ(signature.size(), 64u);
    const auto verified = VerifyEd25519(pem, parts[0] + "." + parts[1], signature);
    EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
    EXPECT_NE(verified.out.find("Signature Verified Successfully"), std::string::npos) << verified.out;

    // ...and not once the payload is changed by one character.
    std::string tampered = payload_text;
    const auto name_at = tampered.find(tenant.name);
    ASSERT_NE(name_at, std::string::npos);
    tampered[name_at] = tampered[name_at] == 'X' ? 'Y' : 'X';
    const auto forged = VerifyEd25519(pem, parts[0] + "." + Base64UrlEncode(tampered), signature);
    EXPECT_NE(forged.exit_code, 0) << forged.out;
    EXPECT_EQ(forged.out.find("Signature Verified Successfully"), std::string::npos) << forged.out;
  }

  // A supplier without approvals relies on no evidence.
  const Tenant bare = NewTenant();
  const auto response = Send(bare.token, "GET", "/suppliers/" + bare.id + "/attestation");
  ASSERT_EQ(response.status, 200);
  const auto payload = Json::parse(Base64UrlDecode(Split(response.body, '.').at(1)));
  EXPECT_EQ(payload.at("evidence_sha256"), Json::array());
  EXPECT_EQ(payload.at("status"), "not_assessed");
}

// A verified action's evidence is relied on too.
TEST_F(StatusHttpTest, AnAttestationListsTheEvidenceOfVerifiedActions) {
  const Tenant tenant = NewTenant();
  const std::string service = Of(tenant).Service().service_id();
  const std::string id = Of(tenant, service)
                             .Approved("SUPPLIER", {},
                                       {{"conditions",
                                         {{{"requirement_id", "SUP-03"},
                                           {"description", "sign the DPA"},
                                           {"due_date", Day(30)}}}}})
                             .id();
  const std::string action = Ok(T("assessor"), "GET", "/actions?assessment=" + id).at("items").at(0).at("id");
  const std::string bytes = "the signed DPA";
  const auto dpia = Upload(tenant, "dpia", bytes);
  Ok(tenant.token, "POST", "/actions/" + action + "/complete", {{"note", "done"}, {"evidence_ids", {dpia.at("id")}}});
  auto attested = [&] {
    const auto response = Send(T("risk_owner"), "GET", "/suppliers/" + tenant.id + "/attestation");
    EXPECT_EQ(response.status, 200) << response.body;
    return Json::parse(Base64UrlDecode(Split(response.body, '.').at(1))).at("evidence_sha256");
  };
  EXPECT_EQ(attested(), Json::array()) << "not verified yet";
  Ok(T("assessor"), "POST", "/actions/" + action + "/verify");
  EXPECT_EQ(attested(), Json::array({Sha256Hex(bytes)}));
}

}  // namespace
}  // namespace coco::test
