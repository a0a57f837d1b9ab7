#include "api/auth_throttle.hpp"

#include <algorithm>
#include <functional>

namespace coco::api {

AuthThrottle::AuthThrottle(AuthThrottleOptions options)
    : options_(options),
      shard_capacity_(std::max<std::size_t>(1, (options.capacity + kShards - 1) / kShards)) {}

std::optional<std::chrono::seconds> AuthThrottle::RecordFailure(std::string_view address,
                                                                Clock::time_point now) {
  Shard& shard = shards_[std::hash<std::string_view>{}(address) % kShards];
  std::lock_guard lock(shard.mutex);
  auto found = shard.entries.find(std::string(address));
  if (found == shard.entries.end()) {
    if (shard.entries.size() >= shard_capacity_) {
      shard.entries.erase(shard.recency.back());
      shard.recency.pop_back();
    }
    shard.recency.emplace_front(address);
    found = shard.entries.emplace(std::string(address), Entry{now, 0, shard.recency.begin()}).first;
  } else {
    shard.recency.splice(shard.recency.begin(), shard.recency, found->second.recency);
  }
  Entry& entry = found->second;
  if (now - entry.window_start >= options_.window) {
    entry.window_start = now;
    entry.failures = 0;
  }
  ++entry.failures;
  if (entry.failures <= options_.max_failures) return std::nullopt;
  const auto left = entry.window_start + options_.window - now;
  const auto seconds = std::chrono::ceil<std::chrono::seconds>(left);
  return std::max(seconds, std::chrono::seconds(1));
}

std::size_t AuthThrottle::size() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.entries.size();
  }
  return total;
}

}  // namespace coco::api
