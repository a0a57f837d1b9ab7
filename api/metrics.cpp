#include "api/metrics.hpp"

#include <sstream>

namespace coco::api {
namespace {

std::string Label(std::string_view value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\' || c == '"') escaped.push_back('\\');
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped.push_back(c);
  }
  return escaped;
}

// The entry of `map` under `key` (string views), added the first time: counting a request
// copies its method and route only when a series first appears.
template <typename Map, typename Key>
typename Map::mapped_type& SeriesOf(Map& map, const Key& key) {
  auto entry = map.find(key);
  if (entry == map.end()) {
    entry = map.emplace(typename Map::key_type(key), typename Map::mapped_type{}).first;
  }
  return entry->second;
}

}  // namespace

void Metrics::Observe(std::string_view method, std::string_view route, int status,
                      std::chrono::nanoseconds duration) {
  const double seconds = std::chrono::duration<double>(duration).count();
  std::lock_guard lock(mutex_);
  ++SeriesOf(requests_, std::tuple(method, route, status));
  Histogram& histogram = SeriesOf(latency_, std::tuple(method, route));
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++histogram.buckets[i];
  }
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(mutex_);
  gauges_[std::move(name)] = Gauge{std::move(help), std::move(read)};
}

std::string Metrics::Render() const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP coco_http_requests_total HTTP requests answered, by route and status.\n"
      << "# TYPE coco_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out << "coco_http_requests_total{method=\"" << Label(method) << "\",route=\"" << Label(route)
        << "\",status=\"" << status << "\"} " << count << "\n";
  }
  out << "# HELP coco_http_request_duration_seconds Time from request parsed to response "
         "handed to the transport.\n"
      << "# TYPE coco_http_request_duration_seconds histogram\n";
  for (const auto& [key, histogram] : latency_) {
    const auto& [method, route] = key;
    const std::string labels = "method=\"" + Label(method) + "\",route=\"" + Label(route) + "\"";
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out << "coco_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << histogram.buckets[i] << "\n";
    }
    out << "coco_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} "
        << histogram.count << "\n";
    out << "coco_http_request_duration_seconds_sum{" << labels << "} " << histogram.sum << "\n";
    out << "coco_http_request_duration_seconds_count{" << labels << "} " << histogram.count << "\n";
  }
  out << "# HELP coco_auth_failures_total Requests whose authentication failed (missing, unknown, "
         "expired or revoked token).\n"
      << "# TYPE coco_auth_failures_total counter\n"
      << "coco_auth_failures_total " << auth_failures_.load(std::memory_order_relaxed) << "\n"
      << "# HELP coco_auth_throttled_total Failed authentications answered 429 because their "
         "address failed too often.\n"
      << "# TYPE coco_auth_throttled_total counter\n"
      << "coco_auth_throttled_total " << auth_throttled_.load(std::memory_order_relaxed) << "\n";
  for (const auto& [name, gauge] : gauges_) {
    out << "# HELP " << name << " " << gauge.help << "\n# TYPE " << name << " gauge\n"
        << name << " " << gauge.read() << "\n";
  }
  return out.str();
}

}  // namespace coco::api
