// The ceiling coco's HTTP figures are compared with: Pistache with the same endpoint options and
// the same keep-alive handling as coco, and nothing else — no routing, authentication, logging or
// JSON. `fixed` answers a constant JSON body; `pk` runs one prepared primary-key query
// (SELECT ... FROM users WHERE id = $1) on a pool as large as the worker count.
//
// `supplier` runs the same kind of query with the id taken from the path (/suppliers/{id}/...):
// the ceiling of a read keyed by a random id, as the status benchmark sends.
//
// `body` answers the length of the request body it was sent (the raw rate of reading uploads).
//
//   coco_bench_ceiling fixed PORT THREADS
//   coco_bench_ceiling body PORT THREADS
//   coco_bench_ceiling pk PORT THREADS DATABASE_URL USER_ID
//   coco_bench_ceiling supplier PORT THREADS DATABASE_URL
#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "persistence/connection_pool.hpp"
#include "persistence/transaction.hpp"

namespace {

namespace Http = Pistache::Http;

class KeepAliveHeader final : public Http::Header::Header {
 public:
  const char* name() const override { return "Connection"; }
  void write(std::ostream& stream) const override { stream << "keep-alive"; }
#ifdef SAFE_HEADER_CAST
  uint64_t hash() const override { return 1; }
#endif
};

class CeilingHandler final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(CeilingHandler)
  CeilingHandler(coco::persistence::ConnectionPool* pool, std::string user_id, bool body,
                 bool id_from_path)
      : pool_(pool), user_id_(std::move(user_id)), body_(body), id_from_path_(id_from_path) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    writer.headers().remove("Connection");
    writer.headers().add(std::make_shared<KeepAliveHeader>());
    if (body_) {
      const std::string received = request.body();
      writer.send(Http::Code::Ok, "{\"size\":" + std::to_string(received.size()) + "}",
                  MIME(Application, Json));
      return;
    }
    if (pool_ == nullptr) {
      writer.send(Http::Code::Ok, R"({"status":"ok"})", MIME(Application, Json));
      return;
    }
    // One autocommit statement: one round trip, the least a database read can cost.
    std::string id = user_id_;
    if (id_from_path_) {
      const std::string& path = request.resource();  // /suppliers/{id}/...
      const auto start = path.find('/', 1) + 1;
      id = path.substr(start, path.find('/', start) - start);
    }
    const std::string name =
        coco::persistence::WithSingleRead(*pool_, [&](pqxx::nontransaction& tx) {
          const auto rows = tx.exec_prepared("ceiling_read", id);
          return rows.empty() ? std::string() : rows[0][0].as<std::string>();
        });
    writer.send(Http::Code::Ok, "{\"name\":\"" + name + "\"}", MIME(Application, Json));
  }

 private:
  coco::persistence::ConnectionPool* pool_;
  std::string user_id_;
  bool body_;
  bool id_from_path_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: coco_bench_ceiling fixed|body|pk|supplier PORT THREADS [DATABASE_URL "
                 "[USER_ID]]\n";
    return 2;
  }
  const std::string mode = argv[1];
  const int port = std::atoi(argv[2]);
  const int threads = std::atoi(argv[3]);
  std::unique_ptr<coco::persistence::ConnectionPool> pool;
  std::string user_id;
  if (mode == "pk") {
    if (argc < 6) return 2;
    pool = std::make_unique<coco::persistence::ConnectionPool>(
        coco::persistence::PoolOptions{argv[4], threads});
    pool->Use([](pqxx::connection& c) {
      c.prepare("ceiling_read", "SELECT name FROM users WHERE id = $1");
    });
    user_id = argv[5];
  } else if (mode == "supplier") {
    if (argc < 5) return 2;
    pool = std::make_unique<coco::persistence::ConnectionPool>(
        coco::persistence::PoolOptions{argv[4], threads});
    pool->Use([](pqxx::connection& c) {
      c.prepare("ceiling_read", "SELECT name FROM suppliers WHERE id = $1");
    });
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Http::Endpoint endpoint(Pistache::Address("127.0.0.1", Pistache::Port(port)));
  endpoint.init(Http::Endpoint::options()
                    .threads(threads)
                    .flags(Pistache::Tcp::Options::ReuseAddr)
                    .maxRequestSize(64u << 20)
                    .keepaliveTimeout(std::chrono::seconds(60)));
  endpoint.setHandler(
      Http::make_handler<CeilingHandler>(pool.get(), user_id, mode == "body", mode == "supplier"));
  endpoint.serveThreaded();
  std::cerr << "ceiling listening on " << port << "\n";
  int received = 0;
  sigwait(&signals, &received);
  endpoint.shutdown();
  return 0;
}
