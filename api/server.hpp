#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/http_parser.hpp"
#include "api/pipeline.hpp"

namespace Pistache::Http {
class Endpoint;
}

namespace coco::api {

class Sweeper;
struct ServerState;

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 2;
  HttpLimits limits;
  // A request whose line and headers take longer than this is answered 408 and closed.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(12)};
  // A body that takes longer than this (from the end of the headers) is answered 408 and closed.
  std::chrono::milliseconds body_timeout{std::chrono::seconds(120)};
  // A connection idle between requests for this long is closed without an answer.
  std::chrono::milliseconds keepalive_timeout{std::chrono::seconds(60)};
  // After a response that closes the connection, the client's further bytes are read and dropped
  // for at most this long, so that closing does not reset the connection before the client has
  // read the answer.
  std::chrono::milliseconds linger{std::chrono::seconds(2)};
};

// Pistache 0.0.5's reactor (sockets, threads, writes) with coco's own HTTP/1.1 input path: every
// byte a client sends goes through HttpRequestParser, so a malformed, oversized or slow request
// gets a problem+json 4xx from coco, never Pistache's exception text. Keep-alive and
// "Connection: close" follow RFC 9112; "Expect: 100-continue" is answered.
class Server {
 public:
  Server(ServerOptions options, Pipeline& pipeline);
  ~Server();

  // Binds and starts the worker threads; returns at once.
  void Start();
  // The first step of a graceful stop: every answer from now on closes its connection, idle
  // connections are closed, and new ones are still served the same way. Returns once no request
  // is in flight and every answer is written (true), or when `deadline` passes (false).
  bool Drain(std::chrono::milliseconds deadline);
  // Drain's first step alone, returning at once: from now on every answer closes its connection.
  void BeginDrain();
  // Requests whose first byte arrived and whose answer is not yet written.
  int InFlight() const;
  // Stops accepting, lets the workers finish the requests they hold, and joins them.
  void Shutdown();
  std::uint16_t port() const;

 private:
  ServerOptions options_;
  Pipeline& pipeline_;
  std::shared_ptr<Sweeper> sweeper_;
  std::shared_ptr<ServerState> state_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace coco::api
