#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "api/evidence_routes.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/world.hpp"

namespace coco::test {
namespace {

class EvidenceHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { world_ = new World(); }
  static void TearDownTestSuite() { delete world_; }

  HttpResponse Upload(const std::string& persona, const std::string& supplier,
                      const std::string& query, const std::string& bytes,
                      const std::string& content_type = "application/pdf",
                      std::vector<std::pair<std::string, std::string>> extra = {}) {
    auto headers = world_->As(persona);
    headers.emplace_back("Content-Type", content_type);
    headers.insert(headers.end(), extra.begin(), extra.end());
    return client_->Send("POST", "/suppliers/" + supplier + "/evidence?" + query, headers, bytes);
  }
  std::string UploadOk(const std::string& bytes,
                       const std::string& query = "filename=f.pdf&kind=policy") {
    const auto response = Upload("supplier_a", world_->supplier_a(), query, bytes);
    EXPECT_EQ(response.status, 201) << response.body;
    return BodyJson(response).at("id").get<std::string>();
  }
  HttpResponse Get(const std::string& target, const std::string& persona) {
    return client_->Send("GET", target, world_->As(persona));
  }
  void ExpectUploadRefused(const std::string& query, const std::string& bytes, int status,
                           const std::string& code,
                           std::vector<std::pair<std::string, std::string>> extra = {},
                           const std::string& persona = "supplier_a") {
    const auto before = world_->server().database().RowCounts();
    const auto response =
        Upload(persona, world_->supplier_a(), query, bytes, "application/pdf", extra);
    EXPECT_EQ(response.status, status) << query << "\n" << response.body;
    EXPECT_EQ(BodyJson(response).at("code"), code) << response.body;
    EXPECT_EQ(world_->server().database().RowCounts(), before) << "a refused upload wrote rows";
  }

