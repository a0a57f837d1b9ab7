#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <vector>

#include "domain/common/error.hpp"
#include "security/ed25519_signer.hpp"
#include "security/openssl_hasher.hpp"
#include "security/openssl_token_generator.hpp"
#include "security/signing_key_file.hpp"

namespace coco::security {
namespace {

TEST(OpensslHasherTest, MatchesKnownSha256Vectors) {
  OpensslHasher hasher;
  EXPECT_EQ(hasher.Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hasher.Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hasher.Sha256Hex(std::string("\0\x01", 2)).size(), 64u);
}

TEST(OpensslHasherTest, StreamingEqualsOneShot) {
  Sha256Stream stream;
  stream.Update("a");
  stream.Update("bc");
  EXPECT_EQ(ToHex(stream.FinishRaw()), OpensslHasher().Sha256Hex("abc"));
}

TEST(TokenGeneratorTest, SecretsCarry256BitsUnderARecognisablePrefix) {
  OpensslTokenGenerator generator;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string secret = generator.NewSecret();
    ASSERT_EQ(secret.rfind("coco_", 0), 0u);
    ASSERT_EQ(secret.size(), 5u + 43u);  // base64url of 32 bytes, unpadded
    for (char c : secret.substr(5)) {
      ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << secret;
    }
    seen.insert(secret);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(TokenGeneratorTest, Base64UrlEncodesAllLengths) {
  EXPECT_EQ(Base64Url(""), "");
  EXPECT_EQ(Base64Url("f"), "Zg");
  EXPECT_EQ(Base64Url("fo"), "Zm8");
  EXPECT_EQ(Base64Url("foo"), "Zm9v");
  EXPECT_EQ(Base64Url("\xfb\xff"), "-_8");
}

class SignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("coco-signer-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SignerTest, CreatesAPrivateKeyFileAndReloadsTheSameKey) {
  const auto path = dir_ / "keys" / "signing.pem";
  auto first = Ed25519Signer::LoadOrCreate(path);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto second = Ed25519Signer::LoadOrCreate(path);
  EXPECT_EQ(first->PublicKey(), second->PublicKey());
  EXPECT_EQ(first->KeyId(), second->KeyId());
  EXPECT_EQ(first->PublicKey().size(), 32u);
  EXPECT_EQ(first->Algorithm(), "EdDSA");
}

TEST_F(SignerTest, SignaturesVerifyWithThePublicKeyAndFailWhenTampered) {
  auto signer = Ed25519Signer::LoadOrCreate(dir_ / "signing.pem");
  const std::string message = "header.payload";
  const std::string signature = signer->Sign(message);
  ASSERT_EQ(signature.size(), 64u);

  const std::string public_key = signer->PublicKey();
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()),
      public_key.size());
  ASSERT_NE(key, nullptr);
  auto verify = [&](const std::string& text) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key);
    const int ok = EVP_DigestVerify(
        ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
        reinterpret_cast<const unsigned char*>(text.data()), text.size());
    EVP_MD_CTX_free(ctx);
    return ok == 1;
  };
  EXPECT_TRUE(verify(message));
  EXPECT_FALSE(verify("header.pay1oad"));
  EVP_PKEY_free(key);
}

TEST_F(SignerTest, LoadNeedsAnExistingKeyAndCreateNeedsAFreeName) {
  EXPECT_THROW(Ed25519Signer::Load(dir_ / "none.pem"), domain::Error);
  std::filesystem::create_directories(dir_);
  const auto made = Ed25519Signer::Create(dir_ / "new.pem");
  EXPECT_EQ(Ed25519Signer::Load(dir_ / "new.pem")->KeyId(), made->KeyId());
  EXPECT_THROW(Ed25519Signer::Create(dir_ / "new.pem"), domain::Error);
  EXPECT_THROW(Ed25519Signer::Create(dir_ / "missing-folder" / "k.pem"), domain::Error);
}

// A rotation renames a new key file over the old one; the signer follows it at the next call.
TEST_F(SignerTest, TheKeyFileSignerFollowsAReplacedFileAndKeepsTheOldKeyOnABadOne) {
  const auto path = dir_ / "signing.pem";
  std::vector<std::pair<std::string, std::string>> reloads;
  SigningKeyFile file(path, [&](const std::string& kid, const std::string& error) {
    reloads.emplace_back(kid, error);
  });
  const auto first = file.Current();
  EXPECT_EQ(file.Current(), first) << "an unchanged file is not reloaded";

  const std::string next_kid = Ed25519Signer::Create(dir_ / "next.pem")->KeyId();
  std::filesystem::rename(dir_ / "next.pem", path);
  const auto second = file.Current();
  EXPECT_EQ(second->KeyId(), next_kid);
  EXPECT_EQ(first->KeyId().size(), 16u) << "a signer handed out stays whole";
  ASSERT_EQ(reloads.size(), 1u);
  EXPECT_EQ(reloads[0], std::make_pair(next_kid, std::string()));

  std::ofstream(dir_ / "bad.pem") << "not a key\n";
  std::filesystem::permissions(
      dir_ / "bad.pem", std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::rename(dir_ / "bad.pem", path);
  EXPECT_EQ(file.Current(), second);
  EXPECT_EQ(file.Current(), second);
  ASSERT_EQ(reloads.size(), 2u) << "a bad file is reported once";
  EXPECT_EQ(reloads[1].first, next_kid);
  EXPECT_NE(reloads[1].second.find("Ed25519"), std::string::npos) << reloads[1].second;
}

TEST_F(SignerTest, DistinctKeysHaveDistinctIds) {
  EXPECT_NE(Ed25519Signer::LoadOrCreate(dir_ / "a.pem")->KeyId(),
            Ed25519Signer::LoadOrCreate(dir_ / "b.pem")->KeyId());
}

TEST_F(SignerTest, RefusesAKeyFileOthersCanReadOrThatIsNotAKey) {
  std::filesystem::create_directories(dir_);
  const auto loose = dir_ / "loose.pem";
  Ed25519Signer::LoadOrCreate(loose);
  std::filesystem::permissions(loose, std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  EXPECT_THROW(Ed25519Signer::LoadOrCreate(loose), domain::Error);

  const auto garbage = dir_ / "garbage.pem";
  std::ofstream(garbage) << "not a key";
  std::filesystem::permissions(
      garbage, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
      std::filesystem::perm_options::replace);
  EXPECT_THROW(Ed25519Signer::LoadOrCreate(garbage), domain::Error);
}

}  // namespace
}  // namespace coco::security
