#include "api/server.hpp"

#include <pistache/async.h>
#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace coco::api {
namespace {

namespace Http = Pistache::Http;
namespace Tcp = Pistache::Tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kSweepInterval = std::chrono::milliseconds(500);
// Pistache's own idle-peer check answers a bare 408, or closes silently, after its timeouts;
// coco keeps its own clocks (Sweep below), so Pistache's are set out of reach.
constexpr auto kPistacheTimeoutsOff = std::chrono::hours(24 * 30);
constexpr const char* kConnectionData = "coco.connection";

// One client connection, owned by its worker's reactor thread: nothing here is shared across
// threads.
struct Connection : std::enable_shared_from_this<Connection> {
  explicit Connection(const HttpLimits& limits) : parser(limits) {}

  HttpRequestParser parser;
  std::weak_ptr<Tcp::Peer> peer;
  int fd = -1;
  std::string remote_address;
  // Idle: since the last response. Head: since the request's first byte. Body: since the head
  // ended. Closing: since the closing answer was queued.
  Clock::time_point since = Clock::now();
  bool continue_sent = false;
  bool closing = false;  // the last answer is queued; further bytes are dropped
  // Requests of this connection started and not yet answered on the wire (pipelining makes it
  // more than one).
  int in_flight = 0;
};

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  out.append(name);
  out.append(": ");
  // A value comes from coco's own code, but one built from stored text (a file name) must never
  // split the header section.
  for (char c : value) out.push_back(c == '\r' || c == '\n' || c == '\0' ? ' ' : c);
  out.append("\r\n");
}

std::string Serialize(const Response& response, bool head, bool close) {
  std::string out;
  out.reserve(256 + (head ? 0 : response.body.size()));
  out.append("HTTP/1.1 ");
  out.append(std::to_string(response.status));
  out.push_back(' ');
  out.append(ReasonPhrase(response.status));
  out.append("\r\n");
  if (!response.content_type.empty()) AppendHeader(out, "Content-Type", response.content_type);
  for (const auto& [name, value] : response.headers) AppendHeader(out, name, value);
  // A HEAD answer carries the length the GET body would have, without the body (RFC 9110 §9.3.2).
  if (response.status != 204 && response.status != 304) {
    AppendHeader(out, "Content-Length", std::to_string(response.body.size()));
  }
  AppendHeader(out, "Connection", close ? "close" : "keep-alive");
  out.append("\r\n");
  if (!head) out.append(response.body);
  return out;
}

}  // namespace

// Shared by the workers and the thread that stops the server.
struct ServerState {
  std::atomic<bool> draining{false};
  std::atomic<int> in_flight{0};
};

// Twice a second asks every worker to look at its connections' clocks. The look itself runs on
// the worker's reactor thread (a one-shot Pistache timer armed from here), so connection state
// stays single-threaded.
class Sweeper {
 public:
  ~Sweeper() { Stop(); }

  // `sweep` asks one worker to look at its connections (TopLevelHandler::ScheduleSweep).
  void Register(std::function<void()> sweep) {
    std::lock_guard lock(mutex_);
    sweeps_.push_back(std::move(sweep));
  }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::vector<std::function<void()>> sweeps_;
  std::thread thread_;
};

namespace {

class TopLevelHandler final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(TopLevelHandler)

  TopLevelHandler(Pipeline* pipeline, const ServerOptions& options,
                  std::shared_ptr<Sweeper> sweeper, std::shared_ptr<ServerState> state)
      : pipeline_(pipeline),
        options_(options),
        sweeper_(std::move(sweeper)),
        state_(std::move(state)) {}

  // Never called: onInput below is coco's and hands requests to the pipeline itself.
  void onRequest(const Http::Request&, Http::ResponseWriter) override {}

  void onConnection(const std::shared_ptr<Tcp::Peer>& peer) override {
    // Pistache's idle-peer check reads a parser from every peer; this one is never fed.
    peer->putData(ParserData, std::make_shared<Http::RequestParser>(0));
    auto connection = std::make_shared<Connection>(options_.limits);
    connection->peer = peer;
    connection->fd = peer->fd();
    connection->remote_address = peer->address().host();
    peer->putData(kConnectionData, connection);
    connections_.emplace(connection.get(), connection);
    if (!registered_) {
      registered_ = true;
      sweeper_->Register([this] { ScheduleSweep(); });
    }
  }

