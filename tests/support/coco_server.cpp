#include "tests/support/coco_server.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "tests/support/contract.hpp"

extern char** environ;

namespace coco::test {
namespace {

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (auto& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

std::vector<std::string> Environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const std::string name = text.substr(0, text.find('='));
    if (extra.contains(name)) continue;
    env.push_back(text);
  }
  for (const auto& [name, value] : extra) env.push_back(name + "=" + value);
  return env;
}

std::string ReadAll(int fd) {
  std::string out;
  char chunk[4096];
  ssize_t got;
  while ((got = ::read(fd, chunk, sizeof chunk)) > 0)
    out.append(chunk, static_cast<std::size_t>(got));
  return out;
}

}  // namespace

std::string CocoBinary() {
  const char* binary = std::getenv("COCO_BINARY");
  if (binary == nullptr || *binary == '\0') throw std::runtime_error("COCO_BINARY is not set");
  return binary;
}

CocoServer::RunResult RunProgram(const std::vector<std::string>& argv,
                                 const std::map<std::string, std::string>& env) {
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe(out_pipe) != 0 || ::pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = argv;
  std::vector<std::string> environment = Environment(env);
  auto arg_pointers = Pointers(args);
  auto env_pointers = Pointers(environment);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    ::dup2(err_pipe[1], 2);
    // Only 1 and 2 may hold the pipes: a daemon the program starts (pg_ctl's postgres) would
    // otherwise keep them open and the read below would never end.
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      if (fd > 2) ::close(fd);
    }
    ::execve(args[0].c_str(), arg_pointers.data(), env_pointers.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  // Small outputs only (CLI commands): read stderr after stdout closes.
  CocoServer::RunResult result{0, ReadAll(out_pipe[0]), ReadAll(err_pipe[0])};
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

CocoServer::CocoServer(std::map<std::string, std::string> env, std::vector<std::string> extra)
    : owned_database_(std::make_unique<TestDatabase>()), database_(owned_database_.get()) {
  Launch(std::move(env), extra);
}

CocoServer::CocoServer(const TestDatabase& database, std::map<std::string, std::string> env,
                       std::vector<std::string> extra)
    : database_(&database) {
  Launch(std::move(env), extra);
}

void CocoServer::Launch(std::map<std::string, std::string> env,
                        const std::vector<std::string>& extra) {
  port_ = env.contains("COCO_PORT") ? std::stoi(env["COCO_PORT"]) : FreePort();
  env["COCO_DATABASE_URL"] = database_->url();
  env["COCO_PORT"] = std::to_string(port_);
  env["COCO_BIND"] = "127.0.0.1";
  if (!env.contains("COCO_THREADS")) env["COCO_THREADS"] = "2";
  // Suites send many bad tokens from 127.0.0.1 on purpose; only the throttle's own tests
  // (throttle_httptest.cpp) run with a real limit.
  if (!env.contains("COCO_AUTH_FAILURE_LIMIT")) env["COCO_AUTH_FAILURE_LIMIT"] = "1000000";
  owns_signing_key_ = !env.contains("COCO_SIGNING_KEY");
  if (owns_signing_key_) {
    env["COCO_SIGNING_KEY"] =
        (std::filesystem::temp_directory_path() /
         ("coco-test-key-" + std::to_string(::getpid()) + "-" + std::to_string(port_) + ".pem"))
            .string();
  }
  signing_key_path_ = env["COCO_SIGNING_KEY"];

  int log_pipe[2];
  if (::pipe(log_pipe) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = {CocoBinary(), "serve"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<std::string> environment = Environment(env);
  auto arg_pointers = Pointers(args);
  auto env_pointers = Pointers(environment);
  pid_ = ::fork();
  if (pid_ == 0) {
    // The server dies with the test process, and never holds the test runner's stdout: an
    // orphan would keep CTest waiting for end of output until its timeout.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(log_pipe[1], 2);
    ::close(log_pipe[0]);
    ::execve(args[0].c_str(), arg_pointers.data(), env_pointers.data());
    ::_exit(127);
  }
  ::close(log_pipe[1]);
  log_fd_ = log_pipe[0];
  log_reader_ = std::thread([this] { DrainLogs(); });
  // Wait for the server to say it listens; reading its log is the signal, no sleeping.
  if (!WaitForLog("\"msg\":\"listening\"", 60000)) {
    std::string seen;
    for (const auto& line : LogLines()) seen += line + "\n";
    Stop();
    throw std::runtime_error("coco serve never logged that it listens; its log:\n" + seen);
  }
}

CocoServer::~CocoServer() {
  if (pid_ > 0) {
    const int code = Stop();
    if (log_reader_.joinable()) log_reader_.join();
    std::error_code ignored;
    if (owns_signing_key_) std::filesystem::remove(signing_key_path_, ignored);
    std::string tail;
    const auto lines = LogLines();
    for (std::size_t i = lines.size() > 60 ? lines.size() - 60 : 0; i < lines.size(); ++i) {
      tail += lines[i] + "\n";
    }
    EXPECT_EQ(code, 0) << "coco serve did not exit cleanly on SIGTERM; the end of its log:\n"
                       << tail;
  }
  if (log_reader_.joinable()) log_reader_.join();
  if (log_fd_ >= 0) ::close(log_fd_);
}

void CocoServer::DrainLogs() {
  std::string buffer;
  char chunk[8192];
  ssize_t got;
  while ((got = ::read(log_fd_, chunk, sizeof chunk)) > 0) {
    buffer.append(chunk, static_cast<std::size_t>(got));
    std::lock_guard lock(log_mutex_);
    std::size_t end;
    while ((end = buffer.find('\n')) != std::string::npos) {
      log_lines_.push_back(buffer.substr(0, end));
      buffer.erase(0, end + 1);
    }
    log_changed_.notify_all();
  }
  std::lock_guard lock(log_mutex_);
  if (!buffer.empty()) log_lines_.push_back(buffer);
  log_closed_ = true;
  log_changed_.notify_all();
}

bool CocoServer::WaitForLog(const std::string& needle, int timeout_ms) const {
  std::unique_lock lock(log_mutex_);
  std::size_t checked = 0;
  return log_changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    for (; checked < log_lines_.size(); ++checked) {
      if (log_lines_[checked].find(needle) != std::string::npos) return true;
    }
    return log_closed_;
  }) && checked < log_lines_.size();
}

std::vector<std::string> CocoServer::LogLines() const {
  std::lock_guard lock(log_mutex_);
  return log_lines_;
}

int CocoServer::Stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void CocoServer::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

std::optional<int> CocoServer::WaitForExit(int timeout_ms) {
  if (pid_ <= 0) return 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    // Polling a child's exit: there is no descriptor to wait on without a SIGCHLD handler.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::unique_ptr<HttpClient> CocoServer::Client() const {
  return std::make_unique<HttpClient>(port_, &ContractValidator::Load());
}

CocoServer::RunResult CocoServer::RunCli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {CocoBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProgram(argv, {{"COCO_DATABASE_URL", database_->url()}});
}

std::string CocoServer::CreateAdminToken(const std::string& name) const {
  const auto result = RunCli({"token", "create", "--role", "admin", "--name", name});
  if (result.exit_code != 0) throw std::runtime_error("token create failed: " + result.err);
  std::string token = result.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  return token;
}

}  // namespace coco::test
