#include "app/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <set>

#include "api/client_address.hpp"

extern char** environ;

namespace coco::app {
namespace {

const std::set<std::string> kLogLevels = {"trace", "debug", "info", "warn", "error", "off"};

// Reads "--name value" or "--name=value" at args[i]; advances i past the value.
std::optional<std::string> FlagValue(const std::vector<std::string>& args, std::size_t& i,
                                     const std::string& flag) {
  const std::string& word = args[i];
  if (word == flag) {
    if (i + 1 >= args.size()) throw ConfigError(flag + " needs a value");
    return args[++i];
  }
  if (word.rfind(flag + "=", 0) == 0) return word.substr(flag.size() + 1);
  return std::nullopt;
}

std::optional<std::string> Env(const Environment& env, const std::string& name) {
  auto found = env.find(name);
  if (found == env.end() || found->second.empty()) return std::nullopt;
  return found->second;
}

}  // namespace

Environment ProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string::npos || text.rfind("COCO_", 0) != 0) continue;
    env[text.substr(0, equals)] = text.substr(equals + 1);
  }
  return env;
}

long long ParseInteger(const std::string& name, const std::string& text, long long min,
                       long long max) {
  if (text.empty() || text.size() > 19) {
    throw ConfigError(name + " must be a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max) + ", not \"" + text + "\"");
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      throw ConfigError(name + " must be a whole number from " + std::to_string(min) + " to " +
                        std::to_string(max) + ", not \"" + text + "\"");
    }
  }
  errno = 0;
  const long long value = std::strtoll(text.c_str(), nullptr, 10);
  if (errno != 0 || value < min || value > max) {
    throw ConfigError(name + " must be a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max) + ", not \"" + text + "\"");
  }
  return value;
}

std::uint16_t ParsePort(const std::string& name, const std::string& text) {
  return static_cast<std::uint16_t>(ParseInteger(name, text, 1, 65535));
}

std::string DefaultSigningKeyPath(bool is_root, const std::optional<std::string>& xdg_data_home,
                                  const std::optional<std::string>& home) {
  if (is_root) return "/var/lib/coco/signing-key.pem";
  if (xdg_data_home && xdg_data_home->rfind('/', 0) == 0) {
    return *xdg_data_home + "/coco/signing-key.pem";
  }
  if (home && home->rfind('/', 0) == 0) return *home + "/.local/share/coco/signing-key.pem";
  throw ConfigError(
      "no signing key path: set COCO_SIGNING_KEY or pass --signing-key (there is "
      "no HOME to put it under)");
}

std::string SigningKeyPath(const std::string& configured) {
  if (!configured.empty()) return configured;
  const auto variable = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
  return DefaultSigningKeyPath(::geteuid() == 0, variable("XDG_DATA_HOME"), variable("HOME"));
}

std::string DatabaseUrl(const std::vector<std::string>& args, const Environment& env) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (auto value = FlagValue(args, i, "--database-url")) return *value;
  }
  if (auto value = Env(env, "COCO_DATABASE_URL")) return *value;
  throw ConfigError("no database: set COCO_DATABASE_URL or pass --database-url");
}

