#include "app/backup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/config.hpp"
#include "domain/audit/audit_repository.hpp"
#include "domain/common/date.hpp"
#include "domain/common/error.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit_repository.hpp"
#include "persistence/pg_backup.hpp"
#include "security/ed25519_signer.hpp"
#include "security/openssl_hasher.hpp"
#include "security/system_clock.hpp"

extern char** environ;

namespace coco::app {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBackupUsage =
    "usage: coco backup DIR [--database-url URL] [--signing-key PATH]\n"
    "\n"
    "Writes a consistent backup into DIR, which must be new or empty:\n"
    "  database.dump     pg_dump custom format of the whole database (evidence included)\n"
    "  signing-key.pem   a copy of the attestation signing key file (mode 0600: keep it secret)\n"
    "  manifest.json     written last: the audit chain head and latest migration that the dump\n"
    "                    holds, and the size and SHA-256 of each file\n"
    "The head is read in the transaction whose exported snapshot pg_dump dumps, so the manifest\n"
    "describes exactly the dump; writes go on meanwhile. A DIR without manifest.json is not a\n"
    "backup (one interrupted before its end). pg_dump is run from COCO_PG_BIN (default\n"
    "/usr/lib/postgresql/15/bin). Exit code 1 when refused or failed (what was written is\n"
    "removed), 2 for bad usage or an unreachable database.\n";

constexpr const char* kRestoreUsage =
    "usage: coco restore DIR [--database-url URL] [--signing-key PATH] [--replace-key]\n"
    "\n"
    "Restores a backup made by `coco backup` into an empty database:\n"
    "  1. checks manifest.json and the size and SHA-256 of every file it lists; any mismatch\n"
    "     refuses before the database is touched;\n"
    "  2. refuses a target database that is not empty (a table in schema public, or a\n"
    "     schema_migrations table): create a new one;\n"
    "  3. pg_restore --single-transaction --exit-on-error --no-owner --no-acl (all or nothing);\n"
    "  4. checks that the restored audit chain head is the manifest's, and verifies the whole\n"
    "     chain as GET /audit/verify?full=true does;\n"
    "  5. puts the signing key at PATH (else COCO_SIGNING_KEY, else the serve default): written\n"
    "     if absent, kept if identical; a different key there is refused before anything is\n"
    "     touched unless --replace-key.\n"
    "Run it as the user that runs `coco serve`. Exit code 1 when refused or failed, 2 for bad\n"
    "usage or an unreachable database.\n";

constexpr const char* kFormat = "coco-backup";
constexpr int kFormatVersion = 1;
constexpr const char* kDumpName = "database.dump";
constexpr const char* kKeyName = "signing-key.pem";
constexpr const char* kManifestName = "manifest.json";

// A refusal or failure: one message on stderr, exit code 1.
class Refused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Options {
  std::string dir;
  std::string signing_key;
  bool replace_key = false;
};

Options ParseOptions(const std::string& command, const std::vector<std::string>& args,
                     bool allow_replace_key) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--database-url" || arg == "--signing-key") {
      if (i + 1 >= args.size()) throw ConfigError(arg + " needs a value");
      if (arg == "--signing-key") options.signing_key = args[i + 1];
      ++i;
    } else if (arg.rfind("--database-url=", 0) == 0) {
      continue;
    } else if (arg.rfind("--signing-key=", 0) == 0) {
      options.signing_key = arg.substr(std::strlen("--signing-key="));
    } else if (allow_replace_key && arg == "--replace-key") {
      options.replace_key = true;
    } else if (arg.rfind("--", 0) == 0 || !options.dir.empty()) {
      throw ConfigError("unexpected argument for " + command + ": " + arg);
    } else {
      options.dir = arg;
    }
  }
  if (options.dir.empty())
    throw ConfigError(command + " needs a directory: coco " + command + " DIR");
  if (options.signing_key.empty()) {
    const auto env = ProcessEnvironment();
    if (const auto found = env.find("COCO_SIGNING_KEY"); found != env.end()) {
      options.signing_key = found->second;
    }
  }
  options.signing_key = SigningKeyPath(options.signing_key);
  return options;
}

