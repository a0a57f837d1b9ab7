#include "tests/support/world.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace coco::test {

const std::vector<std::string>& World::Personas() {
  static const std::vector<std::string> kPersonas = {"admin",       "assessor",   "risk_owner",
                                                     "procurement", "supplier_a", "supplier_b"};
  return kPersonas;
}

std::vector<std::pair<std::string, std::string>> World::JsonAs(const std::string& persona) const {
  auto headers = As(persona);
  headers.emplace_back("Content-Type", "application/json");
  return headers;
}

std::string World::NewToken(const std::string& role, const std::string& name,
                            const std::string& supplier) const {
  std::vector<std::string> args = {"token", "create", "--role", role, "--name", name};
  if (!supplier.empty()) {
    args.push_back("--supplier");
    args.push_back(supplier);
  }
  const auto result = server_->RunCli(args);
  if (result.exit_code != 0) throw std::runtime_error("token create failed: " + result.err);
  std::string token = result.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

World::HttpUser World::NewHttpUser(const std::string& name, const std::string& role,
                                   const std::vector<std::string>& conflicts,
                                   const std::string& supplier) const {
  auto client = server_->Client();
  nlohmann::json body = {{"name", name}, {"email", name + "@example.org"}, {"role", role}};
  if (!conflicts.empty()) body["conflicts"] = conflicts;
  if (!supplier.empty()) body["supplier_id"] = supplier;
  const auto user = client->Send("POST", "/users", JsonAs("admin"), body.dump());
  if (user.status != 201) throw std::runtime_error("create " + name + ": " + user.body);
  const std::string id = nlohmann::json::parse(user.body).at("id");
  const auto token = client->Send("POST", "/tokens", JsonAs("admin"),
                                  nlohmann::json{{"user_id", id}, {"name", name}}.dump());
  if (token.status != 201) throw std::runtime_error("token for " + name + ": " + token.body);
  return {id, nlohmann::json::parse(token.body).at("secret")};
}

World::World(std::map<std::string, std::string> env)
    : server_(std::make_unique<CocoServer>(std::move(env))) {
  const auto imported =
      server_->RunCli({"catalogue", "import", std::string(COCO_SOURCE_DIR) + "/standards"});
  if (imported.exit_code != 0) throw std::runtime_error("catalogue import failed: " + imported.err);
  tokens_["admin"] = NewToken("admin", "world admin");
  auto client = server_->Client();
  auto create = [&](const std::string& name) {
    const auto response = client->Send(
        "POST", "/suppliers", JsonAs("admin"),
        nlohmann::json{{"name", name}, {"contact_email", "security@" + name + ".example"}}.dump());
    if (response.status != 201) throw std::runtime_error("create supplier: " + response.body);
    return nlohmann::json::parse(response.body).at("id").get<std::string>();
  };
  supplier_a_ = create("alpha");
  supplier_b_ = create("bravo");
  tokens_["assessor"] = NewToken("assessor", "world assessor");
  tokens_["risk_owner"] = NewToken("risk_owner", "world risk owner");
  tokens_["procurement"] = NewToken("procurement", "world procurement");
  tokens_["supplier_a"] = NewToken("supplier", "world supplier a", supplier_a_);
  tokens_["supplier_b"] = NewToken("supplier", "world supplier b", supplier_b_);
}

}  // namespace coco::test
