#include "persistence/connection_pool.hpp"

#include <algorithm>

#include "domain/common/error.hpp"

namespace coco::persistence {

ConnectionPool::ConnectionPool(PoolOptions options) : options_(std::move(options)) {
  if (options_.size < 1) throw domain::InvalidArgument("the pool needs at least one connection");
  for (int i = 0; i < options_.size; ++i) idle_.push_back({Connect(), 0});
}

void ConnectionPool::Use(Preparer preparer) {
  std::lock_guard lock(mutex_);
  if (std::find(preparers_.begin(), preparers_.end(), preparer) == preparers_.end()) {
    preparers_.push_back(preparer);
  }
}

std::vector<ConnectionPool::Preparer> ConnectionPool::PreparersSince(std::size_t prepared) const {
  return {preparers_.begin() + static_cast<std::ptrdiff_t>(prepared), preparers_.end()};
}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<pqxx::connection> ConnectionPool::Connect() const {
  try {
    auto connection = std::make_unique<pqxx::connection>(options_.url);
    pqxx::nontransaction setup(*connection);
    setup.exec("SET statement_timeout = " + std::to_string(options_.statement_timeout.count()));
    setup.exec("SET TIME ZONE 'UTC'");
    // The status facts row (migration 0010) counts its fields in bytes of the database's
    // encoding, UTF-8; the client must receive the same bytes.
    setup.exec("SET client_encoding = 'UTF8'");
    setup.commit();
    return connection;
  } catch (const pqxx::failure&) {
    // Refused, starting up, shutting down, out of connections: whatever stops a new connection
    // from being set up means the database cannot serve now.
    throw domain::Unavailable("the database is not reachable", "database_unavailable");
  }
}

ConnectionPool::Lease ConnectionPool::Acquire() {
  std::unique_lock lock(mutex_);
  const bool got = available_.wait_for(lock, options_.acquire_timeout,
                                       [this] { return !idle_.empty() || broken_slots_ > 0; });
  if (!got) throw domain::Unavailable("the server is busy; retry shortly", "busy");
  ++in_use_;
  if (!idle_.empty()) {
    Idle idle = std::move(idle_.back());
    idle_.pop_back();
    // Read under the one lock this acquire takes; usually empty (nothing registered since).
    const std::vector<Preparer> missing = PreparersSince(idle.prepared);
    lock.unlock();
    // Lent before catching up, so that a failure releases it like any other lease.
    Lease lease(*this, std::move(idle.connection), idle.prepared);
    for (const Preparer prepare : missing) prepare(*lease.connection_);
    lease.prepared_ += missing.size();
    return lease;
  }
  --broken_slots_;
  const std::vector<Preparer> all = preparers_;
  lock.unlock();
  try {
    auto connection = Connect();
    for (const Preparer prepare : all) prepare(*connection);
    return Lease(*this, std::move(connection), all.size());
  } catch (...) {
    std::lock_guard relock(mutex_);
    --in_use_;
    ++broken_slots_;
    available_.notify_one();
    throw;
  }
}

void ConnectionPool::Release(std::unique_ptr<pqxx::connection> connection, std::size_t prepared,
                             bool broken) {
  std::lock_guard lock(mutex_);
  --in_use_;
  if (broken || !connection || !connection->is_open()) {
    ++broken_slots_;
  } else {
    idle_.push_back({std::move(connection), prepared});
  }
  available_.notify_one();
}

int ConnectionPool::in_use() const {
  std::lock_guard lock(mutex_);
  return in_use_;
}

ConnectionPool::Lease::Lease(ConnectionPool& pool, std::unique_ptr<pqxx::connection> connection,
                             std::size_t prepared)
    : pool_(&pool), connection_(std::move(connection)), prepared_(prepared) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_),
      connection_(std::move(other.connection_)),
      prepared_(other.prepared_),
      broken_(other.broken_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(connection_), prepared_, broken_);
}

}  // namespace coco::persistence
