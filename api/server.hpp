#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "api/pipeline.hpp"

namespace Pistache::Http {
class Endpoint;
}

namespace coco::api {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 8080;
  int threads = 2;
  // The transport cap: Pistache refuses a larger request (headers included) itself.
  std::size_t max_request_bytes = 64u << 20;
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{120};
  std::chrono::seconds keepalive_timeout{60};
};

// Pistache 0.0.5 behind coco's own top-level handler, which fixes its HTTP/1.1 keep-alive (it
// answers "Connection: Close" to every request without a Connection header yet keeps the socket
// open) and really closes the socket after a response to "Connection: close".
class Server {
 public:
  Server(ServerOptions options, Pipeline& pipeline);
  ~Server();

  // Binds and starts the worker threads; returns at once.
  void Start();
  // Stops accepting, lets the workers finish the requests they hold, and joins them.
  void Shutdown();
  std::uint16_t port() const;

 private:
  ServerOptions options_;
  Pipeline& pipeline_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace coco::api
