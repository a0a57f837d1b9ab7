#include "app/cli.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <thread>

#include "api/evidence_routes.hpp"
#include "api/logging.hpp"
#include "api/pipeline.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "api/server.hpp"
#include "app/application.hpp"
#include "app/backup.hpp"
#include "app/catalogue_files.hpp"
#include "app/config.hpp"
#include "app/mail_worker.hpp"
#include "app/status_scheduler.hpp"
#include "app/webhook_worker.hpp"
#include "domain/assessment/assessment_service.hpp"
#include "domain/audit/audit_repository.hpp"
#include "domain/common/error.hpp"
#include "domain/evidence/evidence_service.hpp"
#include "domain/identity/token_service.hpp"
#include "domain/identity/user_service.hpp"
#include "domain/service/service_service.hpp"
#include "domain/signing/signing_key.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/supplier/supplier_service.hpp"
#include "outbound/curl_mail_sender.hpp"
#include "outbound/curl_webhook_sender.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/migrator.hpp"
#include "persistence/pg_assessment_repository.hpp"
#include "persistence/pg_audit.hpp"
#include "persistence/pg_audit_repository.hpp"
#include "persistence/pg_catalogue_repository.hpp"
#include "persistence/pg_evidence_repository.hpp"
#include "persistence/pg_idempotency_store.hpp"
#include "persistence/pg_identity_repository.hpp"
#include "persistence/pg_mail_queue.hpp"
#include "persistence/pg_review_repositories.hpp"
#include "persistence/pg_service_repository.hpp"
#include "persistence/pg_signing_key_repository.hpp"
#include "persistence/pg_status.hpp"
#include "persistence/pg_supplier_repository.hpp"
#include "security/ed25519_signer.hpp"
#include "security/openssl_hasher.hpp"
#include "security/openssl_id_generator.hpp"
#include "security/openssl_token_generator.hpp"
#include "security/signing_key_file.hpp"
#include "security/system_clock.hpp"

