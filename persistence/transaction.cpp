#include "persistence/transaction.hpp"

namespace coco::persistence {

void RethrowAsDomainError(const std::exception& error, ConnectionPool::Lease* lease) {
  if (dynamic_cast<const pqxx::unique_violation*>(&error) != nullptr) {
    throw domain::AlreadyExists("an object with the same key already exists");
  }
  if (dynamic_cast<const pqxx::foreign_key_violation*>(&error) != nullptr) {
    throw domain::NotFound("a referenced object does not exist");
  }
  if (dynamic_cast<const pqxx::serialization_failure*>(&error) != nullptr ||
      dynamic_cast<const pqxx::deadlock_detected*>(&error) != nullptr) {
    throw domain::Conflict("a concurrent change won; retry", "concurrent_update");
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    if (lease != nullptr) lease->MarkBroken();
    throw domain::Unavailable("the database is not reachable", "database_unavailable");
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error); sql != nullptr) {
    const std::string& state = sql->sqlstate();
    if (state == "57014") {  // query_canceled: the statement timeout
      throw domain::Unavailable("the database did not answer in time", "database_timeout");
    }
    // Class 08 (connection exception), 57 (the server shutting down, crashing or starting up)
    // and 53 (out of connections or memory): the database is going or gone, not the request
    // wrong. The connection is not reused.
    if (state.rfind("08", 0) == 0 || state.rfind("57", 0) == 0 || state.rfind("53", 0) == 0) {
      if (lease != nullptr) lease->MarkBroken();
      throw domain::Unavailable("the database is not reachable", "database_unavailable");
    }
  }
  // The driver's text goes to the log through the kInternal message, never to a client.
  throw domain::Internal(std::string("database error: ") + error.what());
}

}  // namespace coco::persistence
