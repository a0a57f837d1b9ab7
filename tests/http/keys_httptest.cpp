// Signing keys over a rotation, against a real `coco serve` and PostgreSQL: an attestation signed
// before `coco keys rotate` still verifies against /.well-known/jwks.json after it, the running
// server signs with the new key without a restart, and the old key leaves the key set at its
// retirement moment. Bad input to `coco keys rotate` changes nothing.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/coco_server.hpp"
#include "tests/support/jws.hpp"

namespace coco::test {
namespace {

using Json = nlohmann::json;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A private scratch directory, removed at the end of the scope.
class Scratch {
 public:
  Scratch() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("coco-keys-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string Write(const std::string& name, const std::string& bytes) const {
    const auto file = (path_ / name).string();
    std::ofstream(file, std::ios::binary) << bytes;
    return file;
  }

 private:
  std::filesystem::path path_;
};

class KeysHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new CocoServer();
    admin_ = server_->CreateAdminToken();
    client_ = server_->Client().release();
    const auto created =
        client_->Send("POST", "/suppliers",
                      {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}},
                      R"({"name": "Keys Ltd", "contact_email": "keys@example.test"})");
    ASSERT_EQ(created.status, 201) << created.body;
    supplier_ = Json::parse(created.body).at("id");
  }
  static void TearDownTestSuite() {
    delete client_;
    delete server_;
  }

  static std::string Attestation() {
    const auto response = client_->Send("GET", "/suppliers/" + supplier_ + "/attestation",
                                        {{"Authorization", "Bearer " + admin_}});
    EXPECT_EQ(response.status, 200) << response.body;
    return response.body;
  }

  // kid -> x of the published key set, in the order it lists them.
  static std::vector<std::pair<std::string, std::string>> KeySet() {
    const auto response = client_->Send("GET", "/.well-known/jwks.json");
    EXPECT_EQ(response.status, 200) << response.body;
    std::vector<std::pair<std::string, std::string>> keys;
    const Json document = Json::parse(response.body);
    for (const auto& key : document.at("keys")) {
      keys.emplace_back(key.at("kid"), key.at("x"));
    }
    return keys;
  }

  static std::string X(const std::vector<std::pair<std::string, std::string>>& keys,
                       const std::string& kid) {
    for (const auto& [id, x] : keys) {
      if (id == kid) return x;
    }
    return "";
  }

  static std::vector<std::string> Kids(
      const std::vector<std::pair<std::string, std::string>>& keys) {
    std::vector<std::string> kids;
    for (const auto& key : keys) kids.push_back(key.first);
    return kids;
  }

  // `coco keys list`: kid -> its line.
  static std::map<std::string, std::string> ListLines() {
    const auto listed = server_->RunCli({"keys", "list"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    std::map<std::string, std::string> lines;
    for (const auto& line : SplitText(listed.out, '\n'))
      lines[line.substr(0, line.find(' '))] = line;
    return lines;
  }

  static CocoServer* server_;
  static HttpClient* client_;
  static std::string admin_;
  static std::string supplier_;
};

CocoServer* KeysHttpTest::server_ = nullptr;
HttpClient* KeysHttpTest::client_ = nullptr;
std::string KeysHttpTest::admin_;
std::string KeysHttpTest::supplier_;

TEST_F(KeysHttpTest, AnAttestationSignedBeforeARotationVerifiesAfterItUntilItsKeyRetires) {
  const std::string before = Attestation();
  const std::string old_kid = JwsKid(before);
  ASSERT_EQ(Kids(KeySet()), std::vector<std::string>{old_kid});
  // The server recorded its key at start.
  EXPECT_NE(ListLines()[old_kid].find(" signing "), std::string::npos);

  const auto rotated = server_->RunCli(
      {"keys", "rotate", "--signing-key", server_->signing_key_path(), "--retire-after", "12s"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  const std::string new_kid = SplitText(rotated.out, '\n').at(0);
  ASSERT_EQ(new_kid.size(), 16u) << rotated.out;
  EXPECT_NE(new_kid, old_kid);
  EXPECT_NE(rotated.err.find(old_kid + " stays published until"), std::string::npos) << rotated.err;
  // The key file is replaced, still private.
  struct stat info {};
  ASSERT_EQ(::stat(server_->signing_key_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_FALSE(std::filesystem::exists(server_->signing_key_path() + ".new"));

  // Within the retirement delay (12 s: room for a slow machine) the key set lists both: the signing
  // key first.
  const auto both = KeySet();
  EXPECT_EQ(Kids(both), (std::vector<std::string>{new_kid, old_kid}));
  auto listed = ListLines();
  EXPECT_NE(listed[new_kid].find(" signing "), std::string::npos) << listed[new_kid];
  EXPECT_NE(listed[old_kid].find(" retired "), std::string::npos) << listed[old_kid];

  // The running server signs with the new key from its next attestation, no restart...
  const std::string after = Attestation();
  EXPECT_EQ(JwsKid(after), new_kid);
  EXPECT_TRUE(server_->WaitForLog("attestation key reloaded", 5000));
  // ...and each attestation verifies against the key set entry of its own kid, only that one.
  EXPECT_TRUE(JwsVerifies(before, X(both, old_kid)));
  EXPECT_TRUE(JwsVerifies(after, X(both, new_kid)));
  EXPECT_FALSE(JwsVerifies(before, X(both, new_kid)));
  EXPECT_FALSE(JwsVerifies(after, X(both, old_kid)));

  // Once its retirement moment has passed, the old key is gone from the key set (a bounded wait
  // for the clock: the delay was given in seconds).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto keys = KeySet();
  while (!X(keys, old_kid).empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    keys = KeySet();
  }
  EXPECT_EQ(Kids(keys), std::vector<std::string>{new_kid});
  listed = ListLines();
  EXPECT_NE(listed[old_kid].find(" gone "), std::string::npos) << listed[old_kid];
  EXPECT_TRUE(JwsVerifies(Attestation(), X(keys, new_kid)));
}

TEST_F(KeysHttpTest, BadInputToRotateIsOneLineExitTwoAndChangesNothing) {
  const std::string key_path = server_->signing_key_path();
  const std::string key_before = ReadFile(key_path);
  const auto list_before = server_->RunCli({"keys", "list"});
  ASSERT_EQ(list_before.exit_code, 0) << list_before.err;
  const auto kids_before = KeySet();

  Scratch scratch;
  const std::string garbage = scratch.Write("garbage.pem", "not a key\n");
  ::chmod(garbage.c_str(), 0600);
  const std::string shared = scratch.Write("shared.pem", key_before);
  ::chmod(shared.c_str(), 0644);

  struct Case {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Case> cases = {
      {{"--frobnicate"}, "unknown option for keys rotate: --frobnicate"},
      {{"--signing-key", key_path, "--retire-after", "5w"}, "--retire-after must be"},
      {{"--signing-key", key_path, "--retire-after"}, "--retire-after needs a value"},
      {{"--signing-key", (std::filesystem::path(garbage).parent_path() / "none.pem").string()},
       "there is no signing key file; nothing was changed"},
      {{"--signing-key", garbage}, "does not hold an Ed25519 private key; nothing was changed"},
      {{"--signing-key", shared}, "must not be readable by others"},
  };
  for (const auto& [options, says] : cases) {
    std::vector<std::string> args = {"keys", "rotate"};
    args.insert(args.end(), options.begin(), options.end());
    const auto result = server_->RunCli(args);
    EXPECT_EQ(result.exit_code, 2) << says << ": " << result.err;
    EXPECT_NE(result.err.find(says), std::string::npos) << result.err;
    EXPECT_EQ(result.err.rfind("coco: ", 0), 0u) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_EQ(result.out, "");
  }
  EXPECT_EQ(ReadFile(key_path), key_before);
  EXPECT_EQ(ReadFile(shared), key_before);
  EXPECT_FALSE(std::filesystem::exists(key_path + ".new"));
  EXPECT_EQ(server_->RunCli({"keys", "list"}).out, list_before.out);
  EXPECT_EQ(KeySet(), kids_before);

  const auto unknown = server_->RunCli({"keys", "turn"});
  EXPECT_EQ(unknown.exit_code, 2);
  const auto list_option = server_->RunCli({"keys", "list", "--all"});
  EXPECT_EQ(list_option.exit_code, 2);
  EXPECT_NE(list_option.err.find("unknown option for keys list: --all"), std::string::npos);
}

}  // namespace
}  // namespace coco::test
