#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/common/uuid.hpp"

namespace coco::domain {

// How long a key is remembered (OPERATIONS.md: the same key within 24 h replays).
inline constexpr std::chrono::hours kIdempotencyKeyLifetime{24};

// A client's Idempotency-Key is 1 to 255 visible ASCII characters (0x21..0x7e).
bool IsValidIdempotencyKey(std::string_view key);

// The request's claim on (user, key). It travels with the Actor, and the persistence layer
// inserts it in the same transaction as the audit event of the write, so the created row and the
// claim commit together or not at all. Inserting a claim that another request already holds
// fails the write with kConflict "idempotency_key_in_use".
struct IdempotencyClaim {
  UserId user_id;
  std::string key;
  std::string fingerprint;  // SHA-256 hex of what makes two requests "the same"
  std::string claim_id;     // random per request
};

// A response as stored for replay.
struct StoredResponse {
  int status = 0;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// What is known of a key that has not expired.
struct IdempotencyRecord {
  std::string fingerprint;
  std::chrono::system_clock::time_point created_at;
  std::optional<std::string> entity;
  std::optional<std::string> entity_id;
  bool completed = false;                  // the response was recorded (kept or not)
  std::optional<StoredResponse> response;  // set when completed and kept
};

// The port the API uses around a guarded request; the claim itself is written by the write.
class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;
  // The unexpired record of (user, key), if any.
  virtual std::optional<IdempotencyRecord> Find(const UserId& user, std::string_view key) = 0;
  // Records the response of the request holding `claim`. `keep` false stores only the status
  // (the body held a secret). If the write claimed nothing (it appended no audit event), the
  // record is created now. Also deletes a bounded batch of expired records. Never fails the
  // request: the caller logs errors and still answers.
  virtual void Complete(const IdempotencyClaim& claim, const StoredResponse& response,
                        bool keep) = 0;
};

}  // namespace coco::domain
