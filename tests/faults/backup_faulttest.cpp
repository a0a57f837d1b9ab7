// `coco backup` and `coco restore`, round trip into a fresh PostgreSQL cluster: the audit chain
// verifies with the same head, evidence bytes, statuses and the portfolio are identical, and an
// attestation issued before the backup verifies against the restored server's key set. Also the
// refusals: a non-empty target database, a damaged backup, a non-empty backup directory.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/coco_server.hpp"
#include "tests/support/jws.hpp"
#include "tests/support/pg_cluster.hpp"
#include "tests/support/story.hpp"
#include "tests/support/test_database.hpp"

namespace coco::test {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// A private scratch directory (readable by the postgres user, which never needs it), removed at
// the end of the scope.
class Scratch {
 public:
  Scratch() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("coco-backup-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// The x of `kid` in the server's published key set, or "".
std::string PublishedKey(const CocoServer& server, const std::string& kid) {
  const auto response = server.Client()->Send("GET", "/.well-known/jwks.json");
  EXPECT_EQ(response.status, 200) << response.body;
  const Json document = Json::parse(response.body);
  for (const auto& key : document.at("keys")) {
    if (key.at("kid") == kid) return key.at("x");
  }
  return "";
}

CocoServer::RunResult Coco(const std::vector<std::string>& args, const std::string& database_url,
                           const std::string& key_path) {
  std::vector<std::string> argv{CocoBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, {{"COCO_DATABASE_URL", database_url}, {"COCO_SIGNING_KEY", key_path}});
}

std::string Head(const TestDatabase& database) {
  return database.QueryValue("SELECT seq || ' ' || hash FROM audit_head");
}

std::vector<std::string> Listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string() + ":" +
                    std::to_string(entry.is_regular_file() ? fs::file_size(entry.path()) : 0));
  }
  std::sort(names.begin(), names.end());
  return names;
}

// What the source served before the backup, to be served the same after the restore.
struct Observed {
  std::string supplier;
  std::string as_of;
  std::map<std::string, std::string> evidence;  // id -> bytes
  Json supplier_status;
  Json portfolio;
  std::string attestation;
  Json verify;
};

