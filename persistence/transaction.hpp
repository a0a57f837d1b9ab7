#pragma once

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <type_traits>

#include "domain/common/error.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

// Statement timeout classes (DESIGN.md §6): request work uses the pool's short default; migrations,
// exports and chain verification raise it for their own transaction only.
enum class StatementClass { kRequest, kLong };
inline constexpr std::chrono::milliseconds kLongStatementTimeout{10 * 60 * 1000};

// Maps a libpqxx failure to the domain error a caller can act on: unique violation ->
// kAlreadyExists, foreign-key violation -> kNotFound, serialization failure or deadlock ->
// kConflict, lost connection or statement timeout -> kUnavailable, anything else -> kInternal
// (whose message stays in the logs). Returns true when the connection must be dropped.
[[noreturn]] void RethrowAsDomainError(const std::exception& error, ConnectionPool::Lease* lease);

// Runs `work(pqxx::work&)` in one transaction on a pooled connection and commits. A serialization
// failure or deadlock is retried (up to three attempts) since the whole unit is repeatable.
// Domain errors thrown by `work` roll back and pass through unchanged.
template <typename Work>
auto WithTransaction(ConnectionPool& pool, Work&& work,
                     StatementClass statement_class = StatementClass::kRequest)
    -> std::invoke_result_t<Work&, pqxx::work&> {
  constexpr int kAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    ConnectionPool::Lease lease = pool.Acquire();
    try {
      pqxx::work tx(lease.connection());
      if (statement_class == StatementClass::kLong) {
        tx.exec("SET LOCAL statement_timeout = " + std::to_string(kLongStatementTimeout.count()));
      }
      if constexpr (std::is_void_v<std::invoke_result_t<Work&, pqxx::work&>>) {
        work(tx);
        if (pool.commit_hook()) pool.commit_hook()(tx);
        tx.commit();
        return;
      } else {
        auto result = work(tx);
        if (pool.commit_hook()) pool.commit_hook()(tx);
        tx.commit();
        return result;
      }
    } catch (const domain::Error&) {
      throw;
    } catch (const pqxx::serialization_failure& error) {
      if (attempt == kAttempts) RethrowAsDomainError(error, &lease);
    } catch (const pqxx::deadlock_detected& error) {
      if (attempt == kAttempts) RethrowAsDomainError(error, &lease);
    } catch (const std::exception& error) {
      // What the work's callbacks raise that is not the database's (an HTTP refusal a use
      // case passes on from Parsed::Value) goes on as it is.
      if (dynamic_cast<const pqxx::pqxx_exception*>(&error) == nullptr) throw;
      RethrowAsDomainError(error, &lease);
    }
  }
}

// Runs one read of a single statement in autocommit mode: one round trip instead of
// BEGIN/statement/COMMIT. Only for reads whose one statement is consistent on its own; anything
// with two statements, or any write, belongs in WithTransaction. Errors translate the same way.
template <typename Read>
auto WithSingleRead(ConnectionPool& pool, Read&& read)
    -> std::invoke_result_t<Read&, pqxx::nontransaction&> {
  ConnectionPool::Lease lease = pool.Acquire();
  try {
    pqxx::nontransaction tx(lease.connection());
    return read(tx);
  } catch (const domain::Error&) {
    throw;
  } catch (const std::exception& error) {
    if (dynamic_cast<const pqxx::pqxx_exception*>(&error) == nullptr) throw;
    RethrowAsDomainError(error, &lease);
  }
}

}  // namespace coco::persistence
