#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/coco_server.hpp"

namespace coco::test {

// A running server with the catalogue imported, two suppliers (A and B, created over HTTP by an
// admin) and one user of every role: the cast of the story and authorisation tests.
class World {
 public:
  // `env` adds or overrides COCO_* variables of the server (webhook settings, for example).
  explicit World(std::map<std::string, std::string> env = {});

  CocoServer& server() { return *server_; }
  std::unique_ptr<HttpClient> Client() const { return server_->Client(); }

  const std::string& supplier_a() const { return supplier_a_; }
  const std::string& supplier_b() const { return supplier_b_; }

  // Bearer tokens by persona: "admin", "assessor", "risk_owner", "procurement", "supplier_a",
  // "supplier_b".
  const std::string& Token(const std::string& persona) const { return tokens_.at(persona); }
  static const std::vector<std::string>& Personas();
  std::vector<std::pair<std::string, std::string>> As(const std::string& persona) const {
    return {{"Authorization", "Bearer " + Token(persona)}};
  }
  // As(persona) plus Content-Type: application/json.
  std::vector<std::pair<std::string, std::string>> JsonAs(const std::string& persona) const;

  // A user of `role` made by the admin over HTTP (so a test knows its id), with a token.
  // `conflicts` are supplier ids it declares a conflict of interest with; `supplier` is set for a
  // supplier user. Throws when the server refuses.
  struct HttpUser {
    std::string id;
    std::string token;
  };
  HttpUser NewHttpUser(const std::string& name, const std::string& role,
                       const std::vector<std::string>& conflicts = {},
                       const std::string& supplier = "") const;

  // A token for a new user of `role` made through the CLI.
  std::string NewToken(const std::string& role, const std::string& name,
                       const std::string& supplier = "") const;

 private:
  std::unique_ptr<CocoServer> server_;
  std::string supplier_a_;
  std::string supplier_b_;
  std::map<std::string, std::string> tokens_;
};

}  // namespace coco::test