namespace coco::app {
namespace {

constexpr const char* kUsage =
    "usage: coco <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve                 run the HTTP server (applies pending migrations first)\n"
    "  migrate               apply pending database migrations\n"
    "  token create          create a user and print a new API token for it\n"
    "  catalogue import      validate and import the standards catalogue files\n"
    "  keys rotate           make a new attestation signing key; keep the old one published\n"
    "  keys list             list the signing keys and until when each is published\n"
    "  backup DIR            write a consistent backup: database dump, signing key, manifest\n"
    "  restore DIR           check a backup and restore it into an empty database\n"
    "\n"
    "`coco <command> --help` describes each command. Configuration comes from flags, else COCO_*\n"
    "environment variables (see README.md).\n";

constexpr const char* kServeUsage =
    "usage: coco serve [options]\n"
    "\n"
    "  --database-url URL        PostgreSQL URL (COCO_DATABASE_URL; required)\n"
    "  --bind ADDRESS            listen address (COCO_BIND; default 127.0.0.1)\n"
    "  --port PORT               listen port (COCO_PORT; default 8080)\n"
    "  --threads N               worker threads and pool size (COCO_THREADS; default: cores)\n"
    "  --log-level LEVEL         trace|debug|info|warn|error|off (COCO_LOG_LEVEL; default info)\n"
    "  --max-body-bytes N        transport cap on a request (COCO_MAX_BODY_BYTES; default 64 MiB)\n"
    "  --max-json-bytes N        cap on a JSON body (COCO_MAX_JSON_BYTES; default 1 MiB)\n"
    "  --statement-timeout-ms N  per-statement timeout for requests (COCO_STATEMENT_TIMEOUT_MS;\n"
    "                            default 5000)\n"
    "  --max-uploads N           evidence uploads processed at once (COCO_MAX_UPLOADS; default 4)\n"
    "  --signing-key PATH        Ed25519 key file for attestations (COCO_SIGNING_KEY; default\n"
    "                            /var/lib/coco/signing-key.pem as root, else\n"
    "                            ${XDG_DATA_HOME:-~/.local/share}/coco/signing-key.pem); made on\n"
    "                            first start, followed after `coco keys rotate`\n"
    "  --max-request-line-bytes N  longer request lines are 414 (COCO_MAX_REQUEST_LINE_BYTES;\n"
    "                            default 8192)\n"
    "  --max-header-bytes N      larger header sections are 431 (COCO_MAX_HEADER_BYTES; 16384)\n"
    "  --max-headers N           more header lines are 431 (COCO_MAX_HEADERS; default 100)\n"
    "  --header-timeout S        seconds for a request's headers, else 408 (COCO_HEADER_TIMEOUT;\n"
    "                            default 12)\n"
    "  --body-timeout S          seconds for a request's body, else 408 (COCO_BODY_TIMEOUT;\n"
    "                            default 120)\n"
    "  --keepalive-timeout S     idle keep-alive connections close after S seconds\n"
    "                            (COCO_KEEPALIVE_TIMEOUT; default 60)\n"
    "  --shutdown-timeout S      on SIGTERM, seconds to let requests in flight finish\n"
    "                            (COCO_SHUTDOWN_TIMEOUT; default 20)\n"
    "  --scheduler-interval S    seconds between the status scheduler's rounds\n"
    "                            (COCO_SCHEDULER_INTERVAL; default 60; 0: this node never\n"
    "                            journals date-driven changes)\n"
    "  --webhook-allow-http H,..  hosts webhooks may reach over plain http\n"
    "                            (COCO_WEBHOOK_ALLOW_HTTP; default none)\n"
    "  --webhook-allow-hosts H,.. hosts webhooks may reach on loopback or private\n"
    "                            addresses (COCO_WEBHOOK_ALLOW_HOSTS; default none)\n"
    "  --webhook-timeout-ms MS   each delivery try (COCO_WEBHOOK_TIMEOUT_MS; default 10000)\n"
    "  --webhook-interval-ms MS  between delivery rounds (COCO_WEBHOOK_INTERVAL_MS;\n"
    "                            default 1000; 0: this node never delivers)\n"
    "  --webhook-retry-first-ms, --webhook-retry-max-ms, --webhook-give-up-ms MS\n"
    "                            the retry schedule (COCO_WEBHOOK_RETRY_FIRST_MS 30000,\n"
    "                            COCO_WEBHOOK_RETRY_MAX_MS 14400000, COCO_WEBHOOK_GIVE_UP_MS\n"
    "                            90000000: doubling waits, dead after 25 h)\n"
    "  --webhook-busy-pause N    while the API is busy, pause after each delivery round N\n"
    "                            times as long as it took (COCO_WEBHOOK_BUSY_PAUSE;\n"
    "                            default 19; 0: never yield)\n"
    "  --smtp-url URL            mail server, smtp:// or smtps:// (COCO_SMTP_URL; default\n"
    "                            none: no e-mail is sent)\n"
    "  --mail-from ADDRESS       the sender of every mail (COCO_MAIL_FROM)\n"
    "  --public-url URL          where links in mail point: the web front end\n"
    "                            (COCO_PUBLIC_URL)\n"
    "  --mail-interval-ms MS     between mail rounds (COCO_MAIL_INTERVAL_MS; default 5000)\n"
    "  --mail-timeout-ms MS      each sending try (COCO_MAIL_TIMEOUT_MS; default 10000)\n"
    "  --mail-digest-hour H      the UTC hour from which assessors' daily digests go\n"
    "                            (COCO_MAIL_DIGEST_HOUR; default 7)\n"
    "  --mail-retry-first-ms, --mail-retry-max-ms, --mail-give-up-ms MS\n"
    "                            the retry schedule (COCO_MAIL_RETRY_FIRST_MS 60000,\n"
    "                            COCO_MAIL_RETRY_MAX_MS 14400000, COCO_MAIL_GIVE_UP_MS\n"
    "                            90000000)\n"
    "  --no-migrate              do not apply pending migrations at start\n"
    "\n"
    "On SIGINT or SIGTERM, /readyz answers 503 at once, the requests in flight finish (for at\n"
    "most the shutdown timeout), and the process exits 0.\n";

constexpr const char* kMigrateUsage =
    "usage: coco migrate [--database-url URL] [--status]\n"
    "\n"
    "Applies the migrations compiled into this binary (migrations/NNNN_*.sql) in order, each in\n"
    "its own transaction, recording them in schema_migrations. A migration changed after it was\n"
    "applied is refused. --status lists applied and pending migrations without changing "
    "anything.\n";

constexpr const char* kTokenUsage =
    "usage: coco token create --role ROLE --name NAME [--supplier ID] [--expires-in DAYS]\n"
    "                         [--database-url URL]\n"
    "\n"
    "Creates a user named NAME with role ROLE and a token for it, and prints only the token on\n"
    "stdout. ROLE: admin, assessor, risk_owner, procurement or supplier; a supplier user needs\n"
    "--supplier ID (an existing supplier). DAYS: 1 to 365, default 90.\n";

constexpr const char* kCatalogueUsage =
    "usage: coco catalogue import [DIR] [--database-url URL]\n"
    "\n"
    "Validates every catalogue file in DIR (default: standards/) against the catalogue schema and\n"
    "the applies_when language before writing anything, then imports them in one transaction.\n"
    "Re-importing a version changes nothing; a new version is added beside the old ones; a\n"
    "changed file under an already-imported version is refused, naming the standard and version,\n"
    "and nothing is written. Exit code 1 when the import is refused.\n";

constexpr const char* kKeysUsage =
    "usage: coco keys rotate [--retire-after DURATION] [--signing-key PATH] [--database-url URL]\n"
    "       coco keys list [--database-url URL]\n"
    "\n"
    "rotate: generates a new Ed25519 key, records its public half as the signing key and the\n"
    "  current key's public half as retired, then replaces the key file (PATH, else\n"
    "  COCO_SIGNING_KEY, else the serve default) with the new key. The old public key stays in\n"
    "  /.well-known/jwks.json for DURATION (a whole number and d, h, m or s; default 400d), so\n"
    "  attestations it signed still verify. Running servers that use the key file sign with the\n"
    "  new key from their next attestation on. Prints the new key id on stdout. Run it as the\n"
    "  user that runs `coco serve`. Bad input changes nothing and exits with code 2.\n"
    "list: every recorded key: its id, state (signing, retired, gone), creation time and the\n"
    "  moment it leaves the key set.\n";

bool WantsHelp(const std::vector<std::string>& args) {
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

int UsageError(const std::string& message) {
  std::cerr << "coco: " << message << "\n";
  return 2;
}

// Turns a domain error met while starting up into the one-line, exit-code-2 answer.
int StartupError(const domain::Error& error) {
  std::cerr << "coco: " << error.message() << "\n";
  return error.kind() == domain::ErrorKind::kInternal ? 1 : 2;
}

// Applies pending migrations when `config.migrate` (else warns that /readyz will answer 503),
// then connects the pool. Throws domain::Error when the database cannot be used.
std::unique_ptr<persistence::ConnectionPool> OpenDatabase(
    const ServeConfig& config, const std::vector<persistence::Migration>& migrations,
    spdlog::logger& logger) {
  persistence::Migrator migrator(config.database_url, migrations);
  if (config.migrate) {
    for (const auto& name : migrator.Apply()) {
      api::LogJson(logger, spdlog::level::info, "migration applied", {{"migration", name}});
    }
  } else if (!migrator.Status().pending.empty()) {
    api::LogJson(logger, spdlog::level::warn, "migrations pending; /readyz will answer 503");
  }
  return std::make_unique<persistence::ConnectionPool>(
      persistence::PoolOptions{config.database_url, config.threads, std::chrono::seconds(2),
                               std::chrono::milliseconds(config.statement_timeout_ms)});
}

// The attestation key: loaded, or made on first start (mode 0600), then followed: a rotation
// replaces the file and the next attestation uses it. Throws ConfigError when it cannot be had.
std::unique_ptr<security::SigningKeyFile> LoadSigningKey(
    const std::string& configured, const std::shared_ptr<spdlog::logger>& logger) {
  const std::string path = SigningKeyPath(configured);
  std::unique_ptr<security::SigningKeyFile> signers;
  try {
    signers = std::make_unique<security::SigningKeyFile>(
        path, [logger, path](const std::string& kid, const std::string& error) {
          if (error.empty()) {
            api::LogJson(*logger, spdlog::level::info, "attestation key reloaded",
                         {{"kid", kid}, {"path", path}});
          } else {
            api::LogJson(*logger, spdlog::level::err,
                         "attestation key file changed but cannot be loaded; the previous key "
                         "still signs",
                         {{"kid", kid}, {"path", path}, {"error", error}});
          }
        });
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception& error) {
    throw ConfigError("signing key " + path + ": " + error.what());
  }
  api::LogJson(*logger, spdlog::level::info, "attestation key ready",
               {{"kid", signers->Current()->KeyId()}, {"path", path}});
  return signers;
}

// Records this node's public key so that every node publishes it. A failure is only logged:
// this node publishes its own key regardless.
void PublishSigningKey(persistence::PgSigningKeyRepository& repository,
                       const domain::Signer& signer, const domain::Clock& clock,
                       spdlog::logger& logger) {
  try {
    repository.Register(domain::PublicKeyOf(signer, clock.Now()));
    for (const auto& key : repository.All()) {
      if (key.kid == signer.KeyId() && key.retires_at) {
        api::LogJson(logger, spdlog::level::warn,
                     "this key was rotated out; replace the key file with the current one",
                     {{"kid", key.kid}, {"retires_at", domain::FormatTimestamp(*key.retires_at)}});
      }
    }
  } catch (const domain::Error& error) {
    api::LogJson(logger, spdlog::level::warn, "attestation key not recorded",
                 {{"kid", signer.KeyId()}, {"error", error.message()}});
  }
}

api::ServerOptions ServerOptionsFrom(const ServeConfig& config) {
  api::ServerOptions options;
  options.bind = config.bind;
  options.port = config.port;
  options.threads = config.threads;
  options.limits = api::HttpLimits{config.max_request_line_bytes, config.max_headers,
                                   config.max_header_bytes, config.max_body_bytes};
  options.header_timeout = std::chrono::seconds(config.header_timeout_s);
  options.body_timeout = std::chrono::seconds(config.body_timeout_s);
  options.keepalive_timeout = std::chrono::seconds(config.keepalive_timeout_s);
  return options;
}

// Where webhook deliveries may go, from the settings.
domain::EgressPolicy EgressPolicyOf(const ServeConfig& config) {
  return domain::EgressPolicy{HostList(config.webhook_allow_http),
                              HostList(config.webhook_allow_hosts)};
}

// Serves HTTP until SIGTERM or SIGINT, then drains: /readyz answers 503, requests in flight get
// up to the shutdown timeout to finish, and the rest are cut off.
int ServeHttp(const ServeConfig& config, Application& application,
              persistence::ConnectionPool& pool, Infrastructure& infra,
              const std::shared_ptr<spdlog::logger>& logger) {
  api::Metrics metrics;
  metrics.AddGauge("coco_db_pool_in_use", "Database connections lent to requests right now.",
                   [&pool] { return static_cast<double>(pool.in_use()); });
  metrics.AddGauge("coco_db_pool_size", "Database connections in the pool.",
                   [&pool] { return static_cast<double>(pool.size()); });
  std::atomic<bool> stopping{false};
  api::Router router;
  api::AddAllRoutes(router, application.Services(metrics, [&stopping] { return stopping.load(); }));

  api::AuthThrottle throttle(api::AuthThrottleOptions{
      config.auth_failure_limit, std::chrono::seconds(config.auth_failure_window_s),
      static_cast<std::size_t>(config.auth_throttle_addresses)});
  metrics.AddGauge("coco_auth_throttle_addresses",
                   "Client addresses the authentication throttle remembers.",
                   [&throttle] { return static_cast<double>(throttle.size()); });
  auto& tokens = application.tokens();
  api::Pipeline pipeline(
      router, [&tokens](std::string_view secret) { return tokens.Authenticate(secret); }, metrics,
      logger, api::PipelineOptions{config.max_json_bytes},
      api::PipelineGuards{&throttle, *api::TrustedProxies::Parse(config.trusted_proxies),
                          &application.idempotency(), &infra.hasher});

  // Block the stop signals before the worker threads exist, so only sigwait below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  api::Server server(ServerOptionsFrom(config), pipeline);
  metrics.AddGauge("coco_http_requests_in_flight",
                   "Requests whose first byte arrived and whose answer is not yet written.",
                   [&server] { return static_cast<double>(server.InFlight()); });
  try {
    server.Start();
  } catch (const std::exception& error) {
    return UsageError("cannot listen on " + config.bind + ":" + std::to_string(config.port) + ": " +
                      error.what());
  }
  api::LogJson(*logger, spdlog::level::info, "listening",
               {{"bind", config.bind}, {"port", server.port()}, {"threads", config.threads}});
  StatusScheduler scheduler(application.journal(), config.database_url,
                            std::chrono::seconds(config.scheduler_interval_s), logger);
  scheduler.Start();
  outbound::CurlWebhookSender sender(EgressPolicyOf(config),
                                     std::chrono::milliseconds(config.webhook_timeout_ms));
  domain::WebhookDispatcher dispatcher(
      application.webhook_queue(), sender, infra.webhook_signer, infra.ids, infra.clock,
      domain::RetryPolicy{std::chrono::milliseconds(config.webhook_retry_first_ms),
                          std::chrono::milliseconds(config.webhook_retry_max_ms),
                          std::chrono::milliseconds(config.webhook_give_up_ms)});
  // The API is busy when it holds a request for every thread: it could use every core. Below
  // that a core is spare, and delivery may have it.
  const int threads = config.threads;
  const auto api_busy = [&server, threads] { return server.InFlight() >= threads; };
  WebhookWorker webhooks(
      dispatcher, config.database_url, std::chrono::milliseconds(config.webhook_interval_ms),
      DeliveryPacing{api_busy, static_cast<double>(config.webhook_busy_pause)}, logger);
  webhooks.Start();
  // E-mail only when a mail server is named: its queue, its sender and its worker.
  std::optional<persistence::PgMailQueue> mail_queue;
  std::optional<outbound::CurlMailSender> mail_sender;
  std::optional<domain::MailDispatcher> mail_dispatcher;
  std::optional<MailWorker> mail;
  if (!config.smtp_url.empty()) {
    mail_queue.emplace(pool);
    mail_sender.emplace(config.smtp_url, config.mail_from,
                        std::chrono::milliseconds(config.mail_timeout_ms));
    mail_dispatcher.emplace(
        *mail_queue, *mail_sender, infra.ids, infra.clock,
        domain::RetryPolicy{std::chrono::milliseconds(config.mail_retry_first_ms),
                            std::chrono::milliseconds(config.mail_retry_max_ms),
                            std::chrono::milliseconds(config.mail_give_up_ms)},
        domain::MailSettings{config.mail_from, config.public_url, config.mail_digest_hour},
        &application.inbox());
    mail.emplace(*mail_dispatcher, config.database_url,
                 std::chrono::milliseconds(config.mail_interval_ms), logger);
    mail->Start();
  }

  int received = 0;
  sigwait(&signals, &received);
  // Stopping, said from here on (the log line below, /readyz): every answer closes its
  // connection before anyone can read that it is stopping.
  stopping = true;
  server.BeginDrain();
  api::LogJson(
      *logger, spdlog::level::info, "stopping",
      {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}, {"in_flight", server.InFlight()}});
  if (!server.Drain(std::chrono::seconds(config.shutdown_timeout_s))) {
    api::LogJson(*logger, spdlog::level::warn, "shutdown timeout passed; cutting requests off",
                 {{"in_flight", server.InFlight()}});
  }
  server.Shutdown();
  sender.Cancel();
  webhooks.Stop();
  if (mail_sender) mail_sender->Cancel();
  if (mail) mail->Stop();
  scheduler.Stop();
  api::LogJson(*logger, spdlog::level::info, "stopped");
  return 0;
}

int Serve(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kServeUsage;
    return 0;
  }
  ServeConfig config;
  try {
    config = ParseServeConfig(args, ProcessEnvironment(),
                              static_cast<int>(std::thread::hardware_concurrency()));
  } catch (const ConfigError& error) {
    return UsageError(error.what());
  }
  auto logger = api::MakeJsonLogger(config.log_level);
  Infrastructure infra;
  const auto migrations = persistence::EmbeddedMigrations(infra.hasher);
  std::unique_ptr<persistence::ConnectionPool> pool;
  std::unique_ptr<security::SigningKeyFile> signers;
  try {
    pool = OpenDatabase(config, migrations, *logger);
    signers = LoadSigningKey(config.signing_key, logger);
  } catch (const ConfigError& error) {
    return UsageError(error.what());
  } catch (const domain::Error& error) {
    return StartupError(error);
  }
  Application application(*pool, infra, *signers, migrations, config.max_uploads,
                          EgressPolicyOf(config));
  PublishSigningKey(application.signing_key_repository(), *signers->Current(), infra.clock,
                    *logger);
  try {
    const auto changed =
        application.services().ApplyCatalogue(domain::SystemActor("catalogue-apply"));
    if (!changed.empty()) {
      api::LogJson(*logger, spdlog::level::info, "required standards re-evaluated",
                   {{"services_changed", changed.size()}});
    }
  } catch (const domain::Error& error) {
    api::LogJson(*logger, spdlog::level::err,
                 "required standards could not be re-evaluated; status reads of services never "
                 "evaluated will fail",
                 {{"error", error.message()}});
  }
  return ServeHttp(config, application, *pool, infra, logger);
}

int Migrate(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kMigrateUsage;
    return 0;
  }
  bool status_only = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--status") {
      status_only = true;
    } else if (args[i] == "--database-url") {
      ++i;
    } else if (args[i].rfind("--database-url=", 0) != 0) {
      return UsageError("unknown option for migrate: " + args[i]);
    }
  }
  try {
    security::OpensslHasher hasher;
    persistence::Migrator migrator(DatabaseUrl(args, ProcessEnvironment()),
                                   persistence::EmbeddedMigrations(hasher));
    if (status_only) {
      const auto status = migrator.Status();
      for (const auto& name : status.applied) std::cout << "applied  " << name << "\n";
      for (const auto& name : status.pending) std::cout << "pending  " << name << "\n";
      return 0;
    }
    const auto applied = migrator.Apply();
    for (const auto& name : applied) std::cerr << "applied " << name << "\n";
    if (applied.empty()) std::cerr << "migrations are current\n";
    Infrastructure infra;
    persistence::ConnectionPool pool(
        persistence::PoolOptions{DatabaseUrl(args, ProcessEnvironment()), 1});
    const auto changed = ApplyCatalogue(pool, infra);
    if (changed > 0)
      std::cerr << "required standards re-evaluated for " << changed << " services\n";
    return 0;
  } catch (const ConfigError& error) {
    return UsageError(error.what());
  } catch (const domain::Error& error) {
    return StartupError(error);
  }
}

