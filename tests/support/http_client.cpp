#include "tests/support/http_client.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <stdexcept>

#include "tests/support/contract.hpp"

namespace coco::test {
namespace {

std::string LowerCase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::optional<std::string> HttpResponse::Header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

// A loopback port nothing holds, chosen below the kernel's ephemeral range: outgoing connections
// (every test's database pool) take their local ports from that range, so a port the kernel
// handed out there (bind to port 0) can be taken by one of them before the server binds it.
int FreePort() {
  int low = 32768;
  if (std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range"); range) range >> low;
  if (low <= 11024) throw std::runtime_error("no room below the ephemeral port range");
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> pick(10000, low - 1);
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int port = pick(random);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<uint16_t>(port));
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (bound) return port;
  }
  throw std::runtime_error("no free loopback port below the ephemeral range");
}

nlohmann::json BodyJson(const HttpResponse& response) {
  return nlohmann::json::parse(response.body);
}

Headers Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
}

std::string RandomBytes(std::size_t size, unsigned seed) {
  std::mt19937 engine(seed);
  std::string bytes(size, '\0');
  for (auto& byte : bytes) byte = static_cast<char>(engine() & 0xff);
  return bytes;
}

HttpClient::HttpClient(int port, const ContractValidator* contract)
    : port_(port), contract_(contract) {}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Connect() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port_));
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const std::string reason = std::strerror(errno);
    Close();
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port_) + ": " + reason);
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  buffer_.clear();
  ++connections_opened_;
}

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool HttpClient::Fill(int timeout_ms) {
  pollfd poll_fd{fd_, POLLIN, 0};
  if (::poll(&poll_fd, 1, timeout_ms) <= 0) return false;
  char chunk[65536];
  const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
  if (got <= 0) return false;
  buffer_.append(chunk, static_cast<std::size_t>(got));
  return true;
}

bool HttpClient::ServerClosed(int timeout_ms) {
  if (fd_ < 0) return true;
  pollfd poll_fd{fd_, POLLIN, 0};
  if (::poll(&poll_fd, 1, timeout_ms) <= 0) return false;
  char byte;
  const ssize_t got = ::recv(fd_, &byte, 1, MSG_PEEK);
  return got == 0 || (got < 0 && errno == ECONNRESET);
}

HttpResponse HttpClient::ReadResponse(int timeout_ms, bool close_when_told) {
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(timeout_ms)) throw std::runtime_error("no complete response header");
  }
  HttpResponse response;
  const std::string head = buffer_.substr(0, header_end);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  // "HTTP/1.1 200 OK"
  if (status_line.size() < 12) throw std::runtime_error("bad status line: " + status_line);
  response.status = std::stoi(status_line.substr(9, 3));
  response.reason = status_line.size() > 13 ? status_line.substr(13) : "";
  std::size_t position = line_end == std::string::npos ? head.size() : line_end + 2;
  while (position < head.size()) {
    std::size_t end = head.find("\r\n", position);
    if (end == std::string::npos) end = head.size();
    const std::string line = head.substr(position, end - position);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers.emplace_back(LowerCase(line.substr(0, colon)), value);
    }
    position = end + 2;
  }
  buffer_.erase(0, header_end + 4);
  std::size_t length = 0;
  if (auto content_length = response.Header("content-length")) {
    length = std::stoul(*content_length);
  }
  if (head_request_) length = 0;  // a HEAD response has no body, whatever its length says
  while (buffer_.size() < length) {
    if (!Fill(timeout_ms)) throw std::runtime_error("response body cut short");
  }
  response.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  if (auto connection = response.Header("connection");
      close_when_told && connection && LowerCase(*connection) == "close") {
    Close();
  }
  return response;
}

bool HttpClient::SendBytes(std::string_view bytes) {
  if (fd_ < 0) Connect();
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<HttpResponse> HttpClient::Receive(int timeout_ms) {
  if (fd_ < 0) return std::nullopt;
  try {
    return ReadResponse(timeout_ms, false);
  } catch (const std::runtime_error&) {
    return std::nullopt;
  }
}

HttpResponse HttpClient::SendRaw(const std::string& bytes) {
  head_request_ = bytes.rfind("HEAD ", 0) == 0;
  if (fd_ < 0 || ServerClosed(0)) {
    Close();
    Connect();
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
  HttpResponse response = ReadResponse();
  if (contract_ != nullptr && !last_method_.empty() && last_method_ != "HEAD") {
    for (const auto& problem : contract_->Check(last_method_, last_target_, response)) {
      ADD_FAILURE() << "contract: " << last_method_ << " " << last_target_ << " -> "
                    << response.status << ": " << problem;
    }
  }
  last_method_.clear();
  return response;
}

HttpResponse HttpClient::Send(const std::string& method, const std::string& target,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body) {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  last_method_ = method;
  last_target_ = target;
  return SendRaw(request);
}

}  // namespace coco::test