std::string PgBinary(const std::string& tool) {
  const auto env = ProcessEnvironment();
  const auto found = env.find("COCO_PG_BIN");
  const std::string folder =
      found == env.end() || found->second.empty() ? "/usr/lib/postgresql/15/bin" : found->second;
  const std::string path = folder + "/" + tool;
  if (::access(path.c_str(), X_OK) != 0) {
    throw ConfigError(path +
                      " is not an executable (set COCO_PG_BIN to the folder of the "
                      "PostgreSQL 15 client programs)");
  }
  return path;
}

// Runs `program` with `args` and `--dbname=<url>` (no shell); its stderr is the user's. The URL's
// password travels in PGPASSWORD. Returns the exit code (128 + signal when killed).
int RunPgTool(const std::string& program, const std::vector<std::string>& args,
              const std::string& database_url) {
  const SplitUrl split = SplitPassword(database_url);
  std::vector<std::string> argv_strings{program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  argv_strings.push_back("--dbname=" + split.url);
  std::vector<std::string> env_strings;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (split.password && std::strncmp(*entry, "PGPASSWORD=", 11) == 0) continue;
    env_strings.emplace_back(*entry);
  }
  if (split.password) env_strings.push_back("PGPASSWORD=" + *split.password);
  std::vector<char*> argv;
  for (auto& text : argv_strings) argv.push_back(text.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& text : env_strings) envp.push_back(text.data());
  envp.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) throw Refused(std::string("cannot start ") + program + ": " + std::strerror(errno));
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, STDIN_FILENO);
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw Refused(std::string("lost ") + program + ": " + std::strerror(errno));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string Sha256OfFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Refused("cannot read " + path.string());
  security::Sha256Stream stream;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    stream.Update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) throw Refused("cannot read " + path.string());
  return security::ToHex(stream.FinishRaw());
}

std::string ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Refused("cannot read " + path.string());
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void Fsync(const fs::path& path, int flags = O_RDONLY) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw Refused("cannot open " + path.string() + ": " + std::strerror(errno));
  const int result = ::fsync(fd);
  ::close(fd);
  if (result != 0) throw Refused("cannot sync " + path.string() + ": " + std::strerror(errno));
}

// Writes `bytes` to a new file `path` (mode `mode`, refused if it exists) and syncs it.
void WriteNewFile(const fs::path& path, const std::string& bytes, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) throw Refused("cannot create " + path.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string reason = std::strerror(errno);
      ::close(fd);
      throw Refused("cannot write " + path.string() + ": " + reason);
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw Refused("cannot sync " + path.string() + ": " + std::strerror(errno));
}

// The files a backup in progress wrote, removed unless Keep() is called: a failed backup leaves
// DIR as it found it.
class Written {
 public:
  explicit Written(fs::path dir, bool created_dir)
      : dir_(std::move(dir)), created_dir_(created_dir) {}
  ~Written() {
    if (kept_) return;
    std::error_code ignored;
    for (const auto& file : files_) fs::remove(file, ignored);
    if (created_dir_) fs::remove(dir_, ignored);
  }
  void Add(const fs::path& file) { files_.push_back(file); }
  void Keep() { kept_ = true; }

 private:
  fs::path dir_;
  bool created_dir_;
  std::vector<fs::path> files_;
  bool kept_ = false;
};

nlohmann::json FileEntry(const fs::path& path) {
  return {{"name", path.filename().string()},
          {"size", static_cast<std::uint64_t>(fs::file_size(path))},
          {"sha256", Sha256OfFile(path)}};
}

