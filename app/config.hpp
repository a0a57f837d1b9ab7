#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace coco::app {

// Bad configuration: one line for stderr, exit code 2.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `coco serve` settings. Each comes from a flag, else the COCO_* variable, else the default.
struct ServeConfig {
  std::string database_url;                // --database-url  COCO_DATABASE_URL (required)
  std::string bind = "127.0.0.1";          // --bind          COCO_BIND
  std::uint16_t port = 8080;               // --port          COCO_PORT
  int threads = 2;                         // --threads       COCO_THREADS (default: cores)
  std::string log_level = "info";          // --log-level     COCO_LOG_LEVEL
  std::size_t max_body_bytes = 64u << 20;  // --max-body-bytes COCO_MAX_BODY_BYTES
  std::size_t max_json_bytes = 1u << 20;   // --max-json-bytes COCO_MAX_JSON_BYTES
  int statement_timeout_ms = 5000;         // --statement-timeout-ms COCO_STATEMENT_TIMEOUT_MS
  int max_uploads = 4;                     // --max-uploads   COCO_MAX_UPLOADS
  std::string signing_key;                 // --signing-key   COCO_SIGNING_KEY (default: see
                                           // DefaultSigningKeyPath)
  std::size_t max_request_line_bytes = 8 * 1024;  // --max-request-line-bytes (414 past it)
  std::size_t max_header_bytes = 16 * 1024;       // --max-header-bytes (431 past it)
  std::size_t max_headers = 100;                  // --max-headers (431 past it)
  int header_timeout_s = 12;     // --header-timeout  COCO_HEADER_TIMEOUT (408 past it)
  int body_timeout_s = 120;      // --body-timeout    COCO_BODY_TIMEOUT (408 past it)
  int keepalive_timeout_s = 60;  // --keepalive-timeout COCO_KEEPALIVE_TIMEOUT
  int shutdown_timeout_s = 20;   // --shutdown-timeout COCO_SHUTDOWN_TIMEOUT
  // How often the status scheduler looks for date-driven changes (0: never, on this node).
  int scheduler_interval_s = 60;  // --scheduler-interval COCO_SCHEDULER_INTERVAL
  // Comma-separated addresses or networks (10.0.0.1, 172.16.0.0/12, ::1) of the reverse proxies
  // whose X-Forwarded-For / X-Real-IP name the client. Default: none.
  std::string trusted_proxies;          // --trusted-proxies COCO_TRUSTED_PROXIES
  int auth_failure_limit = 20;          // --auth-failure-limit COCO_AUTH_FAILURE_LIMIT
  int auth_failure_window_s = 60;       // --auth-failure-window COCO_AUTH_FAILURE_WINDOW (seconds)
  int auth_throttle_addresses = 10000;  // --auth-throttle-addresses COCO_AUTH_THROTTLE_ADDRESSES
  bool migrate = true;                  // --no-migrate
  // Webhooks (docs/notifications.md). Hosts (comma-separated, lower case) that may take plain
  // http, and hosts that may resolve to loopback, private or link-local addresses.
  std::string webhook_allow_http;   // --webhook-allow-http  COCO_WEBHOOK_ALLOW_HTTP
  std::string webhook_allow_hosts;  // --webhook-allow-hosts COCO_WEBHOOK_ALLOW_HOSTS
  int webhook_timeout_ms = 10000;   // --webhook-timeout-ms COCO_WEBHOOK_TIMEOUT_MS (per try)
  // How often the leader looks for events to deliver and deliveries due (0: never, here).
  int webhook_interval_ms = 1000;             // --webhook-interval-ms COCO_WEBHOOK_INTERVAL_MS
  long long webhook_retry_first_ms = 30000;   // COCO_WEBHOOK_RETRY_FIRST_MS: first retry
  long long webhook_retry_max_ms = 14400000;  // COCO_WEBHOOK_RETRY_MAX_MS: longest wait (4 h)
  long long webhook_give_up_ms = 90000000;    // COCO_WEBHOOK_GIVE_UP_MS: dead after (25 h)
  // COCO_WEBHOOK_BUSY_PAUSE: while the API is busy, a pause after each round of delivery this many
  // times as long as the round; 0 never yields.
  int webhook_busy_pause = 19;
  // E-mail (docs/notifications.md "E-mail"): none is sent while smtp_url is empty; when it is
  // set, mail_from and public_url must be too.
  std::string smtp_url;                    // --smtp-url    COCO_SMTP_URL (smtp:// or smtps://)
  std::string mail_from;                   // --mail-from   COCO_MAIL_FROM
  std::string public_url;                  // --public-url  COCO_PUBLIC_URL (links in mail)
  int mail_interval_ms = 5000;             // --mail-interval-ms COCO_MAIL_INTERVAL_MS (0: never)
  int mail_timeout_ms = 10000;             // --mail-timeout-ms  COCO_MAIL_TIMEOUT_MS (per try)
  int mail_digest_hour = 7;                // --mail-digest-hour COCO_MAIL_DIGEST_HOUR (UTC, 0-23)
  long long mail_retry_first_ms = 60000;   // COCO_MAIL_RETRY_FIRST_MS: first retry
  long long mail_retry_max_ms = 14400000;  // COCO_MAIL_RETRY_MAX_MS: longest wait (4 h)
  long long mail_give_up_ms = 90000000;    // COCO_MAIL_GIVE_UP_MS: dead after (25 h)
};

// The comma-separated list `text` as trimmed, non-empty items (EgressPolicy ignores case).
std::vector<std::string> HostList(const std::string& text);

using Environment = std::map<std::string, std::string>;

// The process environment as a map (only COCO_* names are read from it).
Environment ProcessEnvironment();

// Parses `args` (the words after "serve") over `env`. Throws ConfigError naming the setting and
// what it accepts. `cores` is the default thread count.
ServeConfig ParseServeConfig(const std::vector<std::string>& args, const Environment& env,
                             int cores);

// Shared by every subcommand that needs a database: --database-url, else COCO_DATABASE_URL.
std::string DatabaseUrl(const std::vector<std::string>& args, const Environment& env);

// The signing key file when neither --signing-key nor COCO_SIGNING_KEY names one: beside the
// data, never the working directory. Root: /var/lib/coco/signing-key.pem. Anyone else:
// $XDG_DATA_HOME/coco/signing-key.pem when that is an absolute path, else
// $HOME/.local/share/coco/signing-key.pem. Throws ConfigError when there is no HOME either.
std::string DefaultSigningKeyPath(bool is_root, const std::optional<std::string>& xdg_data_home,
                                  const std::optional<std::string>& home);

// `configured` (from --signing-key or COCO_SIGNING_KEY) when not empty, else the default above
// for this process (its effective uid, XDG_DATA_HOME and HOME).
std::string SigningKeyPath(const std::string& configured);

// Value parsers, exposed for tests. Each throws ConfigError mentioning `name`.
std::uint16_t ParsePort(const std::string& name, const std::string& text);
long long ParseInteger(const std::string& name, const std::string& text, long long min,
                       long long max);

}  // namespace coco::app