int TokenCreate(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kTokenUsage;
    return 0;
  }
  std::optional<std::string> role;
  std::optional<std::string> name;
  std::optional<int> expires_in;
  std::optional<domain::SupplierId> supplier;
  try {
    for (std::size_t i = 0; i < args.size(); ++i) {
      auto value = [&](const std::string& flag) {
        if (i + 1 >= args.size()) throw ConfigError(flag + " needs a value");
        return args[++i];
      };
      if (args[i] == "--role") {
        role = value("--role");
      } else if (args[i] == "--name") {
        name = value("--name");
      } else if (args[i] == "--supplier") {
        const std::string text = value("--supplier");
        if (!domain::Uuid::IsValid(text))
          throw ConfigError("--supplier must be a supplier id (UUID)");
        supplier = domain::SupplierId::Parse(text);
      } else if (args[i] == "--expires-in") {
        expires_in = static_cast<int>(
            ParseInteger("--expires-in", value("--expires-in"), 1, domain::kMaxTokenLifetimeDays));
      } else if (args[i] == "--database-url") {
        ++i;
      } else {
        throw ConfigError("unknown option for token create: " + args[i]);
      }
    }
    if (!role || !name) throw ConfigError("token create needs --role and --name");
    const auto parsed_role = domain::TryParseRole(*role);
    if (!parsed_role) {
      throw ConfigError("--role must be admin, assessor, risk_owner, procurement or supplier");
    }
    if ((*parsed_role == domain::Role::kSupplier) != supplier.has_value()) {
      throw ConfigError("--supplier ID is required for --role supplier, and only for it");
    }

    security::OpensslHasher hasher;
    security::OpensslTokenGenerator generator;
    security::SystemClock clock;
    persistence::ConnectionPool pool(
        persistence::PoolOptions{DatabaseUrl(args, ProcessEnvironment()), 1});
    persistence::PgAuditLog audit_log(hasher, clock);
    persistence::PgIdentityRepository identity(pool, &audit_log);
    domain::TokenService tokens(identity, hasher, generator, clock);
    const auto issued = tokens.CreateUserWithToken(
        domain::NewUser{*name, std::nullopt, *parsed_role, supplier, {}}, *name, expires_in);
    std::cout << issued.secret << "\n";
    std::cerr << "created user " << issued.user_id.str() << " (" << *role << "), token "
              << issued.token_id.str() << ", expires " << domain::FormatTimestamp(issued.expires_at)
              << "\n";
    return 0;
  } catch (const ConfigError& error) {
    return UsageError(error.what());
  } catch (const domain::Error& error) {
    return StartupError(error);
  }
}

