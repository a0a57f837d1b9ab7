#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace coco::api {

struct AuthThrottleOptions {
  int max_failures = 20;            // failures allowed per window and address
  std::chrono::seconds window{60};  // counted from the address's first failure
  std::size_t capacity = 10000;     // addresses remembered at most
};

// Counts failed authentications per client address (OPERATIONS.md "Abuse and retries"). Only
// failures are recorded: a valid token never reaches this class, so it is never slowed and never
// takes a lock here. Memory is bounded by `capacity`: the table is split into shards, each a
// fixed share of the capacity, and a full shard forgets its least recently failing address.
// Forgetting is safe: it can only let an address start counting afresh. Thread-safe; one mutex
// per shard. The clock is a parameter so tests never sleep.
class AuthThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit AuthThrottle(AuthThrottleOptions options);

  // Records one failure from `address` at `now`. Returns nullopt while the address is within its
  // allowance, else how long until its window ends (at least one second): answer 429 with that
  // as Retry-After. Failures beyond the allowance are still counted but do not extend the window.
  std::optional<std::chrono::seconds> RecordFailure(std::string_view address,
                                                    Clock::time_point now);

  // Addresses currently remembered (for a gauge).
  std::size_t size() const;

 private:
  static constexpr std::size_t kShards = 16;
  struct Entry {
    Clock::time_point window_start;
    int failures = 0;
    std::list<std::string>::iterator recency;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
    std::list<std::string> recency;  // front: most recent failure
  };

  AuthThrottleOptions options_;
  std::size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace coco::api
