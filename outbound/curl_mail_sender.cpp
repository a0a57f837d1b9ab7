#include "outbound/curl_mail_sender.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace coco::outbound {
namespace {

// "<address>" for the SMTP envelope, from "Name <address>" or a bare address.
std::string Envelope(const std::string& address) {
  const auto open = address.rfind('<');
  const auto close = address.rfind('>');
  if (open != std::string::npos && close != std::string::npos && open < close) {
    return address.substr(open, close - open + 1);
  }
  return "<" + address + ">";
}

struct Upload {
  const std::string* message;
  std::size_t offset = 0;
};

std::size_t ReadMessage(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t room = size * count;
  const std::size_t left = upload->message->size() - upload->offset;
  const std::size_t n = std::min(room, left);
  std::memcpy(buffer, upload->message->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

// libcurl asks about once a second and on every transfer of bytes; non-zero aborts.
int Progress(void* cancelled, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(cancelled)->load() ? 1 : 0;
}

}  // namespace

CurlMailSender::CurlMailSender(std::string smtp_url, std::string from,
                               std::chrono::milliseconds timeout)
    : smtp_url_(std::move(smtp_url)), envelope_from_(Envelope(from)), timeout_(timeout) {}

std::optional<std::string> CurlMailSender::Send(const std::string& to, const std::string& message) {
  if (cancelled_) return "the server is stopping";
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return "libcurl could not start a transfer";
  curl_slist* recipients = curl_slist_append(nullptr, Envelope(to).c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> owner(recipients,
                                                                    curl_slist_free_all);
  Upload upload{&message};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, smtp_url_.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, envelope_from_.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &ReadMessage);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &Progress);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, &cancelled_);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
  const CURLcode result = curl_easy_perform(handle);
  if (result == CURLE_OK) return std::nullopt;
  long code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &code);
  std::string error = curl_easy_strerror(result);
  if (code > 0) error += " (the server answered " + std::to_string(code) + ")";
  return error;
}

}  // namespace coco::outbound