  void onDisconnection(const std::shared_ptr<Tcp::Peer>& peer) override {
    auto connection = std::static_pointer_cast<Connection>(peer->tryGetData(kConnectionData));
    if (!connection) return;
    Finished(*connection, connection->in_flight);
    connections_.erase(connection.get());
  }

  void onInput(const char* buffer, size_t length, const std::shared_ptr<Tcp::Peer>& peer) override {
    auto connection = std::static_pointer_cast<Connection>(peer->tryGetData(kConnectionData));
    if (!connection || connection->closing) return;  // lingering: the bytes are dropped
    try {
      Consume(*connection, peer, std::string_view(buffer, length));
    } catch (...) {
      // Out of memory while building an answer: nothing sensible can be sent.
      connection->closing = true;
      ::shutdown(connection->fd, SHUT_RDWR);
    }
  }

  // From the sweeper's thread: runs Sweep() on this worker's reactor thread soon.
  void ScheduleSweep() {
    const int fd = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (fd < 0) return;
    // The continuation is attached before the timer can fire, so it always runs on the reactor.
    Pistache::Async::Deferred<uint64_t> deferred;
    Pistache::Async::Promise<uint64_t> fired(
        [&deferred](Pistache::Async::Deferred<uint64_t> made) { deferred = std::move(made); });
    fired.then(
        [this, fd](uint64_t) {
          ::close(fd);
          Sweep();
        },
        [fd](std::exception_ptr) { ::close(fd); });
    transport()->armTimer(fd, std::chrono::milliseconds(1), std::move(deferred));
  }

 private:
  void Consume(Connection& connection, const std::shared_ptr<Tcp::Peer>& peer,
               std::string_view data) {
    auto& parser = connection.parser;
    while (!data.empty() && !connection.closing) {
      const auto before = parser.state();
      if (before == HttpRequestParser::State::kIdle) {
        connection.since = Clock::now();
        ++connection.in_flight;
        ++state_->in_flight;
      }
      data.remove_prefix(parser.Feed(data));
      switch (parser.state()) {
        case HttpRequestParser::State::kRefused:
          Refuse(connection, peer, parser.refusal().status, parser.refusal().code,
                 parser.refusal().detail);
          return;
        case HttpRequestParser::State::kBody:
          if (before != HttpRequestParser::State::kBody) {
            connection.since = Clock::now();
            // Tell a client that waits for it to send the body (curl does for large uploads).
            if (parser.request().expects_continue && parser.request().body.empty() &&
                !connection.continue_sent) {
              connection.continue_sent = true;
              const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
              peer->send(Pistache::RawBuffer(interim, interim.size()));
            }
          }
          break;
        case HttpRequestParser::State::kComplete:
          Serve(connection, peer, parser.TakeRequest());
          break;
        case HttpRequestParser::State::kIdle:
        case HttpRequestParser::State::kHead:
          break;
      }
    }
  }

  void Serve(Connection& connection, const std::shared_ptr<Tcp::Peer>& peer, ParsedRequest parsed) {
    Request request;
    request.method = parsed.method;
    request.path = std::move(parsed.path);
    request.query = ParseQueryString(parsed.query_string);
    request.headers = std::move(parsed.headers);
    request.body = std::move(parsed.body);
    request.remote_address = connection.remote_address;
    const Response response = pipeline_->Handle(request);
    Send(connection, peer, response, parsed.method == Method::kHead,
         !parsed.keep_alive || state_->draining);
    connection.since = Clock::now();
    connection.continue_sent = false;
  }

  void Refuse(Connection& connection, const std::shared_ptr<Tcp::Peer>& peer, int status,
              std::string_view code, std::string_view detail) {
    Send(connection, peer, pipeline_->Refused(status, code, detail, connection.remote_address),
         false, true);
  }

