#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "domain/common/ports.hpp"
#include "persistence/connection_pool.hpp"

// The status journal (docs/status.md "History" and "Events"). It records every change of a
// supplier's statuses in status_changes, the facts each status was computed from in
// status_facts_history, and the events of the outbox. The rules of what is a change are the
// domain's (domain/status/status_journal.hpp); this stores what they return.
namespace coco::persistence {

class PgStatusJournal {
 public:
  // Installs BeforeCommit as `pool`'s commit hook. `clock` dates every row (tests pass one they
  // move by hand).
  PgStatusJournal(ConnectionPool& pool, const domain::Clock& clock);
  PgStatusJournal(const PgStatusJournal&) = delete;
  PgStatusJournal& operator=(const PgStatusJournal&) = delete;

  // Inside every write transaction, last: fires the deferred status-facts triggers, then, for
  // each supplier whose facts this transaction changed, records first the date-driven changes
  // due since its last journal (from the facts that held until now), then the changes the write
  // made, caused by the transaction's first audit entry. The review moves the transaction
  // audited become events too. Does nothing (one round trip) for a transaction that changed no
  // facts and audited nothing.
  void BeforeCommit(pqxx::work& tx);

  // The scheduler's work: journals, each in its own transaction, up to `limit` suppliers whose
  // next change is due by today, never journalled, or left pending by a writer that does not
  // journal (an operator's psql). Returns how many it journalled; call again while it returns
  // `limit`.
  std::size_t CatchUp(std::size_t limit = 500);

 private:
  struct Cause {
    bool write = true;
    std::optional<long long> audit_seq;
    std::chrono::system_clock::time_point at;
  };
  static void Prepare(pqxx::connection& connection);
  void Journal(pqxx::work& tx, const std::string& supplier, const Cause& cause);

  ConnectionPool& pool_;
  const domain::Clock& clock_;
};

// Leadership for the scheduler: a session advisory lock on a connection of its own, so one node
// of many journals date-driven changes at a time, and another takes over when it goes away.
class SchedulerLeadership {
 public:
  // `role` names the work led: 1 the status scheduler, 2 webhook delivery.
  explicit SchedulerLeadership(std::string database_url, int role = 1)
      : url_(std::move(database_url)), role_(role) {}
  // True while this process holds the lock (taking it if free). A lost connection loses it.
  bool Lead();

 private:
  std::string url_;
  int role_ = 1;
  std::unique_ptr<pqxx::connection> connection_;
  bool leading_ = false;
};

}  // namespace coco::persistence