Observed Populate(const CocoServer& server) {
  EXPECT_EQ(
      server.RunCli({"catalogue", "import", std::string(COCO_SOURCE_DIR) + "/standards"}).exit_code,
      0);
  const std::string admin = server.CreateAdminToken();
  auto client = server.Client();
  Observed seen;
  const auto created = client->Send(
      "POST", "/suppliers", Bearer(admin),
      Json{{"name", "Backup Ltd"}, {"contact_email", "security@backup.example"}}.dump());
  EXPECT_EQ(created.status, 201) << created.body;
  seen.supplier = Json::parse(created.body).at("id");
  const std::string supplier_token = Trim(server
                                              .RunCli({"token", "create", "--role", "supplier",
                                                       "--name", "s", "--supplier", seen.supplier})
                                              .out);

  std::string large(3 * 1024 * 1024, '\0');
  for (std::size_t i = 0; i < large.size(); ++i)
    large[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  const std::vector<std::pair<std::string, std::string>> uploads = {
      {"policy.pdf&kind=policy", "%PDF-1.7 backup policy\n"},
      {"nul.bin&kind=other", std::string("\0\x01\xff\0binary\0\0", 12)},
      {"large.bin&kind=other", large}};
  for (const auto& [query, bytes] : uploads) {
    const auto uploaded =
        client->Send("POST", "/suppliers/" + seen.supplier + "/evidence?filename=" + query,
                     {{"Authorization", "Bearer " + supplier_token},
                      {"Content-Type", "application/octet-stream"}},
                     bytes);
    EXPECT_EQ(uploaded.status, 201) << uploaded.body;
    const std::string id = Json::parse(uploaded.body).at("id");
    seen.evidence[id] = bytes;
  }

  // A submitted assessment, so that the statuses have something to say.
  Story(*client, seen.supplier, supplier_token)
      .Service(Profile(), {{"name", "backed-up service"}})
      .Assessment("SUPPLIER")
      .AnswerAll({}, NotApplicable("not this service"))
      .Submit();

  const auto status = client->Send("GET", "/suppliers/" + seen.supplier + "/status", Bearer(admin));
  EXPECT_EQ(status.status, 200) << status.body;
  seen.supplier_status = Json::parse(status.body);
  seen.as_of = seen.supplier_status.at("as_of");
  const auto portfolio = client->Send("GET", "/status?as_of=" + seen.as_of, Bearer(admin));
  EXPECT_EQ(portfolio.status, 200) << portfolio.body;
  seen.portfolio = Json::parse(portfolio.body);
  const auto attestation =
      client->Send("GET", "/suppliers/" + seen.supplier + "/attestation", Bearer(admin));
  EXPECT_EQ(attestation.status, 200) << attestation.body;
  seen.attestation = attestation.body;
  const auto verify = client->Send("GET", "/audit/verify?full=true", Bearer(admin));
  EXPECT_EQ(verify.status, 200) << verify.body;
  seen.verify = Json::parse(verify.body);
  EXPECT_EQ(seen.verify.at("ok"), true) << verify.body;
  return seen;
}

TEST(BackupFaultTest, RoundTripIntoAFreshClusterKeepsChainEvidenceStatusesAndAttestations) {
  Scratch scratch;
  const fs::path backup = scratch / "backup";
  TestDatabase source_database;
  Observed seen;
  std::string source_head;
  std::string source_key;
  {
    CocoServer source(source_database, {});
    seen = Populate(source);
    ASSERT_FALSE(HasFailure());
    source_head = Head(source_database);
    source_key = ReadFile(source.signing_key_path());

    const auto made =
        Coco({"backup", backup.string()}, source_database.url(), source.signing_key_path());
    ASSERT_EQ(made.exit_code, 0) << made.err;
    EXPECT_EQ(made.err.find("password"), std::string::npos) << made.err;

    // A second backup into the same, now non-empty, directory is refused and writes nothing.
    const auto before = Listing(backup);
    const auto again =
        Coco({"backup", backup.string()}, source_database.url(), source.signing_key_path());
    EXPECT_EQ(again.exit_code, 1) << again.err;
    EXPECT_NE(again.err.find("not an empty directory"), std::string::npos) << again.err;
    EXPECT_EQ(Listing(backup), before);
  }

  const Json manifest = Json::parse(ReadFile(backup / "manifest.json"));
  EXPECT_EQ(std::to_string(manifest.at("audit_head").at("seq").get<long long>()) + " " +
                manifest.at("audit_head").at("hash").get<std::string>(),
            source_head);
  EXPECT_EQ(manifest.at("database"), source_database.name());
  EXPECT_EQ(manifest.at("files").size(), 2u);
  EXPECT_EQ(ReadFile(backup / "signing-key.pem"), source_key);
  struct stat info {};
  ASSERT_EQ(::stat((backup / "signing-key.pem").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);

  PgCluster cluster;
  TestDatabase target(cluster.AdminUrl());
  const fs::path key_path = scratch / "restored" / "signing-key.pem";

  // One byte of the dump changed: refused before the database or the key path is touched.
  {
    const fs::path damaged = scratch / "damaged";
    fs::copy(backup, damaged);
    std::string dump = ReadFile(damaged / "database.dump");
    dump[dump.size() / 2] = static_cast<char>(dump[dump.size() / 2] ^ 0x01);
    WriteFile(damaged / "database.dump", dump);
    const auto refused = Coco({"restore", damaged.string()}, target.url(), key_path.string());
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_NE(refused.err.find("database.dump does not match its SHA-256"), std::string::npos)
        << refused.err;
    EXPECT_TRUE(target.RowCounts().empty());
    EXPECT_FALSE(fs::exists(key_path));
  }

  const auto restored = Coco({"restore", backup.string()}, target.url(), key_path.string());
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(ReadFile(key_path), source_key);
  ASSERT_EQ(::stat(key_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(Head(target), source_head);

  // Restoring again into the now non-empty database is refused and changes nothing.
  {
    const auto counts = target.RowCounts();
    const auto refused = Coco({"restore", backup.string()}, target.url(), key_path.string());
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_NE(refused.err.find("not empty"), std::string::npos) << refused.err;
    EXPECT_EQ(target.RowCounts(), counts);
  }

  CocoServer server(target, {{"COCO_SIGNING_KEY", key_path.string()}});
  const std::string admin = server.CreateAdminToken("restore drill");
  auto client = server.Client();

  const auto verify = client->Send("GET", "/audit/verify?full=true", Bearer(admin));
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_EQ(Json::parse(verify.body).at("ok"), true) << verify.body;
  // The admin token created above appended to the chain; the restored part is the source's.
  EXPECT_EQ(target.QueryValue("SELECT seq || ' ' || hash FROM audit_events WHERE seq = " +
                              std::to_string(manifest.at("audit_head").at("seq").get<long long>())),
            source_head);
  EXPECT_GE(Json::parse(verify.body).at("events_checked").get<long long>(),
            seen.verify.at("events_checked").get<long long>());

  for (const auto& [id, bytes] : seen.evidence) {
    const auto content = client->Send("GET", "/evidence/" + id + "/content", Bearer(admin));
    ASSERT_EQ(content.status, 200) << id;
    EXPECT_EQ(content.body.size(), bytes.size()) << id;
    EXPECT_TRUE(content.body == bytes) << "evidence " << id << " differs after the restore";
  }

  const auto status = client->Send(
      "GET", "/suppliers/" + seen.supplier + "/status?as_of=" + seen.as_of, Bearer(admin));
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(Json::parse(status.body), seen.supplier_status);
  const auto portfolio = client->Send("GET", "/status?as_of=" + seen.as_of, Bearer(admin));
  ASSERT_EQ(portfolio.status, 200) << portfolio.body;
  EXPECT_EQ(Json::parse(portfolio.body), seen.portfolio);

  const std::string kid = JwsKid(seen.attestation);
  const std::string x = PublishedKey(server, kid);
  ASSERT_FALSE(x.empty()) << "the restored key set does not list " << kid;
  EXPECT_TRUE(JwsVerifies(seen.attestation, x));
  // The restored key signs on: a new attestation carries the same kid and verifies too.
  const auto fresh =
      client->Send("GET", "/suppliers/" + seen.supplier + "/attestation", Bearer(admin));
  ASSERT_EQ(fresh.status, 200) << fresh.body;
  EXPECT_EQ(JwsKid(fresh.body), kid);
  EXPECT_TRUE(JwsVerifies(fresh.body, x));
}

// Writes go on during the backup: the dump holds exactly the chain up to the manifest's head
// (the head is read in the snapshot pg_dump dumps), not a mix of before and after.
TEST(BackupFaultTest, BackupTakenDuringWritesHoldsExactlyTheManifestsHead) {
  Scratch scratch;
  const fs::path backup = scratch / "busy";
  TestDatabase source_database;
  CocoServer source(source_database, {});
  const std::string admin = source.CreateAdminToken();
  std::atomic<bool> stop{false};
  std::atomic<int> created{0};
  std::thread writer([&] {
    auto client = source.Client();
    for (int i = 0; !stop; ++i) {
      const auto response = client->Send(
          "POST", "/suppliers", Bearer(admin),
          Json{{"name", "Busy " + std::to_string(i)}, {"contact_email", "busy@example.org"}}
              .dump());
      if (response.status == 201) ++created;
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (created < 10 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const int before = created;
  const auto made =
      Coco({"backup", backup.string()}, source_database.url(), source.signing_key_path());
  const int during = created - before;
  stop = true;
  writer.join();
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_GT(during, 0) << "no write landed while the backup ran";
  std::cout << "[ writes during the backup ] " << during << "\n";

  const Json manifest = Json::parse(ReadFile(backup / "manifest.json"));
  const long long head = manifest.at("audit_head").at("seq");
  EXPECT_GT(std::stoll(source_database.QueryValue("SELECT seq FROM audit_head")), head);

  // A different key at the key path: refused before the database is touched, unless
  // --replace-key.
  TestDatabase target;
  const fs::path key_path = scratch / "other-key.pem";
  WriteFile(key_path, "not the backup's key\n");
  const auto refused = Coco({"restore", backup.string()}, target.url(), key_path.string());
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_NE(refused.err.find("different signing key"), std::string::npos) << refused.err;
  EXPECT_TRUE(target.RowCounts().empty());
  EXPECT_EQ(ReadFile(key_path), "not the backup's key\n");

  const auto restored =
      Coco({"restore", backup.string(), "--replace-key"}, target.url(), key_path.string());
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(ReadFile(key_path), ReadFile(source.signing_key_path()));
  EXPECT_EQ(target.QueryValue("SELECT max(seq) FROM audit_events"), std::to_string(head));
  EXPECT_EQ(target.QueryValue("SELECT seq || ' ' || hash FROM audit_head"),
            source_database.QueryValue("SELECT seq || ' ' || hash FROM audit_events WHERE seq = " +
                                       std::to_string(head)));
  // Every supplier in the dump has its audit event in the dump, and no event lacks its supplier.
  EXPECT_EQ(
      target.QueryValue("SELECT count(*) FROM suppliers"),
      target.QueryValue("SELECT count(*) FROM audit_events WHERE action = 'supplier.create'"));
}

}  // namespace
}  // namespace coco::test