  static World* world_;
  std::unique_ptr<HttpClient> client_ = world_->Client();
};

World* EvidenceHttpTest::world_ = nullptr;

TEST_F(EvidenceHttpTest, RoundTripsBytesExactly) {
  const std::vector<std::string> files = {std::string("x"), std::string("a\0b\0\xff\x00z", 7),
                                          RandomBytes(20u << 20, 7)};
  for (const auto& bytes : files) {
    const std::string id = UploadOk(bytes);
    const auto meta = BodyJson(Get("/evidence/" + id, "supplier_a"));
    EXPECT_EQ(meta.at("size"), bytes.size());
    EXPECT_EQ(meta.at("sha256"), security::OpensslHasher().Sha256Hex(bytes));
    const auto content = Get("/evidence/" + id + "/content", "assessor");
    ASSERT_EQ(content.status, 200);
    EXPECT_TRUE(content.body == bytes) << "bytes differ for a file of " << bytes.size();
    EXPECT_EQ(content.Header("content-type"), "application/pdf");
    EXPECT_EQ(content.Header("content-length"), std::to_string(bytes.size()));
    EXPECT_EQ(content.Header("x-content-type-options"), "nosniff");
    EXPECT_EQ(content.Header("etag"), "\"" + meta.at("sha256").get<std::string>() + "\"");
    EXPECT_EQ(content.Header("content-digest"), api::ContentDigest(meta.at("sha256")));
    EXPECT_EQ(content.Header("content-disposition")->rfind("attachment; filename=\"f.pdf\"", 0),
              0u);
  }
}

TEST_F(EvidenceHttpTest, FilenamesAreQuotedSafelyForDownload) {
  // A quote, a space and non-ASCII: "evil\"name \u00e9.pdf".
  const std::string id = UploadOk("quoted", "filename=evil%22name%20%C3%A9.pdf&kind=policy");
  EXPECT_EQ(BodyJson(Get("/evidence/" + id, "admin")).at("filename"), "evil\"name \xc3\xa9.pdf");
  EXPECT_EQ(
      Get("/evidence/" + id + "/content", "admin").Header("content-disposition"),
      "attachment; filename=\"evil\\\"name __.pdf\"; filename*=UTF-8''evil%22name%20%C3%A9.pdf");
}

TEST_F(EvidenceHttpTest, SameBytesAreStoredOnceEvenWhenUploadedConcurrently) {
  const std::string bytes = RandomBytes(1u << 20, 11);
  const std::string sha = security::OpensslHasher().Sha256Hex(bytes);
  std::vector<std::thread> uploads;
  std::atomic<int> created{0};
  for (int i = 0; i < 4; ++i) {
    uploads.emplace_back([&] {
      auto client = world_->Client();
      auto headers = world_->As("supplier_a");
      headers.emplace_back("Content-Type", "application/octet-stream");
      const auto response = client->Send(
          "POST", "/suppliers/" + world_->supplier_a() + "/evidence?filename=same.bin&kind=other",
          headers, bytes);
      if (response.status == 201) ++created;
    });
  }
  for (auto& upload : uploads) upload.join();
  EXPECT_EQ(created.load(), 4);
  const auto& db = world_->server().database();
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM evidence_blobs WHERE sha256 = '" + sha + "'"), "1");
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM evidence WHERE sha256 = '" + sha + "'"), "4");
}

TEST_F(EvidenceHttpTest, AContentDigestMustMatch) {
  const std::string bytes = "signed code of connection";
  const std::string good = api::ContentDigest(security::OpensslHasher().Sha256Hex(bytes));
  const std::string bad = api::ContentDigest(security::OpensslHasher().Sha256Hex("other"));
  ExpectUploadRefused("filename=a.pdf&kind=policy", bytes, 400, "digest_mismatch",
                      {{"Content-Digest", bad}});
  ExpectUploadRefused("filename=a.pdf&kind=policy", bytes, 400, "invalid_digest",
                      {{"Content-Digest", "sha-256=:bm90IGJhc2U2NA==:"}});
  ExpectUploadRefused("filename=a.pdf&kind=policy", bytes, 400, "invalid_digest",
                      {{"Content-Digest", "garbage"}});
  EXPECT_EQ(Upload("supplier_a", world_->supplier_a(), "filename=a.pdf&kind=policy", bytes,
                   "application/pdf", {{"Content-Digest", "sha-512=:AAAA:, " + good}})
                .status,
            201);
}

TEST_F(EvidenceHttpTest, BadUploadsAreRefusedAndStoreNothing) {
  ExpectUploadRefused("filename=a.pdf&kind=policy", "", 400, "empty_body");
  ExpectUploadRefused("kind=policy", "x", 422, "invalid_query");
  ExpectUploadRefused("filename=a.pdf", "x", 422, "invalid_query");
  ExpectUploadRefused("filename=a.pdf&kind=selfie", "x", 422, "invalid_query");
  ExpectUploadRefused("filename=a.pdf&kind=policy&issued_on=2026-13-01", "x", 422, "invalid_query");
  ExpectUploadRefused("filename=a.pdf&kind=policy&issued_on=2026-05-01&expires_on=2026-04-30", "x",
                      422, "invalid_upload");
  ExpectUploadRefused("filename=..%2Fetc%2Fpasswd&kind=policy", "x", 422, "invalid_upload");
  ExpectUploadRefused("filename=a.pdf&kind=policy&colour=red", "x", 422, "invalid_query");
}

TEST_F(EvidenceHttpTest, UploadingFollowsThePermissionTable) {
  const std::string query = "filename=p.pdf&kind=policy";
  for (const std::string persona : {"admin", "assessor", "risk_owner", "procurement"}) {
    ExpectUploadRefused(query, "x", 403, "forbidden", {}, persona);
  }
  const auto before = world_->server().database().RowCounts();
  const auto response = Upload("supplier_b", world_->supplier_a(), query, "x");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(world_->server().database().RowCounts(), before);
}

TEST_F(EvidenceHttpTest, ReadingFollowsThePermissionTable) {
  const std::string id = UploadOk("readable");
  const std::map<std::string, std::pair<int, int>> expected = {
      {"supplier_a", {200, 200}}, {"assessor", {200, 200}},    {"risk_owner", {200, 200}},
      {"admin", {200, 200}},      {"procurement", {403, 403}}, {"supplier_b", {404, 404}}};
  for (const auto& [persona, statuses] : expected) {
    EXPECT_EQ(Get("/evidence/" + id, persona).status, statuses.first) << persona;
    const auto content = Get("/evidence/" + id + "/content", persona);
    EXPECT_EQ(content.status, statuses.second) << persona;
    if (statuses.second != 200) {
      EXPECT_EQ(content.body.find("readable"), std::string::npos);
    }
    const int list = Get("/suppliers/" + world_->supplier_a() + "/evidence", persona).status;
    EXPECT_EQ(list, statuses.first) << persona;
  }
}

TEST_F(EvidenceHttpTest, ListsFilterByKindAndLapseDate) {
  UploadOk("pen", "filename=pt.pdf&kind=pen_test_report&issued_on=2026-01-10");
  UploadOk("ce", "filename=ce.pdf&kind=cyber_essentials_certificate&expires_on=2027-06-30");
  UploadOk("policy", "filename=p.pdf&kind=policy&issued_on=2020-01-01");
  const auto pens = BodyJson(
      Get("/suppliers/" + world_->supplier_a() + "/evidence?kind=pen_test_report&limit=200",
          "assessor"));
  ASSERT_EQ(pens.at("items").size(), 1u);
  EXPECT_EQ(pens.at("items")[0].at("lapses_on"), "2027-01-10");
  const auto soon = BodyJson(
      Get("/suppliers/" + world_->supplier_a() + "/evidence?expiring_before=2027-03-01&limit=200",
          "assessor"));
  ASSERT_EQ(soon.at("items").size(), 1u);
  EXPECT_EQ(soon.at("items")[0].at("filename"), "pt.pdf");
  EXPECT_EQ(
      Get("/suppliers/" + world_->supplier_a() + "/evidence?expiring_before=soon", "admin").status,
      422);
}

TEST(UploadLimiterTest, AdmitsAtMostTheLimit) {
  api::UploadLimiter limiter(2);
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_TRUE(limiter.TryAcquire());
  EXPECT_FALSE(limiter.TryAcquire());
  limiter.Release();
  EXPECT_TRUE(limiter.TryAcquire());
}

TEST(ContentDispositionTest, EscapesQuotesAndEncodesTheExactName) {
  EXPECT_EQ(api::AttachmentDisposition("a\"b\\c.pdf"),
            "attachment; filename=\"a\\\"b\\\\c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf");
  EXPECT_EQ(api::AttachmentDisposition("r\xc3\xa9sum\xc3\xa9.pdf"),
            "attachment; filename=\"r__sum__.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
}

}  // namespace
}  // namespace coco::test
