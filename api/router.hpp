#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.hpp"

namespace coco::api {

using Handler = std::function<Response(Request&)>;

// Who may reach a route at all; what an authenticated caller may do is decided in the domain.
// kBearerInHandler: the pipeline checks that a bearer token is present and hands it to the
// handler, which authenticates it in the same database round trip as its read (the status read,
// the hot path procurement polls); the handler must authenticate before anything else.
enum class Access { kPublic, kAuthenticated, kBearerInHandler };

// What the route reads from the body: JSON is capped at COCO_MAX_JSON_BYTES by the pipeline, a raw
// body (evidence bytes) only by the transport cap.
enum class Body { kNone, kJson, kRaw };

// kYes: a POST that creates something. The pipeline honours an Idempotency-Key on it (replay,
// reuse and in-use answers) and hands the handler a claim that the write commits with; the
// handler itself does nothing for it (OPERATIONS.md "Abuse and retries").
enum class Creates { kNo, kYes };

struct Route {
  Method method;
  std::string pattern;  // "/suppliers/{id}/services"
  Access access;
  Body body;
  Handler handler;
  std::vector<std::string> segments;  // pattern split at '/'; "{id}" marks a parameter
  Creates creates = Creates::kNo;
};

// Path-template routing owned by coco (not Pistache's Rest::Router): every method of every path
// resolves to a handler, a 405 naming the allowed methods, or a 404, with no state changed at run
// time, so there is nothing for worker threads to race on.
class Router {
 public:
  void Add(Method method, std::string pattern, Access access, Body body, Handler handler);
  // A route that creates something (only kAuthenticated routes: the key is scoped per caller).
  void Add(Method method, std::string pattern, Access access, Body body, Creates creates,
           Handler handler);

  struct Match {
    const Route* route = nullptr;  // null: 404 if `allowed` is empty, else 405
    std::map<std::string, std::string> params;
    std::vector<Method> allowed;
  };
  Match Find(Method method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace coco::api