int CatalogueImport(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kCatalogueUsage;
    return 0;
  }
  std::string dir = "standards";
  bool dir_given = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--database-url") {
      ++i;
    } else if (args[i].rfind("--database-url=", 0) == 0) {
      continue;
    } else if (args[i].rfind("--", 0) == 0 || dir_given) {
      return UsageError("unexpected argument for catalogue import: " + args[i]);
    } else {
      dir = args[i];
      dir_given = true;
    }
  }
  security::OpensslHasher hasher;
  std::vector<domain::Standard> standards;
  try {
    standards = LoadCatalogueDirectory(dir, hasher);
  } catch (const domain::Error& error) {
    std::cerr << "coco: the catalogue in " << dir << " was not imported; nothing was written:\n";
    for (const auto& detail : error.details()) {
      std::cerr << "  " << detail.field << ": " << detail.detail << "\n";
    }
    if (error.details().empty()) std::cerr << "  " << error.message() << "\n";
    return 1;
  }
  try {
    persistence::ConnectionPool pool(
        persistence::PoolOptions{DatabaseUrl(args, ProcessEnvironment()), 1});
    persistence::PgCatalogueRepository repository(pool);
    const domain::ImportReport report = repository.Import(standards);
    for (const auto& label : report.added) std::cerr << "imported " << label << "\n";
    for (const auto& label : report.unchanged) std::cerr << "unchanged " << label << "\n";
    // A new version may require other standards of some profiles: every service is re-evaluated.
    Infrastructure infra;
    const auto changed = ApplyCatalogue(pool, infra);
    if (changed > 0)
      std::cerr << "required standards re-evaluated for " << changed << " services\n";
    return 0;
  } catch (const ConfigError& error) {
    return UsageError(error.what());
  } catch (const domain::Error& error) {
    std::cerr << "coco: " << error.message() << "; nothing was written\n";
    return error.kind() == domain::ErrorKind::kUnavailable ? 2 : 1;
  }
}

