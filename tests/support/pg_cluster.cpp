#include "tests/support/pg_cluster.hpp"

#include <pwd.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

#include "tests/support/coco_server.hpp"

namespace coco::test {
namespace {

const std::string kPgBin = "/usr/lib/postgresql/15/bin/";

}  // namespace

PgCluster::PgCluster() : port_(FreePort()) {
  char pattern[] = "/tmp/coco-fault-pg.XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  folder_ = pattern;
  // The postgres user must reach the folder when we are root.
  std::filesystem::permissions(folder_, std::filesystem::perms(0755));
  const std::string data = folder_ + "/data";
  std::filesystem::create_directories(data);
  std::filesystem::create_directories(folder_ + "/run");
  if (::geteuid() == 0) {
    const passwd* postgres = ::getpwnam("postgres");
    if (postgres == nullptr) throw std::runtime_error("no postgres user to run PostgreSQL as");
    for (const std::string& path : {data, folder_ + "/run"}) {
      if (::chown(path.c_str(), postgres->pw_uid, postgres->pw_gid) != 0) {
        throw std::runtime_error("chown " + path + " failed");
      }
    }
  }
  std::filesystem::permissions(data, std::filesystem::perms(0700));
  Run({kPgBin + "initdb", "-D", data, "-U", "coco", "--auth=trust", "--encoding=UTF8",
       "--locale=C.UTF-8"});
  Start();
}

PgCluster::~PgCluster() {
  try {
    if (running_) Stop(true);
  } catch (const std::exception&) {
    // A cluster that will not stop is removed with its folder below; postgres then exits.
  }
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

void PgCluster::Run(const std::vector<std::string>& command) const {
  std::vector<std::string> argv;
  if (::geteuid() == 0) argv = {"/usr/sbin/runuser", "-u", "postgres", "--"};
  argv.insert(argv.end(), command.begin(), command.end());
  const auto result = RunProgram(argv, {});
  if (result.exit_code != 0) {
    throw std::runtime_error(command.front() + " failed (" + std::to_string(result.exit_code) +
                             "): " + result.out + result.err);
  }
}

void PgCluster::Start() {
  Run({kPgBin + "pg_ctl", "-D", folder_ + "/data", "-l", folder_ + "/run/server.log", "-w", "-t",
       "60", "-o",
       "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " + folder_ +
           "/run -c max_connections=100 -c fsync=on -c synchronous_commit=on",
       "start"});
  running_ = true;
}

void PgCluster::Stop(bool crash) {
  Run({kPgBin + "pg_ctl", "-D", folder_ + "/data", "-m", crash ? "immediate" : "fast", "-w",
       "stop"});
  running_ = false;
}

std::string PgCluster::AdminUrl() const {
  return "postgresql://coco@127.0.0.1:" + std::to_string(port_) + "/postgres";
}

}  // namespace coco::test
