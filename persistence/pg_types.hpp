#pragma once

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "domain/common/uuid.hpp"

// Conversions between the domain's value types and what libpqxx 6.4 reads and writes.
namespace coco::persistence {

// Timestamps cross the wire as microseconds since the epoch (see the SQL's extract(epoch ...)
// and 'epoch' + n microseconds: exact integer arithmetic), which avoids parsing PostgreSQL's
// text form and floating-point rounding.
long long ToEpochMicros(std::chrono::system_clock::time_point at);
std::chrono::system_clock::time_point FromEpochMicros(long long micros);

// A PostgreSQL uuid[] literal ("{a,b}") and back.
std::string ToUuidArray(const std::vector<domain::SupplierId>& ids);
std::vector<domain::SupplierId> ParseSupplierIdArray(const pqxx::field& field);

}  // namespace coco::persistence
