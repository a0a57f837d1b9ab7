#include "outbound/curl_webhook_sender.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "domain/common/error.hpp"

namespace coco::outbound {
namespace {

struct Resolved {
  std::string pin;  // "host:port:address" for CURLOPT_RESOLVE
  std::string error;
};

// Resolves `host` and checks every address it has: one internal address refuses the host, as
// DNS could hand out any of them.
Resolved Resolve(const domain::WebhookUrl& url, const domain::EgressPolicy& policy) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(url.host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) {
    return {"", "the host does not resolve"};
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owner(found, freeaddrinfo);
  std::string first;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    std::vector<std::uint8_t> bytes;
    char text[INET6_ADDRSTRLEN] = {};
    if (entry->ai_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(entry->ai_addr);
      const auto* raw = reinterpret_cast<const std::uint8_t*>(&in->sin_addr);
      bytes.assign(raw, raw + 4);
      inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
    } else if (entry->ai_family == AF_INET6) {
      const auto* in = reinterpret_cast<const sockaddr_in6*>(entry->ai_addr);
      const auto* raw = reinterpret_cast<const std::uint8_t*>(&in->sin6_addr);
      bytes.assign(raw, raw + 16);
      inet_ntop(AF_INET6, &in->sin6_addr, text, sizeof text);
    } else {
      continue;
    }
    if (domain::IsInternalAddress(bytes) && !policy.AllowsPrivate(url.host)) {
      return {"", "the host resolves to an internal address"};
    }
    if (first.empty()) {
      first = entry->ai_family == AF_INET6 ? "[" + std::string(text) + "]" : std::string(text);
    }
  }
  if (first.empty()) return {"", "the host has no usable address"};
  const std::string host =
      url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
  return {host + ":" + std::to_string(url.port) + ":" + first, ""};
}

// The receiver's body is not needed: read and dropped (the timeout bounds it).
std::size_t Discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

struct Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  curl_slist* resolve = nullptr;
  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
    curl_slist_free_all(resolve);
  }
};

}  // namespace

CurlWebhookSender::CurlWebhookSender(domain::EgressPolicy policy, std::chrono::milliseconds timeout)
    : policy_(std::move(policy)), timeout_(timeout) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  multi_ = curl_multi_init();
}

CurlWebhookSender::~CurlWebhookSender() {
  if (multi_ != nullptr) curl_multi_cleanup(static_cast<CURLM*>(multi_));
}

std::vector<domain::SendResult> CurlWebhookSender::SendAll(
    const std::vector<domain::OutgoingRequest>& requests) {
  std::vector<domain::SendResult> results(requests.size());
  std::vector<std::unique_ptr<Transfer>> transfers(requests.size());
  CURLM* multi = static_cast<CURLM*>(multi_);
  if (multi == nullptr) {
    for (auto& result : results) result.error = "could not start a transfer";
    return results;
  }
  std::map<std::string, Resolved> resolved_hosts;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto& request = requests[i];
    std::optional<domain::WebhookUrl> url;
    try {
      url = domain::ParseWebhookUrl(request.url, policy_);
    } catch (const domain::Error& error) {
      results[i].error = error.what();
      continue;
    }
    // Each host is looked up once a round, however many of its deliveries are due.
    const std::string key = url->host + ":" + std::to_string(url->port);
    auto cached = resolved_hosts.find(key);
    if (cached == resolved_hosts.end()) {
      cached = resolved_hosts.emplace(key, Resolve(*url, policy_)).first;
    }
    const Resolved& resolved = cached->second;
    if (!resolved.error.empty()) {
      results[i].error = resolved.error;
      continue;
    }
    auto transfer = std::make_unique<Transfer>();
    transfer->easy = curl_easy_init();
    if (transfer->easy == nullptr) {
      results[i].error = "could not start a transfer";
      continue;
    }
    for (const auto& [name, value] : request.headers) {
      transfer->headers = curl_slist_append(transfer->headers, (name + ": " + value).c_str());
    }
    transfer->headers = curl_slist_append(transfer->headers, "Expect:");
    transfer->resolve = curl_slist_append(nullptr, resolved.pin.c_str());
    CURL* easy = transfer->easy;
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_RESOLVE, transfer->resolve);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer->headers);
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "coco-webhooks/1");
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, reinterpret_cast<void*>(i));
    curl_multi_add_handle(multi, easy);
    transfers[i] = std::move(transfer);
  }
  int running = 0;
  do {
    if (curl_multi_perform(multi, &running) != CURLM_OK) break;
    if (running > 0) curl_multi_poll(multi, nullptr, 0, 200, nullptr);
  } while (running > 0 && !cancelled_);
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    void* index = nullptr;
    curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &index);
    auto& result = results[reinterpret_cast<std::size_t>(index)];
    if (message->data.result == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(message->easy_handle, CURLINFO_RESPONSE_CODE, &status);
      result.status = static_cast<int>(status);
    } else {
      result.error = curl_easy_strerror(message->data.result);
    }
  }
  for (std::size_t i = 0; i < transfers.size(); ++i) {
    if (!transfers[i]) continue;
    if (!results[i].status && results[i].error.empty()) results[i].error = "cancelled";
    curl_multi_remove_handle(multi, transfers[i]->easy);
  }
  return results;
}

}  // namespace coco::outbound