int RunBackup(const std::vector<std::string>& args) {
  const Options options = ParseOptions("backup", args, false);
  const std::string database_url = DatabaseUrl(args, ProcessEnvironment());
  const std::string pg_dump = PgBinary("pg_dump");
  std::unique_ptr<security::Ed25519Signer> key;
  try {
    key = security::Ed25519Signer::Load(options.signing_key);
  } catch (const domain::Error& error) {
    throw ConfigError("signing key " + options.signing_key + ": " + error.message() +
                      "; nothing was written");
  }

  const fs::path dir(options.dir);
  std::error_code error_code;
  const bool exists = fs::exists(dir, error_code);
  if (exists && (!fs::is_directory(dir) || !fs::is_empty(dir))) {
    throw Refused(options.dir +
                  " is not an empty directory; a backup goes into a new or empty "
                  "one, so that nothing else is mistaken for part of it. Nothing "
                  "was written");
  }
  if (!exists) {
    if (!fs::create_directories(dir, error_code)) {
      throw Refused("cannot create " + options.dir + ": " + error_code.message());
    }
    fs::permissions(dir, fs::perms::owner_all, error_code);
  }
  Written written(dir, !exists);

  persistence::ExportedSnapshot snapshot(database_url);
  const auto& facts = snapshot.facts();
  const fs::path dump = dir / kDumpName;
  written.Add(dump);
  const int dumped = RunPgTool(pg_dump,
                               {"--format=custom", "--snapshot=" + facts.snapshot_id,
                                "--file=" + dump.string(), "--no-password"},
                               database_url);
  if (dumped != 0) {
    throw Refused("pg_dump failed with exit code " + std::to_string(dumped) +
                  " (its message is above); nothing was kept");
  }
  snapshot.Finish();
  ::chmod(dump.c_str(), 0600);
  Fsync(dump);

  const fs::path key_copy = dir / kKeyName;
  written.Add(key_copy);
  WriteNewFile(key_copy, ReadWhole(options.signing_key), 0600);

  security::SystemClock clock;
  const nlohmann::json manifest = {
      {"format", kFormat},
      {"format_version", kFormatVersion},
      {"coco_version", COCO_VERSION},
      {"created_at", domain::FormatTimestamp(clock.NowMicros())},
      {"database", facts.database_name},
      {"postgresql_version", facts.server_version},
      {"audit_head", {{"seq", facts.head.seq}, {"hash", facts.head.hash}}},
      {"latest_migration", facts.latest_migration},
      {"signing_key_kid", key->KeyId()},
      {"files", nlohmann::json::array({FileEntry(dump), FileEntry(key_copy)})}};
  const fs::path temporary = dir / (std::string(kManifestName) + ".tmp");
  written.Add(temporary);
  WriteNewFile(temporary, manifest.dump(2) + "\n", 0600);
  if (std::rename(temporary.c_str(), (dir / kManifestName).c_str()) != 0) {
    throw Refused("cannot rename " + temporary.string() + ": " + std::strerror(errno));
  }
  written.Keep();
  Fsync(dir, O_RDONLY | O_DIRECTORY);

  std::cerr << "backup of database " << facts.database_name << " in " << options.dir
            << ": audit head seq " << facts.head.seq << " hash " << facts.head.hash
            << ", latest migration " << facts.latest_migration << ", dump "
            << manifest["files"][0]["size"].get<std::uint64_t>() << " bytes, signing key "
            << key->KeyId()
            << ". The directory holds the private signing key: store it "
               "encrypted, apart from the database.\n";
  return 0;
}

struct VerifiedBackup {
  nlohmann::json manifest;
  domain::AuditCheckpoint head;
  std::string key_bytes;
  std::string kid;
};

// Every check that needs no database: the manifest, then each file's size and SHA-256.
VerifiedBackup VerifyBackup(const fs::path& dir) {
  const fs::path manifest_path = dir / kManifestName;
  if (!fs::exists(manifest_path)) {
    throw Refused(dir.string() + " is not a complete backup: it has no " + kManifestName +
                  " (written last, so a backup interrupted before its end has none)");
  }
  VerifiedBackup backup;
  try {
    backup.manifest = nlohmann::json::parse(ReadWhole(manifest_path));
    if (backup.manifest.at("format") != kFormat) throw Refused("not a coco backup manifest");
    if (backup.manifest.at("format_version") != kFormatVersion) {
      throw Refused("backup format version " + backup.manifest.at("format_version").dump() +
                    " is not one this coco reads (" + std::to_string(kFormatVersion) + ")");
    }
    backup.head.seq = backup.manifest.at("audit_head").at("seq").get<long long>();
    backup.head.hash = backup.manifest.at("audit_head").at("hash").get<std::string>();
    bool has_dump = false;
    bool has_key = false;
    for (const auto& file : backup.manifest.at("files")) {
      const std::string name = file.at("name");
      if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
        throw Refused("the manifest names a file outside the backup: " + name);
      }
      has_dump = has_dump || name == kDumpName;
      has_key = has_key || name == kKeyName;
      const fs::path path = dir / name;
      if (!fs::is_regular_file(path)) throw Refused(name + " is missing");
      const auto size = fs::file_size(path);
      if (size != file.at("size").get<std::uint64_t>()) {
        throw Refused(name + " has " + std::to_string(size) + " bytes, the manifest says " +
                      file.at("size").dump());
      }
      if (Sha256OfFile(path) != file.at("sha256").get<std::string>()) {
        throw Refused(name + " does not match its SHA-256 in the manifest: the backup is damaged");
      }
    }
    if (!has_dump || !has_key) {
      throw Refused(std::string("the manifest does not list ") + (has_dump ? kKeyName : kDumpName));
    }
  } catch (const nlohmann::json::exception& error) {
    throw Refused(std::string(kManifestName) + " is not a valid manifest: " + error.what());
  }
  try {
    const auto key = security::Ed25519Signer::Load(dir / kKeyName);
    backup.kid = key->KeyId();
  } catch (const domain::Error& error) {
    throw Refused(std::string(kKeyName) + " in the backup cannot be used: " + error.message());
  }
  backup.key_bytes = ReadWhole(dir / kKeyName);
  return backup;
}

