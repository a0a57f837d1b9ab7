#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
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

// A fixed set of libpqxx connections shared by the worker threads. A connection found broken is
// replaced on its next use, so a database restart heals without restarting coco.
// Named statements: each repository registers the ones it uses from its constructor (Use), and
// every connection lent out has every registered statement, whether it was made before or after
// the registration. So composing a new repository needs no list kept anywhere, and a statement a
// repository uses cannot be missing on a connection it is lent.
class ConnectionPool {
 public:
  // Registers named statements on one connection (connection.prepare: libpqxx 6 sends them to
  // the server on first use, so this costs no round trip).
  using Preparer = void (*)(pqxx::connection&);

  // Connects all `options.size` connections now, so an unreachable database fails at start.
  // Throws domain::Error(kUnavailable) if it cannot.
  explicit ConnectionPool(PoolOptions options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Makes `preparer`'s statements part of every connection lent from now on. Registering the
  // same preparer again does nothing. Thread-safe.
  void Use(Preparer preparer);

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
    Lease(ConnectionPool& pool, std::unique_ptr<pqxx::connection> connection, std::size_t prepared);
    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
    std::size_t prepared_;  // how many of the pool's preparers ran on it
    bool broken_ = false;
  };

  // Waits up to acquire_timeout; throws domain::Error(kUnavailable) when none frees up or a
  // replacement connection cannot be made.
  Lease Acquire();

  // What every WithTransaction on this pool runs just before it commits, inside the
  // transaction: the status journal (PgStatusJournal::BeforeCommit). Set once, before use.
  using CommitHook = std::function<void(pqxx::work&)>;
  void SetCommitHook(CommitHook hook) { commit_hook_ = std::move(hook); }
  const CommitHook& commit_hook() const { return commit_hook_; }

  int size() const { return options_.size; }
  int in_use() const;
  std::chrono::milliseconds statement_timeout() const { return options_.statement_timeout; }

 private:
  struct Idle {
    std::unique_ptr<pqxx::connection> connection;
    std::size_t prepared;
  };

  CommitHook commit_hook_;
  std::unique_ptr<pqxx::connection> Connect() const;
  // The preparers registered after the first `prepared`. The caller holds mutex_.
  std::vector<Preparer> PreparersSince(std::size_t prepared) const;
  void Release(std::unique_ptr<pqxx::connection> connection, std::size_t prepared, bool broken);

  PoolOptions options_;
  mutable std::mutex mutex_;
  std::vector<Preparer> preparers_;  // only ever appended to
  std::condition_variable available_;
  std::vector<Idle> idle_;
  int in_use_ = 0;
  int broken_slots_ = 0;  // connections dropped as broken, to be replaced
};

}  // namespace coco::persistence
