#pragma once

#include <string>
#include <vector>

namespace coco::test {

// A PostgreSQL 15 cluster of the test's own, under /tmp, that the test may stop, crash and
// restart (the fault suite); ./scripts/test's shared cluster must never be touched that way.
// initdb and postgres run as the `postgres` user when the tests run as root. Durable settings
// (fsync and synchronous commit on), since the crash tests check that acknowledged writes
// survive. Stopped and removed by the destructor.
class PgCluster {
 public:
  PgCluster();
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  void Start();
  // Fast shutdown (clients disconnected, a checkpoint), or with `crash` an immediate one: the
  // processes are killed and the next start runs crash recovery.
  void Stop(bool crash = false);

  int port() const { return port_; }
  // The superuser URL of its `postgres` database.
  std::string AdminUrl() const;

 private:
  void Run(const std::vector<std::string>& command) const;

  std::string folder_;
  int port_ = 0;
  bool running_ = false;
};

}  // namespace coco::test