enum class KeyAction { kWrite, kKeep, kReplace };

KeyAction PlanKey(const std::string& path, const std::string& key_bytes, bool replace) {
  if (!fs::exists(path)) return KeyAction::kWrite;
  if (ReadWhole(path) == key_bytes) return KeyAction::kKeep;
  if (!replace) {
    throw Refused("a different signing key is already at " + path +
                  "; pass --replace-key to replace it with the backup's, or --signing-key to put "
                  "the backup's elsewhere. Nothing was touched");
  }
  return KeyAction::kReplace;
}

// Written beside the target and renamed over it, so a reader never sees half a key.
void InstallKey(const std::string& path, const std::string& key_bytes) {
  const fs::path target(path);
  std::error_code error_code;
  if (target.has_parent_path() && !fs::exists(target.parent_path())) {
    fs::create_directories(target.parent_path(), error_code);
    fs::permissions(target.parent_path(), fs::perms::owner_all, error_code);
  }
  const std::string next = path + ".restore";
  fs::remove(next, error_code);
  WriteNewFile(next, key_bytes, 0600);
  if (std::rename(next.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    fs::remove(next, error_code);
    throw Refused("cannot write " + path + ": " + reason);
  }
}

// Who verifies the chain after a restore: the operator running it, as an admin outside any
// request (never stored; verification only reads, and records a checkpoint).
domain::Actor RestoreActor(const domain::Clock& clock) {
  return domain::Actor{
      domain::Principal{domain::UserId::Parse("00000000-0000-4000-8000-000000000000"),
                        "coco restore",
                        domain::Role::kAdmin,
                        std::nullopt,
                        {},
                        domain::TokenId::Parse("00000000-0000-4000-8000-000000000000"),
                        clock.Now() + std::chrono::hours(1)},
      "coco-restore"};
}

int RunRestore(const std::vector<std::string>& args) {
  security::SystemClock clock;
  const Options options = ParseOptions("restore", args, true);
  const std::string database_url = DatabaseUrl(args, ProcessEnvironment());
  const std::string pg_restore = PgBinary("pg_restore");
  const fs::path dir(options.dir);

  const VerifiedBackup backup = VerifyBackup(dir);
  const KeyAction key_action = PlanKey(options.signing_key, backup.key_bytes, options.replace_key);
  const auto blocking = persistence::RelationsBlockingRestore(database_url);
  if (!blocking.empty()) {
    std::string names;
    for (const auto& name : blocking) names += (names.empty() ? "" : ", ") + name;
    throw Refused("the target database is not empty (it holds " + names +
                  "); restore into a new, empty database. Nothing was touched");
  }

  const int restored = RunPgTool(pg_restore,
                                 {"--exit-on-error", "--single-transaction", "--no-owner",
                                  "--no-acl", "--no-password", (dir / kDumpName).string()},
                                 database_url);
  if (restored != 0) {
    throw Refused("pg_restore failed with exit code " + std::to_string(restored) +
                  " (its message is above); it ran as one transaction, so nothing was restored");
  }
  const auto facts = persistence::ReadRestoredFacts(database_url);
  if (facts.head.seq != backup.head.seq || facts.head.hash != backup.head.hash) {
    throw Refused("AUDIT HEAD MISMATCH: the restored database's audit head is seq " +
                  std::to_string(facts.head.seq) + " hash " + facts.head.hash +
                  ", the manifest's is seq " + std::to_string(backup.head.seq) + " hash " +
                  backup.head.hash + ". Do not serve from this database; drop it");
  }

  // The whole chain, as GET /audit/verify?full=true will check it (and a checkpoint saved).
  security::OpensslHasher hasher;
  persistence::ConnectionPool pool(persistence::PoolOptions{database_url, 1});
  persistence::PgAuditRepository audit_repository(pool);
  const domain::AuditVerification verification =
      domain::AuditLog(audit_repository, hasher).Verify(RestoreActor(clock), true);
  if (!verification.ok) {
    throw Refused("AUDIT CHAIN BROKEN in the restored database at seq " +
                  std::to_string(verification.first_broken_seq.value_or(0)) + ": " +
                  verification.problem + ". Do not serve from this database; drop it");
  }

  std::string key_outcome = "already there";
  if (key_action != KeyAction::kKeep) {
    try {
      InstallKey(options.signing_key, backup.key_bytes);
    } catch (const Refused& error) {
      throw Refused(std::string("the database is restored, but the signing key is not: ") +
                    error.what() + ". Copy " + (dir / kKeyName).string() + " there (mode 0600)");
    }
    key_outcome = key_action == KeyAction::kWrite ? "written" : "replaced";
  }
  std::cerr << "restored the backup of database "
            << backup.manifest.value("database", std::string("?")) << " made "
            << backup.manifest.value("created_at", std::string("?")) << " into "
            << RedactedUrl(database_url) << ": audit head seq " << facts.head.seq << " hash "
            << facts.head.hash << " (as in the manifest; " << verification.events_checked
            << " events verified), latest migration " << facts.latest_migration << "; signing key "
            << backup.kid << " " << key_outcome << " at " << options.signing_key
            << ". Next: start coco serve and check GET /audit/verify?full=true.\n";
  return 0;
}

template <typename Run>
int Guarded(const char* usage, const std::vector<std::string>& args, Run run) {
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      return 0;
    }
  }
  try {
    return run(args);
  } catch (const ConfigError& error) {
    std::cerr << "coco: " << error.what() << "\n";
    return 2;
  } catch (const Refused& error) {
    std::cerr << "coco: " << error.what() << "\n";
    return 1;
  } catch (const domain::Error& error) {
    std::cerr << "coco: " << error.message() << "\n";
    return error.kind() == domain::ErrorKind::kUnavailable ? 2 : 1;
  } catch (const fs::filesystem_error& error) {
    std::cerr << "coco: " << error.what() << "\n";
    return 1;
  }
}