// One line per key: id, state, creation, and the moment it leaves the key set.
int KeysList(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kKeysUsage;
    return 0;
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--database-url") {
      ++i;
    } else if (args[i].rfind("--database-url=", 0) != 0) {
      return UsageError("unknown option for keys list: " + args[i]);
    }
  }
  try {
    persistence::ConnectionPool pool(
        persistence::PoolOptions{DatabaseUrl(args, ProcessEnvironment()), 1});
    persistence::PgSigningKeyRepository repository(pool);
    security::SystemClock clock;
    const auto now = clock.Now();
    std::cout << std::left << std::setw(18) << "KID" << std::setw(9) << "STATE" << std::setw(29)
              << "CREATED"
              << "PUBLISHED UNTIL\n";
    for (const auto& key : repository.All()) {
      std::cout << std::setw(18) << key.kid << std::setw(9)
                << domain::ToString(domain::StateAt(key, now)) << std::setw(29)
                << domain::FormatTimestamp(key.created_at)
                << (key.retires_at ? domain::FormatTimestamp(*key.retires_at) : "-") << "\n";
    }
    return 0;
  } catch (const ConfigError& error) {
    return UsageError(error.what());
  } catch (const domain::Error& error) {
    return StartupError(error);
  }
}

// Order matters: the new public key is recorded before the file is replaced, so no node can sign
// with a key that the shared key set does not list yet.
int KeysRotate(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kKeysUsage;
    return 0;
  }
  std::chrono::seconds retire_after = domain::kDefaultRetireAfter;
  std::string configured_path;
  std::string path;
  std::unique_ptr<security::Ed25519Signer> old_key;
  std::optional<persistence::ConnectionPool> pool;
  try {
    for (std::size_t i = 0; i < args.size(); ++i) {
      auto value = [&](const std::string& flag) {
        if (i + 1 >= args.size()) throw ConfigError(flag + " needs a value");
        return args[++i];
      };
      if (args[i] == "--retire-after") {
        retire_after = domain::ParseRetireAfter(value("--retire-after"));
      } else if (args[i] == "--signing-key") {
        configured_path = value("--signing-key");
      } else if (args[i] == "--database-url") {
        ++i;
      } else if (args[i].rfind("--database-url=", 0) != 0) {
        throw ConfigError("unknown option for keys rotate: " + args[i]);
      }
    }
    if (configured_path.empty()) {
      const auto env = ProcessEnvironment();
      if (const auto found = env.find("COCO_SIGNING_KEY"); found != env.end()) {
        configured_path = found->second;
      }
    }
    path = SigningKeyPath(configured_path);
    try {
      old_key = security::Ed25519Signer::Load(path);
    } catch (const domain::Error& error) {
      throw ConfigError("signing key " + path + ": " + error.message() + "; nothing was changed");
    }
    pool.emplace(persistence::PoolOptions{DatabaseUrl(args, ProcessEnvironment()), 1});
  } catch (const ConfigError& error) {
    return UsageError(error.what());
  } catch (const domain::Error& error) {
    if (error.kind() == domain::ErrorKind::kInvalidArgument) return UsageError(error.message());
    return StartupError(error);
  }

  // The new key is written beside the old one, so the final rename stays within one file system.
  const std::string next_path = path + ".new";
  std::error_code ignored;
  std::filesystem::remove(next_path, ignored);  // left over from an interrupted rotation
  std::unique_ptr<security::Ed25519Signer> next_key;
  try {
    next_key = security::Ed25519Signer::Create(next_path);
  } catch (const domain::Error& error) {
    return UsageError("signing key " + next_path + ": " + error.message() +
                      "; nothing was changed");
  }
  // As root, the new file keeps the old file's owner, so a server running as that user reads it.
  struct stat old_info {};
  if (::geteuid() == 0 && ::stat(path.c_str(), &old_info) == 0 &&
      ::chown(next_path.c_str(), old_info.st_uid, old_info.st_gid) != 0) {
    std::filesystem::remove(next_path, ignored);
    return UsageError("cannot give " + next_path + " the owner of " + path +
                      "; nothing was changed");
  }

  security::SystemClock clock;
  const auto now = clock.NowMicros();
  const auto retires_at = now + retire_after;
  try {
    persistence::PgSigningKeyRepository repository(*pool);
    repository.Rotate(domain::PublicKeyOf(*old_key, now), domain::PublicKeyOf(*next_key, now),
                      retires_at);
  } catch (const domain::Error& error) {
    std::filesystem::remove(next_path, ignored);
    std::cerr << "coco: " << error.message() << "; nothing was changed\n";
    return error.kind() == domain::ErrorKind::kInternal ? 1 : 2;
  }
  if (std::rename(next_path.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::filesystem::remove(next_path, ignored);
    std::cerr << "coco: the new key " << next_key->KeyId() << " is recorded but " << path
              << " could not be replaced (" << reason << "); the old key " << old_key->KeyId()
              << " still signs. Run keys rotate again.\n";
    return 1;
  }
  std::cout << next_key->KeyId() << "\n";
  std::cerr << "new signing key " << next_key->KeyId() << " in " << path << "; " << old_key->KeyId()
            << " stays published until " << domain::FormatTimestamp(retires_at)
            << ". Servers using this file switch at their next attestation.\n";
  return 0;
}

}  // namespace

