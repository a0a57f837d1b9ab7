#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace coco::api {

// Request counters and a latency histogram per route, in Prometheus text format 0.0.4.
class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  // `route` is the matched pattern (never the raw path, so ids do not explode the label set);
  // unmatched requests are counted under "unmatched".
  void Observe(std::string_view method, std::string_view route, int status,
               std::chrono::nanoseconds duration);

  // Gauges read when /metrics is scraped, e.g. the pool's connections in use.
  void AddGauge(std::string name, std::string help, std::function<double()> read);

  // Failed authentications (every 401 and 429 of authentication), and those of them answered
  // 429 by the throttle. Lock-free: a burst of failures does not contend with request metrics.
  void CountAuthFailure() { auth_failures_.fetch_add(1, std::memory_order_relaxed); }
  void CountAuthThrottled() { auth_throttled_.fetch_add(1, std::memory_order_relaxed); }

  std::string Render() const;

 private:
  struct Histogram {
    std::array<unsigned long long, kBuckets.size()> buckets{};
    unsigned long long count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };
  // Orders series keys alike whether their strings are owned or viewed, so a request looks its
  // series up by views and copies nothing (SeriesOf). Spelled out, since comparing tuples of
  // different element types is not portable to every standard library.
  struct SeriesLess {
    using is_transparent = void;  // NOLINT(readability-identifier-naming): the standard's name
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Views(a) < Views(b);
    }
    template <typename... T>
    static auto Views(const std::tuple<T...>& key) {
      return std::apply([](const auto&... part) { return std::tuple(View(part)...); }, key);
    }
    static std::string_view View(std::string_view text) { return text; }
    static int View(int number) { return number; }
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, unsigned long long, SeriesLess> requests_;
  std::map<std::tuple<std::string, std::string>, Histogram, SeriesLess> latency_;
  std::map<std::string, Gauge> gauges_;
  std::atomic<unsigned long long> auth_failures_{0};
  std::atomic<unsigned long long> auth_throttled_{0};
};

}  // namespace coco::api
