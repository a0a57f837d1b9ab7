#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace coco::persistence {

struct PoolOptions {
  std::string url;
  int size = 2;
  // How long a request waits for a free connection before it is answered 503.
  std::chrono::milliseconds acquire_timeout{2000};
  // The request class of statement timeout (DESIGN.md §6); long work raises it per transaction.
  std::chrono::milliseconds statement_timeout{5000};
};

// A fixed set of libpqxx connections shared by the worker threads. Every connection has the
// repositories' named statements prepared on it. A connection found broken is replaced on its next
// use, so a database restart heals without restarting coco.
class ConnectionPool {
 public:
  using Preparer = std::function<void(pqxx::connection&)>;

  // Connects all `options.size` connections now, so an unreachable database fails at start.
  // Throws domain::Error(kUnavailable) if it cannot.
  ConnectionPool(PoolOptions options, std::vector<Preparer> preparers);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& connection() { return *connection_; }
    // The connection failed mid-use; it is closed and replaced on next acquire.
    void MarkBroken() { broken_ = true; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool& pool, std::unique_ptr<pqxx::connection> connection);
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
    bool broken_ = false;
  };

  // Waits up to acquire_timeout; throws domain::Error(kUnavailable) when none frees up or a
  // replacement connection cannot be made.
  Lease Acquire();

  int size() const { return options_.size; }
  int in_use() const;
  std::chrono::milliseconds statement_timeout() const { return options_.statement_timeout; }

 private:
  std::unique_ptr<pqxx::connection> Connect() const;
  void Release(std::unique_ptr<pqxx::connection> connection, bool broken);

  PoolOptions options_;
  std::vector<Preparer> preparers_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int in_use_ = 0;
  int broken_slots_ = 0;  // connections dropped as broken, to be replaced
};

}  // namespace coco::persistence
