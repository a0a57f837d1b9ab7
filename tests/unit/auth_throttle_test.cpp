#include "api/auth_throttle.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "api/client_address.hpp"

namespace coco::api {
namespace {

using std::chrono::seconds;
using Clock = AuthThrottle::Clock;

const Clock::time_point kStart{};

TEST(AuthThrottleTest, AllowsTheLimitThenThrottlesUntilTheWindowEnds) {
  AuthThrottle throttle({3, seconds(60), 100});
  EXPECT_FALSE(throttle.RecordFailure("10.0.0.1", kStart));
  EXPECT_FALSE(throttle.RecordFailure("10.0.0.1", kStart + seconds(1)));
  EXPECT_FALSE(throttle.RecordFailure("10.0.0.1", kStart + seconds(2)));
  const auto wait = throttle.RecordFailure("10.0.0.1", kStart + seconds(10));
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, seconds(50));
  // Still throttled later in the window; failures there do not extend it.
  EXPECT_EQ(throttle.RecordFailure("10.0.0.1", kStart + seconds(59) + std::chrono::milliseconds(1)),
            seconds(1));
  // A new window starts afresh.
  EXPECT_FALSE(throttle.RecordFailure("10.0.0.1", kStart + seconds(60)));
}

TEST(AuthThrottleTest, AddressesAreCountedApart) {
  AuthThrottle throttle({1, seconds(60), 100});
  EXPECT_FALSE(throttle.RecordFailure("10.0.0.1", kStart));
  EXPECT_FALSE(throttle.RecordFailure("10.0.0.2", kStart));
  EXPECT_TRUE(throttle.RecordFailure("10.0.0.1", kStart));
  EXPECT_TRUE(throttle.RecordFailure("10.0.0.2", kStart));
}

TEST(AuthThrottleTest, RetryAfterIsAtLeastOneSecond) {
  AuthThrottle throttle({1, seconds(1), 100});
  EXPECT_FALSE(throttle.RecordFailure("a", kStart));
  EXPECT_EQ(throttle.RecordFailure("a", kStart + std::chrono::milliseconds(999)), seconds(1));
}

TEST(AuthThrottleTest, MemoryIsBoundedAndTheLeastRecentlyFailingAddressIsForgotten) {
  AuthThrottle throttle({1, seconds(60), 16});  // one address per shard
  for (int i = 0; i < 10000; ++i) throttle.RecordFailure("addr-" + std::to_string(i), kStart);
  EXPECT_LE(throttle.size(), 16u);
  // The most recent address is remembered: its second failure is over the limit of one.
  EXPECT_TRUE(throttle.RecordFailure("addr-9999", kStart));
}

TEST(AuthThrottleTest, ManyThreadsCountEveryFailure) {
  AuthThrottle throttle({4000, seconds(60), 1000});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&throttle] {
      for (int i = 0; i < 1000; ++i) throttle.RecordFailure("shared", kStart);
    });
  }
  for (auto& thread : threads) thread.join();
  // 4000 failures recorded: the next one is the first over the limit.
  EXPECT_TRUE(throttle.RecordFailure("shared", kStart));
}

Request From(std::string peer, std::vector<std::pair<std::string, std::string>> headers = {}) {
  Request request;
  request.remote_address = std::move(peer);
  request.headers = std::move(headers);
  return request;
}

TEST(ClientAddressTest, WithoutTrustedProxiesThePeerIsTheClientWhateverTheHeadersSay) {
  const auto none = *TrustedProxies::Parse("");
  EXPECT_EQ(
      ClientAddress(From("203.0.113.5", {{"x-forwarded-for", "1.2.3.4"}, {"x-real-ip", "1.2.3.4"}}),
                    none),
      "203.0.113.5");
  EXPECT_EQ(ClientAddress(From(""), none), "unknown");
}

TEST(ClientAddressTest, BehindATrustedProxyTheRightmostUntrustedForwardedAddressIsTheClient) {
  const auto trusted = *TrustedProxies::Parse("10.0.0.0/8, ::1");
  // The client prepended a forged entry; nginx appended the real peer.
  EXPECT_EQ(
      ClientAddress(From("10.1.2.3", {{"x-forwarded-for", "6.6.6.6, 198.51.100.7"}}), trusted),
      "198.51.100.7");
  // A chain of trusted proxies is skipped.
  EXPECT_EQ(ClientAddress(From("::1", {{"x-forwarded-for", "198.51.100.7, 10.0.0.9"}}), trusted),
            "198.51.100.7");
  // No X-Forwarded-For: X-Real-IP.
  EXPECT_EQ(ClientAddress(From("10.1.2.3", {{"x-real-ip", "2001:db8::1"}}), trusted),
            "2001:db8::1");
  // Garbage in the header: the walk stops and the proxy itself is the client.
  EXPECT_EQ(ClientAddress(From("10.1.2.3", {{"x-forwarded-for", "not-an-address"}}), trusted),
            "10.1.2.3");
  // An untrusted peer cannot speak for anyone.
  EXPECT_EQ(ClientAddress(From("192.0.2.1", {{"x-forwarded-for", "198.51.100.7"}}), trusted),
            "192.0.2.1");
}

TEST(ClientAddressTest, TrustedProxiesParseAddressesAndNetworks) {
  const auto list = TrustedProxies::Parse("127.0.0.1,172.16.0.0/12 , fd00::/8");
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->Contains("127.0.0.1"));
  EXPECT_FALSE(list->Contains("127.0.0.2"));
  EXPECT_TRUE(list->Contains("172.31.255.255"));
  EXPECT_FALSE(list->Contains("172.32.0.0"));
  EXPECT_TRUE(list->Contains("fd12::1"));
  EXPECT_FALSE(list->Contains("fe80::1"));
  EXPECT_FALSE(list->Contains("garbage"));
  EXPECT_FALSE(TrustedProxies::Parse("10.0.0.0/33"));
  EXPECT_FALSE(TrustedProxies::Parse("nginx"));
  EXPECT_FALSE(TrustedProxies::Parse("10.0.0.1/"));
  EXPECT_TRUE(TrustedProxies::Parse("")->empty());
}

}  // namespace
}  // namespace coco::api