ServeConfig ParseServeConfig(const std::vector<std::string>& args, const Environment& env,
                             int cores) {
  ServeConfig config;
  config.threads = cores > 0 ? cores : 1;

  auto apply = [&](const std::string& setting, const std::string& value) {
    if (setting == "database-url") {
      config.database_url = value;
    } else if (setting == "bind") {
      if (value.empty()) throw ConfigError("bind address must not be empty");
      config.bind = value;
    } else if (setting == "port") {
      config.port = ParsePort("port", value);
    } else if (setting == "threads") {
      config.threads = static_cast<int>(ParseInteger("threads", value, 1, 256));
    } else if (setting == "log-level") {
      if (!kLogLevels.contains(value)) {
        throw ConfigError("log level must be one of trace, debug, info, warn, error, off, not \"" +
                          value + "\"");
      }
      config.log_level = value;
    } else if (setting == "max-body-bytes") {
      config.max_body_bytes =
          static_cast<std::size_t>(ParseInteger("max body bytes", value, 4096, 1LL << 32));
    } else if (setting == "max-json-bytes") {
      config.max_json_bytes =
          static_cast<std::size_t>(ParseInteger("max JSON bytes", value, 1024, 64LL << 20));
    } else if (setting == "statement-timeout-ms") {
      config.statement_timeout_ms =
          static_cast<int>(ParseInteger("statement timeout", value, 100, 600000));
    } else if (setting == "max-uploads") {
      config.max_uploads = static_cast<int>(ParseInteger("max uploads", value, 1, 64));
    } else if (setting == "signing-key") {
      config.signing_key = value;
    } else if (setting == "max-request-line-bytes") {
      config.max_request_line_bytes =
          static_cast<std::size_t>(ParseInteger("max request line bytes", value, 256, 1 << 20));
    } else if (setting == "max-header-bytes") {
      config.max_header_bytes =
          static_cast<std::size_t>(ParseInteger("max header bytes", value, 1024, 1 << 20));
    } else if (setting == "max-headers") {
      config.max_headers = static_cast<std::size_t>(ParseInteger("max headers", value, 8, 10000));
    } else if (setting == "header-timeout") {
      config.header_timeout_s = static_cast<int>(ParseInteger("header timeout", value, 1, 3600));
    } else if (setting == "body-timeout") {
      config.body_timeout_s = static_cast<int>(ParseInteger("body timeout", value, 1, 86400));
    } else if (setting == "shutdown-timeout") {
      config.shutdown_timeout_s =
          static_cast<int>(ParseInteger("shutdown timeout", value, 0, 3600));
    } else if (setting == "scheduler-interval") {
      config.scheduler_interval_s =
          static_cast<int>(ParseInteger("scheduler interval", value, 0, 86400));
    } else if (setting == "keepalive-timeout") {
      config.keepalive_timeout_s =
          static_cast<int>(ParseInteger("keep-alive timeout", value, 1, 86400));
    } else if (setting == "trusted-proxies") {
      if (!api::TrustedProxies::Parse(value)) {
        throw ConfigError(
            "trusted proxies must be comma-separated IP addresses or networks "
            "(10.0.0.1, 172.16.0.0/12, ::1), not \"" +
            value + "\"");
      }
      config.trusted_proxies = value;
    } else if (setting == "auth-failure-limit") {
      config.auth_failure_limit =
          static_cast<int>(ParseInteger("auth failure limit", value, 1, 1000000));
    } else if (setting == "auth-failure-window") {
      config.auth_failure_window_s =
          static_cast<int>(ParseInteger("auth failure window", value, 1, 86400));
    } else if (setting == "webhook-allow-http") {
      config.webhook_allow_http = value;
    } else if (setting == "webhook-allow-hosts") {
      config.webhook_allow_hosts = value;
    } else if (setting == "webhook-timeout-ms") {
      config.webhook_timeout_ms =
          static_cast<int>(ParseInteger("webhook timeout", value, 100, 60000));
    } else if (setting == "webhook-interval-ms") {
      config.webhook_interval_ms =
          static_cast<int>(ParseInteger("webhook interval", value, 0, 3600000));
    } else if (setting == "webhook-retry-first-ms") {
      config.webhook_retry_first_ms =
          ParseInteger("webhook first retry", value, 10, 24LL * 3600 * 1000);
    } else if (setting == "webhook-retry-max-ms") {
      config.webhook_retry_max_ms =
          ParseInteger("webhook longest retry wait", value, 10, 24LL * 3600 * 1000);
    } else if (setting == "webhook-busy-pause") {
      config.webhook_busy_pause =
          static_cast<int>(ParseInteger("webhook busy pause", value, 0, 1000));
    } else if (setting == "webhook-give-up-ms") {
      config.webhook_give_up_ms =
          ParseInteger("webhook give-up time", value, 100, 30LL * 24 * 3600 * 1000);
    } else if (setting == "smtp-url") {
      if (!value.starts_with("smtp://") && !value.starts_with("smtps://")) {
        throw ConfigError("the SMTP URL must start with smtp:// or smtps://");
      }
      config.smtp_url = value;
    } else if (setting == "mail-from") {
      config.mail_from = value;
    } else if (setting == "public-url") {
      if (!value.starts_with("https://") && !value.starts_with("http://")) {
        throw ConfigError("the public URL must start with https:// or http://");
      }
      config.public_url = value;
    } else if (setting == "mail-interval-ms") {
      config.mail_interval_ms = static_cast<int>(ParseInteger("mail interval", value, 0, 3600000));
    } else if (setting == "mail-timeout-ms") {
      config.mail_timeout_ms = static_cast<int>(ParseInteger("mail timeout", value, 100, 300000));
    } else if (setting == "mail-digest-hour") {
      config.mail_digest_hour = static_cast<int>(ParseInteger("mail digest hour", value, 0, 23));
    } else if (setting == "mail-retry-first-ms") {
      config.mail_retry_first_ms = ParseInteger("mail first retry", value, 10, 24LL * 3600 * 1000);
    } else if (setting == "mail-retry-max-ms") {
      config.mail_retry_max_ms =
          ParseInteger("mail longest retry wait", value, 10, 24LL * 3600 * 1000);
    } else if (setting == "mail-give-up-ms") {
      config.mail_give_up_ms =
          ParseInteger("mail give-up time", value, 100, 30LL * 24 * 3600 * 1000);
    } else if (setting == "auth-throttle-addresses") {
      config.auth_throttle_addresses =
          static_cast<int>(ParseInteger("auth throttle addresses", value, 16, 10000000));
    }
  };

  const std::vector<std::pair<std::string, std::string>> settings = {
      {"database-url", "COCO_DATABASE_URL"},
      {"bind", "COCO_BIND"},
      {"port", "COCO_PORT"},
      {"threads", "COCO_THREADS"},
      {"log-level", "COCO_LOG_LEVEL"},
      {"max-body-bytes", "COCO_MAX_BODY_BYTES"},
      {"max-json-bytes", "COCO_MAX_JSON_BYTES"},
      {"statement-timeout-ms", "COCO_STATEMENT_TIMEOUT_MS"},
      {"max-uploads", "COCO_MAX_UPLOADS"},
      {"signing-key", "COCO_SIGNING_KEY"},
      {"max-request-line-bytes", "COCO_MAX_REQUEST_LINE_BYTES"},
      {"max-header-bytes", "COCO_MAX_HEADER_BYTES"},
      {"max-headers", "COCO_MAX_HEADERS"},
      {"header-timeout", "COCO_HEADER_TIMEOUT"},
      {"body-timeout", "COCO_BODY_TIMEOUT"},
      {"keepalive-timeout", "COCO_KEEPALIVE_TIMEOUT"},
      {"shutdown-timeout", "COCO_SHUTDOWN_TIMEOUT"},
      {"scheduler-interval", "COCO_SCHEDULER_INTERVAL"},
      {"trusted-proxies", "COCO_TRUSTED_PROXIES"},
      {"auth-failure-limit", "COCO_AUTH_FAILURE_LIMIT"},
      {"auth-failure-window", "COCO_AUTH_FAILURE_WINDOW"},
      {"webhook-allow-http", "COCO_WEBHOOK_ALLOW_HTTP"},
      {"webhook-allow-hosts", "COCO_WEBHOOK_ALLOW_HOSTS"},
      {"webhook-timeout-ms", "COCO_WEBHOOK_TIMEOUT_MS"},
      {"webhook-interval-ms", "COCO_WEBHOOK_INTERVAL_MS"},
      {"webhook-retry-first-ms", "COCO_WEBHOOK_RETRY_FIRST_MS"},
      {"webhook-retry-max-ms", "COCO_WEBHOOK_RETRY_MAX_MS"},
      {"webhook-give-up-ms", "COCO_WEBHOOK_GIVE_UP_MS"},
      {"webhook-busy-pause", "COCO_WEBHOOK_BUSY_PAUSE"},
      {"auth-throttle-addresses", "COCO_AUTH_THROTTLE_ADDRESSES"},
      {"smtp-url", "COCO_SMTP_URL"},
      {"mail-from", "COCO_MAIL_FROM"},
      {"public-url", "COCO_PUBLIC_URL"},
      {"mail-interval-ms", "COCO_MAIL_INTERVAL_MS"},
      {"mail-timeout-ms", "COCO_MAIL_TIMEOUT_MS"},
      {"mail-digest-hour", "COCO_MAIL_DIGEST_HOUR"},
      {"mail-retry-first-ms", "COCO_MAIL_RETRY_FIRST_MS"},
      {"mail-retry-max-ms", "COCO_MAIL_RETRY_MAX_MS"},
      {"mail-give-up-ms", "COCO_MAIL_GIVE_UP_MS"},
  };
  for (const auto& [setting, variable] : settings) {
    if (auto value = Env(env, variable)) {
      try {
        apply(setting, *value);
      } catch (const ConfigError& error) {
        throw ConfigError(variable + ": " + error.what());
      }
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--no-migrate") {
      config.migrate = false;
      continue;
    }
    bool matched = false;
    for (const auto& [setting, variable] : settings) {
      if (auto value = FlagValue(args, i, "--" + setting)) {
        try {
          apply(setting, *value);
        } catch (const ConfigError& error) {
          throw ConfigError("--" + setting + ": " + error.what());
        }
        matched = true;
        break;
      }
    }
    if (!matched) throw ConfigError("unknown option for serve: " + args[i]);
  }
  if (config.database_url.empty()) {
    throw ConfigError("no database: set COCO_DATABASE_URL or pass --database-url");
  }
  if (!config.smtp_url.empty() && (config.mail_from.empty() || config.public_url.empty())) {
    throw ConfigError(
        "e-mail needs COCO_MAIL_FROM (the sender) and COCO_PUBLIC_URL (the address its links "
        "start with) beside COCO_SMTP_URL");
  }
  if (config.max_json_bytes > config.max_body_bytes) {
    throw ConfigError(
        "the JSON cap (COCO_MAX_JSON_BYTES) cannot exceed the body cap "
        "(COCO_MAX_BODY_BYTES)");
  }
  return config;
}

std::vector<std::string> HostList(const std::string& text) {
  std::vector<std::string> hosts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, end - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) hosts.push_back(item.substr(first, last - first + 1));
    start = end + 1;
  }
  return hosts;
}

}  // namespace coco::app
