#include "api/server.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <sys/socket.h>

#include "domain/common/json_text.hpp"

namespace coco::api {
namespace {

namespace Http = Pistache::Http;

// A response header whose name is chosen at run time; Pistache's typed headers cover neither
// problem+json nor our own headers.
class DynamicHeader final : public Http::Header::Header {
 public:
  DynamicHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& stream) const override { stream << value_; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return std::hash<std::string>()(name_); }
#endif

 private:
  std::string name_;
  std::string value_;
};

Method FromPistache(Http::Method method) {
  switch (method) {
    case Http::Method::Get: return Method::kGet;
    case Http::Method::Head: return Method::kHead;
    case Http::Method::Post: return Method::kPost;
    case Http::Method::Put: return Method::kPut;
    case Http::Method::Patch: return Method::kPatch;
    case Http::Method::Delete: return Method::kDelete;
    case Http::Method::Options: return Method::kOptions;
    case Http::Method::Trace: return Method::kTrace;
    case Http::Method::Connect: return Method::kConnect;
  }
  return Method::kGet;
}

// Whether the client asked to close after this exchange (RFC 9112 §9.3): "close" among the
// Connection options, or HTTP/1.0 without "keep-alive".
bool WantsClose(const Request& request, Http::Version version) {
  const auto connection = request.Header("connection");
  const std::string options = connection ? domain::AsciiLower(*connection) : std::string();
  if (options.find("close") != std::string::npos) return true;
  if (version == Http::Version::Http10) return options.find("keep-alive") == std::string::npos;
  return false;
}

class TopLevelHandler final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(TopLevelHandler)

  explicit TopLevelHandler(Pipeline* pipeline) : pipeline_(pipeline) {}

  void onRequest(const Http::Request& pistache_request, Http::ResponseWriter writer) override {
    Request request;
    request.method = FromPistache(pistache_request.method());
    request.path = pistache_request.resource();
    const auto& query = pistache_request.query();
    for (auto it = query.parameters_begin(); it != query.parameters_end(); ++it) {
      request.query.emplace(PercentDecode(it->first), PercentDecode(it->second));
    }
    for (const auto& [name, raw] : pistache_request.headers().rawList()) {
      request.headers.emplace_back(domain::AsciiLower(name), raw.value());
    }
    request.body = pistache_request.body();
    request.remote_address = pistache_request.address().host();

    Response response = pipeline_->Handle(request);
    const bool close = WantsClose(request, pistache_request.version());

    // Pistache has already put its own (wrong) Connection header on the writer; adding another
    // would be ignored, so replace it.
    auto& headers = writer.headers();
    headers.remove("Connection");
    headers.add(std::make_shared<DynamicHeader>("Connection", close ? "close" : "keep-alive"));
    if (!response.content_type.empty()) {
      headers.add(std::make_shared<DynamicHeader>("Content-Type", response.content_type));
    }
    for (auto& [name, value] : response.headers) {
      headers.add(std::make_shared<DynamicHeader>(name, value));
    }
    auto peer = writer.getPeer();
    // A HEAD response carries no body (RFC 9110 §9.3.2).
    if (request.method == Method::kHead) response.body.clear();
    auto sent = writer.send(static_cast<Http::Code>(response.status), response.body);
    if (close && peer) {
      // Shut the socket once the response is on the wire: the client sees EOF and Pistache's
      // reactor reaps the connection.
      const int fd = peer->fd();
      std::weak_ptr<Pistache::Tcp::Peer> weak = peer;
      sent.then(
          [fd, weak](ssize_t) {
            if (weak.lock()) ::shutdown(fd, SHUT_RDWR);
          },
          [fd, weak](std::exception_ptr) {
            if (weak.lock()) ::shutdown(fd, SHUT_RDWR);
          });
    }
  }

 private:
  Pipeline* pipeline_;
};

}  // namespace

Server::Server(ServerOptions options, Pipeline& pipeline)
    : options_(std::move(options)), pipeline_(pipeline) {}

Server::~Server() {
  if (endpoint_) Shutdown();
}

void Server::Start() {
  Pistache::Address address(options_.bind, Pistache::Port(options_.port));
  endpoint_ = std::make_unique<Http::Endpoint>(address);
  auto endpoint_options = Http::Endpoint::options()
                              .threads(options_.threads)
                              .flags(Pistache::Tcp::Options::ReuseAddr)
                              .maxRequestSize(options_.max_request_bytes)
                              .maxResponseSize(options_.max_request_bytes)
                              .headerTimeout(options_.header_timeout)
                              .bodyTimeout(options_.body_timeout)
                              .keepaliveTimeout(options_.keepalive_timeout);
  endpoint_->init(endpoint_options);
  endpoint_->setHandler(Http::make_handler<TopLevelHandler>(&pipeline_));
  endpoint_->serveThreaded();
}

void Server::Shutdown() {
  if (!endpoint_) return;
  endpoint_->shutdown();
  endpoint_.reset();
}

std::uint16_t Server::port() const {
  return endpoint_ ? static_cast<std::uint16_t>(endpoint_->getPort()) : options_.port;
}

}  // namespace coco::api
