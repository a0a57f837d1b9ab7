#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

namespace coco::test {

// A real `coco serve` process (the binary named by COCO_BINARY) on a free loopback port, against
// its own fresh database. Started once per test suite: Pistache leaks descriptors per start, and
// a process per suite keeps the leak out of the picture.
class CocoServer {
 public:
  // `env` adds or overrides COCO_* variables for the process.
  // `args` are added after "serve".
  explicit CocoServer(std::map<std::string, std::string> env = {},
                      std::vector<std::string> args = {});
  // A server on a database the caller owns (several nodes on one database, a server restarted
  // on the same one). COCO_PORT in `env` picks the port; else a free one.
  CocoServer(const TestDatabase& database, std::map<std::string, std::string> env,
             std::vector<std::string> args = {});
  ~CocoServer();
  CocoServer(const CocoServer&) = delete;
  CocoServer& operator=(const CocoServer&) = delete;

  int port() const { return port_; }
  const TestDatabase& database() const { return *database_; }
  // The Ed25519 key file the server signs attestations with (a private temporary file).
  const std::string& signing_key_path() const { return signing_key_path_; }

  // A client on a new connection; responses are checked against the OpenAPI contract.
  std::unique_ptr<HttpClient> Client() const;

  // Creates an admin through the CLI (`coco token create`) and returns its bearer secret.
  std::string CreateAdminToken(const std::string& name = "test admin") const;

  // Runs `coco ARGS...` against this server's database; returns exit code, stdout, stderr.
  struct RunResult {
    int exit_code;
    std::string out;
    std::string err;
  };
  RunResult RunCli(const std::vector<std::string>& args) const;

  // Sends SIGTERM and waits; returns the exit code. Also done by the destructor.
  int Stop();
  // Sends `signal` and returns at once (SIGKILL: the server is then gone; no exit check).
  void Signal(int signal);
  // Waits up to `timeout_ms` for the process to end; its exit code (128 + signal if killed).
  std::optional<int> WaitForExit(int timeout_ms);

  // Every log line the server wrote so far (stderr).
  std::vector<std::string> LogLines() const;

  // Waits (bounded) until a log line containing `needle` appears; false if none did.
  bool WaitForLog(const std::string& needle, int timeout_ms) const;

 private:
  void DrainLogs();

  void Launch(std::map<std::string, std::string> env, const std::vector<std::string>& extra);

  std::unique_ptr<TestDatabase> owned_database_;
  const TestDatabase* database_ = nullptr;
  int port_ = 0;
  std::string signing_key_path_;
  bool owns_signing_key_ = true;
  int pid_ = -1;
  int log_fd_ = -1;
  // A reader thread keeps the log pipe drained so the server never blocks on a full pipe.
  std::thread log_reader_;
  mutable std::mutex log_mutex_;
  mutable std::condition_variable log_changed_;
  std::vector<std::string> log_lines_;
  bool log_closed_ = false;
};

// The path of the coco binary under test (COCO_BINARY).
std::string CocoBinary();

// Runs a program with extra environment; collects its output. No shell involved.
CocoServer::RunResult RunProgram(const std::vector<std::string>& argv,
                                 const std::map<std::string, std::string>& env);

}  // namespace coco::test
