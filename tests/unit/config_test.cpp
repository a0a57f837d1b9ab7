#include "app/config.hpp"

#include <gtest/gtest.h>

namespace coco::app {
namespace {

const Environment kBase = {{"COCO_DATABASE_URL", "postgresql://db/coco"}};

TEST(ConfigTest, DefaultsFollowTheReadme) {
  const ServeConfig config = ParseServeConfig({}, kBase, 4);
  EXPECT_EQ(config.database_url, "postgresql://db/coco");
  EXPECT_EQ(config.bind, "127.0.0.1");
  EXPECT_EQ(config.port, 8080);
  EXPECT_EQ(config.threads, 4);
  EXPECT_EQ(config.log_level, "info");
  EXPECT_EQ(config.max_body_bytes, 64u << 20);
  EXPECT_EQ(config.max_json_bytes, 1u << 20);
  EXPECT_TRUE(config.migrate);
  EXPECT_EQ(config.webhook_busy_pause, 19);
}

// The key lives beside the data, never in the working directory.
TEST(ConfigTest, TheDefaultSigningKeyIsBesideTheDataNotInTheWorkingDirectory) {
  EXPECT_EQ(DefaultSigningKeyPath(true, "/x", "/root"), "/var/lib/coco/signing-key.pem");
  EXPECT_EQ(DefaultSigningKeyPath(false, "/home/ann/data", "/home/ann"),
            "/home/ann/data/coco/signing-key.pem");
  EXPECT_EQ(DefaultSigningKeyPath(false, std::nullopt, "/home/ann"),
            "/home/ann/.local/share/coco/signing-key.pem");
  // A relative XDG_DATA_HOME is ignored, as the XDG specification says.
  EXPECT_EQ(DefaultSigningKeyPath(false, "data", "/home/ann"),
            "/home/ann/.local/share/coco/signing-key.pem");
  EXPECT_THROW(DefaultSigningKeyPath(false, std::nullopt, std::nullopt), ConfigError);
  EXPECT_THROW(DefaultSigningKeyPath(false, std::nullopt, "relative"), ConfigError);
  EXPECT_EQ(SigningKeyPath("/keys/k.pem"), "/keys/k.pem");
}

TEST(ConfigTest, EnvironmentSetsAndFlagsOverride) {
  Environment env = kBase;
  env["COCO_PORT"] = "9000";
  env["COCO_THREADS"] = "3";
  env["COCO_BIND"] = "0.0.0.0";
  env["COCO_LOG_LEVEL"] = "warn";
  env["COCO_MAX_JSON_BYTES"] = "2048";
  env["COCO_WEBHOOK_BUSY_PAUSE"] = "0";
  const ServeConfig from_env = ParseServeConfig({}, env, 2);
  EXPECT_EQ(from_env.port, 9000);
  EXPECT_EQ(from_env.threads, 3);
  EXPECT_EQ(from_env.bind, "0.0.0.0");
  EXPECT_EQ(from_env.log_level, "warn");
  EXPECT_EQ(from_env.max_json_bytes, 2048u);
  EXPECT_EQ(from_env.webhook_busy_pause, 0);

  const ServeConfig flagged = ParseServeConfig(
      {"--port", "9100", "--threads=5", "--no-migrate", "--database-url", "x"}, env, 2);
  EXPECT_EQ(flagged.port, 9100);
  EXPECT_EQ(flagged.threads, 5);
  EXPECT_FALSE(flagged.migrate);
  EXPECT_EQ(flagged.database_url, "x");
  EXPECT_EQ(ParseServeConfig({"--webhook-busy-pause", "4"}, env, 2).webhook_busy_pause, 4);
}

TEST(ConfigTest, BadValuesNameTheSettingAndWhatItAccepts) {
  const std::vector<std::pair<Environment, std::string>> cases = {
      {{{"COCO_DATABASE_URL", "x"}, {"COCO_PORT", "eighty"}}, "COCO_PORT"},
      {{{"COCO_DATABASE_URL", "x"}, {"COCO_PORT", "0"}}, "COCO_PORT"},
      {{{"COCO_DATABASE_URL", "x"}, {"COCO_PORT", "65536"}}, "COCO_PORT"},
      {{{"COCO_DATABASE_URL", "x"}, {"COCO_PORT", "-1"}}, "COCO_PORT"},
      {{{"COCO_DATABASE_URL", "x"}, {"COCO_PORT", "99999999999999999999999"}}, "COCO_PORT"},
      {{{"COCO_DATABASE_URL", "x"}, {"COCO_THREADS", "0"}}, "COCO_THREADS"},
      {{{"COCO_DATABASE_URL", "x"}, {"COCO_LOG_LEVEL", "loud"}}, "COCO_LOG_LEVEL"},
      {{{"COCO_DATABASE_URL", "x"}, {"COCO_MAX_BODY_BYTES", "1k"}}, "COCO_MAX_BODY_BYTES"},
      {{{"COCO_DATABASE_URL", "x"}, {"COCO_WEBHOOK_BUSY_PAUSE", "-1"}}, "COCO_WEBHOOK_BUSY_PAUSE"},
      {{}, "COCO_DATABASE_URL"},
  };
  for (const auto& [env, name] : cases) {
    try {
      ParseServeConfig({}, env, 2);
      ADD_FAILURE() << "accepted a bad " << name;
    } catch (const ConfigError& error) {
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
    }
  }
  EXPECT_THROW(ParseServeConfig({"--port"}, kBase, 2), ConfigError);
  EXPECT_THROW(ParseServeConfig({"--frobnicate"}, kBase, 2), ConfigError);
}

TEST(ConfigTest, JsonCapCannotExceedTheBodyCap) {
  Environment env = kBase;
  env["COCO_MAX_BODY_BYTES"] = "4096";
  env["COCO_MAX_JSON_BYTES"] = "8192";
  EXPECT_THROW(ParseServeConfig({}, env, 2), ConfigError);
}

}  // namespace
}  // namespace coco::app