// Where the user-info of a postgres[ql]:// URL sits: [begin, at) with the ':' at `colon`.
struct UserInfo {
  std::size_t begin = 0;
  std::size_t colon = std::string::npos;
  std::size_t at = std::string::npos;
};

std::optional<UserInfo> FindPassword(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "postgresql" && scheme != "postgres") return std::nullopt;
  UserInfo info;
  info.begin = scheme_end + 3;
  const auto authority_end = std::min(url.find_first_of("/?", info.begin), url.size());
  info.at = url.rfind('@', authority_end);
  if (info.at == std::string::npos || info.at < info.begin) return std::nullopt;
  info.colon = url.find(':', info.begin);
  if (info.colon == std::string::npos || info.colon > info.at) return std::nullopt;
  return info;
}

std::string PercentDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

SplitUrl SplitPassword(const std::string& url) {
  const auto info = FindPassword(url);
  if (!info) return {url, std::nullopt};
  return {url.substr(0, info->colon) + url.substr(info->at),
          PercentDecode(url.substr(info->colon + 1, info->at - info->colon - 1))};
}

std::string RedactedUrl(const std::string& url) {
  const auto info = FindPassword(url);
  std::string redacted = info ? url.substr(0, info->colon) + ":***" + url.substr(info->at) : url;
  // password=... as a query parameter or in a key=value connection string.
  for (auto at = redacted.find("password="); at != std::string::npos;
       at = redacted.find("password=", at + 1)) {
    const auto begin = at + std::strlen("password=");
    const auto end = std::min(redacted.find_first_of(" &", begin), redacted.size());
    redacted.replace(begin, end - begin, "***");
  }
  return redacted;
}

int Backup(const std::vector<std::string>& args) { return Guarded(kBackupUsage, args, RunBackup); }

int Restore(const std::vector<std::string>& args) {
  return Guarded(kRestoreUsage, args, RunRestore);
}

}  // namespace coco::app
