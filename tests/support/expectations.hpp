#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

namespace coco::test {

// Sends a request that must be refused: answered `status` with a problem whose `code` matches
// (and, if `pointer` is given, an entry of `errors` pointing there), leaving every table of
// `database` with the row counts it had before.
void ExpectRefusedUnchanged(HttpClient& client, const TestDatabase& database,
                            const std::string& method, const std::string& target,
                            const Headers& headers, const std::string& body, int status,
                            const std::string& code, const std::string& pointer = "");

}  // namespace coco::test
