#pragma once

// What the assurance status tests over HTTP (status*_httptest.cpp) share: one suite,
// StatusHttpTest, whose tests are spread over several files by behaviour and share one World.
// Helpers are inline so that every one of those files can include them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/dates.hpp"
#include "tests/support/story.hpp"
#include "tests/support/world.hpp"

namespace coco::test::status_http {

using Json = nlohmann::json;

inline Json Parse(const HttpResponse& response) { return Json::parse(response.body); }

// --- base64 ---

inline std::string Base64UrlEncode(const std::string& bytes) {
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
inline std::string Base64Encode(const std::string& bytes) {
  std::string out = Base64UrlEncode(bytes);
  for (char& c : out) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (out.size() % 4 != 0) out += '=';
  return out;
}

// Strict base64url without padding; throws on anything else.
inline std::string Base64UrlDecode(const std::string& text) {
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

inline std::string FromHex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

inline std::vector<std::string> Split(const std::string& text, char separator) {
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
inline std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
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

inline std::multiset<std::string> Codes(const Json& reasons) {
  std::multiset<std::string> codes;
  for (const auto& reason : reasons) codes.insert(reason.at("code").get<std::string>());
  return codes;
}

// The reasons with `code`.
inline Json With(const Json& reasons, const std::string& code) {
  Json found = Json::array();
  for (const auto& reason : reasons) {
    if (reason.at("code") == code) found.push_back(reason);
  }
  return found;
}

inline Json NextChange(const std::string& date, const std::string& status) {
  return {{"date", date}, {"status", status}};
}

inline const Json& ServiceOf(const Json& document, const std::string& service) {
  for (const auto& entry : document.at("services")) {
    if (entry.at("service_id") == service) return entry;
  }
  throw std::runtime_error("no service " + service + " in " + document.dump());
}

inline const Json* FindStandard(const Json& service, const std::string& key) {
  for (const auto& entry : service.at("standards")) {
    if (entry.at("standard") == key) return &entry;
  }
  return nullptr;
}

inline const Json& StandardOf(const Json& document, const std::string& service,
                              const std::string& key) {
  const Json* found = FindStandard(ServiceOf(document, service), key);
  if (found == nullptr)
    throw std::runtime_error("no " + key + " for " + service + " in " + document.dump());
  return *found;
}

inline std::vector<std::string> Keys(const Json& service) {
  std::vector<std::string> keys;
  for (const auto& entry : service.at("standards")) keys.push_back(entry.at("standard"));
  return keys;
}

// A portfolio row's identity: supplier / service / standard.
inline std::string RowKey(const Json& row) {
  return row.at("supplier_id").get<std::string>() + "/" +
         (row.at("service").is_null() ? std::string()
                                      : row.at("service").at("service_id").get<std::string>()) +
         "/" +
         (row.at("standard").is_null() ? std::string() : row.at("standard").get<std::string>());
}

inline std::vector<Json> RowsOf(const std::vector<Json>& rows, const std::string& supplier) {
  std::vector<Json> mine;
  for (const auto& row : rows) {
    if (row.at("supplier_id") == supplier) mine.push_back(row);
  }
  return mine;
}

inline std::set<std::string> KeySet(const std::vector<Json>& rows) {
  std::set<std::string> keys;
  for (const auto& row : rows) keys.insert(RowKey(row));
  return keys;
}

inline std::string Key(const std::string& supplier, const std::string& service,
                       const std::string& standard) {
  return supplier + "/" + service + "/" + standard;
}

// Runs a program (no shell); exit code and output.
inline CocoServer::RunResult RunTool(const std::vector<std::string>& argv) {
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

inline std::string Sha256Hex(const std::string& bytes) {
  ScratchDir dir;
  const auto file = dir.Write("file", bytes);
  const auto result = RunTool({"openssl", "dgst", "-sha256", "-r", file});
  if (result.exit_code != 0) throw std::runtime_error("openssl dgst: " + result.err);
  return result.out.substr(0, 64);
}

// A PEM SubjectPublicKeyInfo of a raw Ed25519 public key.
inline std::string Ed25519PublicPem(const std::string& raw) {
  const std::string der = FromHex("302a300506032b6570032100") + raw;
  return "-----BEGIN PUBLIC KEY-----\n" + Base64Encode(der) + "\n-----END PUBLIC KEY-----\n";
}

// openssl pkeyutl -verify of `signature` over `input` against `pem`.
inline CocoServer::RunResult VerifyEd25519(const std::string& pem, const std::string& input,
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
    const auto created =
        Ok(T("admin"), "POST", "/suppliers",
           {{"name", full}, {"contact_email", "s" + std::to_string(n) + "@status.example"}}, 201);
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
    std::string target =
        "/suppliers/" + tenant.id + "/evidence?filename=" + kind + ".pdf&kind=" + kind;
    if (!issued_on.empty()) target += "&issued_on=" + issued_on;
    if (!expires_on.empty()) target += "&expires_on=" + expires_on;
    const auto response = client_->Send(
        "POST", target,
        {{"Authorization", "Bearer " + tenant.token}, {"Content-Type", "application/pdf"}},
        content);
    if (response.status != 201) {
      ADD_FAILURE() << "upload " << target << ": " << response.status << " " << response.body;
      throw std::runtime_error("upload failed");
    }
    return Parse(response);
  }

  Json Status(const std::string& token, const std::string& supplier,
              const std::string& as_of = "") {
    return Ok(token, "GET",
              "/suppliers/" + supplier + "/status" + (as_of.empty() ? "" : "?as_of=" + as_of));
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

  inline static World* world_ = nullptr;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

}  // namespace coco::test::status_http
