#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace coco::test {

// Request headers, in the order they are sent.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  std::optional<std::string> Header(const std::string& lower_name) const;
};

class ContractValidator;

// A minimal HTTP/1.1 client over one TCP connection to 127.0.0.1, so tests control keep-alive
// and see exactly what went over the wire (the Pistache client leaks descriptors). Reads
// responses by Content-Length. When given a contract, every response is checked against it and
// a mismatch is a test failure.
class HttpClient {
 public:
  explicit HttpClient(int port, const ContractValidator* contract = nullptr);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request (reconnecting first if the server closed the connection) and reads the
  // response. `headers` are sent as given; Host and Content-Length are added.
  HttpResponse Send(const std::string& method, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers = {},
                    const std::string& body = "");

  // Writes raw bytes and reads one response (for malformed requests).
  HttpResponse SendRaw(const std::string& bytes);

  // True when the server has closed its end: a read returns EOF (waits up to `timeout_ms`).
  bool ServerClosed(int timeout_ms = 2000);

  // For hostile and slow clients: writes bytes (connecting first if needed) without reading;
  // false if the server closed or reset the connection meanwhile. Safe to call from one other
  // thread while Receive runs.
  bool SendBytes(std::string_view bytes);
  // Reads one response; nothing if none arrived whole within `timeout_ms` or the server closed
  // first. Unlike Send, it keeps the socket after "Connection: close", so that ServerClosed can
  // tell whether the server really closed.
  std::optional<HttpResponse> Receive(int timeout_ms);

  // How many TCP connections this client opened so far.
  int connections_opened() const { return connections_opened_; }

 private:
  void Connect();
  void Close();
  HttpResponse ReadResponse(int timeout_ms = 30000, bool close_when_told = true);
  bool Fill(int timeout_ms);

  int port_;
  const ContractValidator* contract_;
  int fd_ = -1;
  std::string buffer_;
  int connections_opened_ = 0;
  std::string last_method_;
  std::string last_target_;
  bool head_request_ = false;
};

// A loopback port nobody holds right now, below the kernel's ephemeral range.
int FreePort();

// The response's body, parsed as JSON (throws on anything else).
nlohmann::json BodyJson(const HttpResponse& response);
// An Authorization header with `token` and a JSON Content-Type.
Headers Bearer(const std::string& token);
// `size` bytes from a generator seeded with `seed`: the same bytes for the same seed.
std::string RandomBytes(std::size_t size, unsigned seed);

}  // namespace coco::test