  // Queues the answer. Closing, the write side is shut once the answer is on the wire, and the
  // client's further bytes are dropped until it closes or the linger time ends (Sweep).
  void Send(Connection& connection, const std::shared_ptr<Tcp::Peer>& peer,
            const Response& response, bool head, bool close) {
    std::string bytes = Serialize(response, head, close);
    const std::size_t size = bytes.size();
    auto sent = peer->send(Pistache::RawBuffer(std::move(bytes), size));
    if (close) {
      connection.closing = true;
      connection.since = Clock::now();
    }
    const int fd = connection.fd;
    std::weak_ptr<Tcp::Peer> weak = peer;
    std::weak_ptr<Connection> weak_connection = connection.weak_from_this();
    sent.then(
        [this, fd, weak, weak_connection, close](ssize_t) {
          if (auto written = weak_connection.lock()) Finished(*written, 1);
          if (close && weak.lock()) ::shutdown(fd, SHUT_WR);
        },
        [this, fd, weak, weak_connection](std::exception_ptr) {
          if (auto written = weak_connection.lock()) Finished(*written, 1);
          if (weak.lock()) ::shutdown(fd, SHUT_RDWR);
        });
  }

  // `count` answers of `connection` are on the wire (or will never be).
  void Finished(Connection& connection, int count) {
    count = std::min(count, connection.in_flight);
    connection.in_flight -= count;
    state_->in_flight -= count;
  }

  // On the reactor thread: the timeouts of every connection of this worker.
  void Sweep() {
    const auto now = Clock::now();
    for (auto it = connections_.begin(); it != connections_.end();) {
      Connection& connection = *it->second;
      auto peer = connection.peer.lock();
      if (!peer) {
        it = connections_.erase(it);
        continue;
      }
      ++it;
      const auto elapsed = now - connection.since;
      if (connection.closing) {
        if (elapsed > options_.linger) ::shutdown(connection.fd, SHUT_RDWR);
        continue;
      }
      switch (connection.parser.state()) {
        case HttpRequestParser::State::kIdle:
          if (elapsed > options_.keepalive_timeout || state_->draining) {
            connection.closing = true;
            ::shutdown(connection.fd, SHUT_RDWR);
          }
          break;
        case HttpRequestParser::State::kHead:
          if (elapsed > options_.header_timeout) {
            Refuse(connection, peer, 408, "request_timeout",
                   "The request's headers did not arrive in time.");
          }
          break;
        case HttpRequestParser::State::kBody:
          if (elapsed > options_.body_timeout) {
            Refuse(connection, peer, 408, "request_timeout",
                   "The request's body did not arrive in time.");
          }
          break;
        case HttpRequestParser::State::kComplete:
        case HttpRequestParser::State::kRefused:
          break;
      }
    }
  }

  Pipeline* pipeline_;
  ServerOptions options_;
  std::shared_ptr<Sweeper> sweeper_;
  std::shared_ptr<ServerState> state_;
  // This worker's connections (each clone of the handler serves one worker).
  std::unordered_map<Connection*, std::shared_ptr<Connection>> connections_;
  bool registered_ = false;
};

}  // namespace

void Sweeper::Run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, kSweepInterval);
    if (stop_) break;
    for (const auto& sweep : sweeps_) sweep();
  }
}

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
                              .headerTimeout(kPistacheTimeoutsOff)
                              .bodyTimeout(kPistacheTimeoutsOff)
                              .keepaliveTimeout(kPistacheTimeoutsOff);
  endpoint_->init(endpoint_options);
  sweeper_ = std::make_shared<Sweeper>();
  state_ = std::make_shared<ServerState>();
  endpoint_->setHandler(
      Http::make_handler<TopLevelHandler>(&pipeline_, options_, sweeper_, state_));
  endpoint_->serveThreaded();
  sweeper_->Start();
}

void Server::BeginDrain() {
  if (state_) state_->draining = true;
}

bool Server::Drain(std::chrono::milliseconds deadline) {
  if (!state_) return true;
  BeginDrain();
  const auto until = Clock::now() + deadline;
  // The workers close idle connections on their next sweep; what is left is work in flight.
  while (state_->in_flight.load() > 0) {
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

int Server::InFlight() const { return state_ ? state_->in_flight.load() : 0; }

void Server::Shutdown() {
  if (!endpoint_) return;
  sweeper_->Stop();
  endpoint_->shutdown();
  endpoint_.reset();
}

std::uint16_t Server::port() const {
  return endpoint_ ? static_cast<std::uint16_t>(endpoint_->getPort()) : options_.port;
}

}  // namespace coco::api