int RunCli(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "coco " COCO_VERSION "\n";
    return 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (args[0] == "serve") return Serve(rest);
    if (args[0] == "migrate") return Migrate(rest);
    if (args[0] == "backup") return Backup(rest);
    if (args[0] == "restore") return Restore(rest);
    if (args[0] == "catalogue") {
      if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::cout << kCatalogueUsage;
        return 0;
      }
      if (rest.empty() || rest[0] != "import")
        return UsageError("usage: coco catalogue import [DIR]");
      return CatalogueImport(std::vector<std::string>(rest.begin() + 1, rest.end()));
    }
    if (args[0] == "keys") {
      if (rest.empty() || rest[0] == "--help" || rest[0] == "-h") {
        std::cout << kKeysUsage;
        return rest.empty() ? 2 : 0;
      }
      const std::vector<std::string> options(rest.begin() + 1, rest.end());
      if (rest[0] == "rotate") return KeysRotate(options);
      if (rest[0] == "list") return KeysList(options);
      return UsageError("usage: coco keys rotate|list ... (see coco keys --help)");
    }
    if (args[0] == "token") {
      if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::cout << kTokenUsage;
        return 0;
      }
      if (rest.empty() || rest[0] != "create") return UsageError("usage: coco token create ...");
      return TokenCreate(std::vector<std::string>(rest.begin() + 1, rest.end()));
    }
  } catch (const domain::Error& error) {
    return StartupError(error);
  } catch (const std::exception& error) {
    std::cerr << "coco: unexpected failure: " << error.what() << "\n";
    return 1;
  }
  return UsageError("unknown command \"" + args[0] + "\" (see coco --help)");
}

}  // namespace coco::app
