#include "api/router.hpp"

#include <algorithm>

#include "domain/common/error.hpp"

namespace coco::api {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  std::size_t start = 1;
  while (true) {
    const std::size_t end = path.find('/', start);
    segments.push_back(path.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return segments;
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// How well `path` fits `route`: -1 for no match, else the number of literal segments matched, so
// "/standards/{key}" loses to a literal "/standards/search" for the same path.
int Score(const Route& route, const std::vector<std::string_view>& path,
          std::map<std::string, std::string>* params) {
  if (route.segments.size() != path.size()) return -1;
  int literals = 0;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& segment = route.segments[i];
    if (IsParameter(segment)) {
      if (path[i].empty()) return -1;
      if (params != nullptr) {
        (*params)[segment.substr(1, segment.size() - 2)] = PercentDecode(path[i]);
      }
    } else if (segment == path[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  return literals;
}

}  // namespace

void Router::Add(Method method, std::string pattern, Access access, Body body, Handler handler) {
  Add(method, std::move(pattern), access, body, Creates::kNo, std::move(handler));
}

void Router::Add(Method method, std::string pattern, Access access, Body body, Creates creates,
                 Handler handler) {
  if (creates == Creates::kYes && access != Access::kAuthenticated) {
    throw domain::Internal("a creating route must authenticate its caller: " + pattern);
  }
  Route route{method, pattern, access, body, std::move(handler), {}, creates};
  for (auto segment : Split(pattern)) route.segments.emplace_back(segment);
  for (const auto& existing : routes_) {
    if (existing.method == method && existing.pattern == pattern) {
      throw domain::Internal("route registered twice: " + pattern);
    }
  }
  routes_.push_back(std::move(route));
}

Router::Match Router::Find(Method method, std::string_view path) const {
  Match match;
  const auto segments = Split(path);
  if (segments.empty()) return match;
  int best_for_method = -1;
  int best_any = -1;
  for (const auto& route : routes_) {
    const int score = Score(route, segments, nullptr);
    if (score < 0) continue;
    best_any = std::max(best_any, score);
    if (route.method == method && score > best_for_method) {
      best_for_method = score;
      match.route = &route;
    }
  }
  if (match.route != nullptr && best_for_method == best_any) {
    Score(*match.route, segments, &match.params);
    return match;
  }
  // A more literal path exists for other methods: answer 405 for that resource rather than let a
  // parameter route claim it.
  match.route = nullptr;
  if (best_any < 0) return match;
  for (const auto& route : routes_) {
    if (Score(route, segments, nullptr) == best_any &&
        std::find(match.allowed.begin(), match.allowed.end(), route.method) ==
            match.allowed.end()) {
      match.allowed.push_back(route.method);
    }
  }
  return match;
}

}  // namespace coco::api
