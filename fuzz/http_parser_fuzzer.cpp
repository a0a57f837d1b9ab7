// coco's HTTP/1.1 request parser (api/http_parser.hpp), which reads every byte a client sends;
// Pistache 0.0.5's own parser is no longer in the input path (docs/decisions.md, HTTP).
// Input: one byte choosing the limits (the server's defaults or tiny ones), one byte giving how
// many split points follow, the split points, then the byte stream of one connection. The
// stream is fed the way the server does (Feed, TakeRequest after each complete request, the
// rest fed again), in three ways: in the pieces the split points make, whole, and byte by byte.
//   - Feed never uses more than it is given, and uses everything unless it stops at a complete
//     request or a refusal; a refused parser takes nothing more;
//   - a complete request has a path starting with '/', lower-case header names, no control
//     characters in header values, a body within the limit and, with Content-Length, exactly
//     that long;
//   - a refusal's status is 400, 408, 413, 414, 417, 431, 501 or 505, its code and detail fixed
//     text of the parser (never bytes of the input);
//   - all three ways of feeding give the same requests and the same final outcome.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_parser.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using coco::api::HttpLimits;
using coco::api::HttpRequestParser;
using coco::api::ParsedRequest;
using State = HttpRequestParser::State;

struct Outcome {
  std::vector<ParsedRequest> requests;
  State state = State::kIdle;
  int status = 0;
  std::string code;
  std::string detail;
};

bool SameRequest(const ParsedRequest& a, const ParsedRequest& b) {
  return a.method == b.method && a.path == b.path && a.query_string == b.query_string &&
         a.http10 == b.http10 && a.headers == b.headers && a.body == b.body &&
         a.keep_alive == b.keep_alive && a.expects_continue == b.expects_continue;
}

bool Same(const Outcome& a, const Outcome& b) {
  if (a.requests.size() != b.requests.size()) return false;
  for (std::size_t i = 0; i < a.requests.size(); ++i) {
    if (!SameRequest(a.requests[i], b.requests[i])) return false;
  }
  // A stream that ends mid-request may stop in kHead or kBody either way; the rest must agree.
  return a.state == b.state && a.status == b.status && a.code == b.code && a.detail == b.detail;
}

bool IsPrintableText(std::string_view text) {
  for (char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

void CheckRequest(const ParsedRequest& request, const HttpLimits& limits) {
  FUZZ_CHECK(!request.path.empty() && request.path.front() == '/');
  FUZZ_CHECK(request.body.size() <= limits.max_body_bytes);
  FUZZ_CHECK(request.headers.size() <= limits.max_header_count);
  for (const auto& [name, value] : request.headers) {
    FUZZ_CHECK(!name.empty());
    for (char c : name) FUZZ_CHECK(!(c >= 'A' && c <= 'Z') && c > 0x20 && c < 0x7f && c != ':');
    for (char c : value) FUZZ_CHECK(c != '\r' && c != '\n' && c != '\0');
    if (name == "content-length") FUZZ_CHECK(std::stoull(value) == request.body.size());
  }
}

void CheckRefusal(const HttpRequestParser& parser, std::string_view input) {
  const auto& refusal = parser.refusal();
  const int status = refusal.status;
  FUZZ_CHECK(status == 400 || status == 408 || status == 413 || status == 414 || status == 417 ||
             status == 431 || status == 501 || status == 505);
  FUZZ_CHECK(!refusal.code.empty() && IsPrintableText(refusal.code));
  FUZZ_CHECK(!refusal.detail.empty() && IsPrintableText(refusal.detail));
  FUZZ_CHECK(refusal.detail.back() == '.');
  // The code and detail are the parser's own text, not a view of the bytes it was given.
  const auto outside = [&](std::string_view text) {
    return text.data() + text.size() <= input.data() || text.data() >= input.data() + input.size();
  };
  FUZZ_CHECK(outside(refusal.code) && outside(refusal.detail));
}

// Feeds `input` in pieces ending at `cuts` (ascending offsets), like the server's input loop.
Outcome Run(std::string_view input, const std::vector<std::size_t>& cuts,
            const HttpLimits& limits) {
  HttpRequestParser parser(limits);
  Outcome outcome;
  std::size_t start = 0;
  for (std::size_t cut_index = 0; cut_index <= cuts.size(); ++cut_index) {
    const std::size_t end = cut_index < cuts.size() ? cuts[cut_index] : input.size();
    std::string_view piece = input.substr(start, end - start);
    start = end;
    while (true) {
      const State before = parser.state();
      const std::size_t used = parser.Feed(piece);
      FUZZ_CHECK(used <= piece.size());
      if (before == State::kRefused) FUZZ_CHECK(used == 0);
      piece.remove_prefix(used);
      const State state = parser.state();
      if (state == State::kComplete) {
        CheckRequest(parser.request(), limits);
        outcome.requests.push_back(parser.TakeRequest());
        FUZZ_CHECK(parser.state() == State::kIdle);
        if (piece.empty()) break;
        continue;
      }
      if (state == State::kRefused) {
        CheckRefusal(parser, input);
        outcome.state = state;
        outcome.status = parser.refusal().status;
        outcome.code = std::string(parser.refusal().code);
        outcome.detail = std::string(parser.refusal().detail);
        FUZZ_CHECK(parser.Feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n") == 0);
        return outcome;
      }
      // Still inside a request: everything given must have been taken.
      FUZZ_CHECK(piece.empty());
      FUZZ_CHECK(state == State::kHead || state == State::kBody ||
                 (state == State::kIdle && used == 0));
      break;
    }
  }
  outcome.state = parser.state();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  coco::fuzz::Bytes bytes(data, size);
  const std::uint8_t mode = bytes.Byte();
  HttpLimits limits;  // the server's defaults
  if (mode & 1) {
    limits.max_request_line_bytes = 16 + mode % 64;
    limits.max_header_count = 1 + mode % 5;
    limits.max_header_bytes = 32 + mode % 128;
    limits.max_body_bytes = mode % 48;
  }
  const std::size_t cut_count = bytes.Byte() % 16;
  std::vector<std::uint8_t> fractions;
  for (std::size_t i = 0; i < cut_count; ++i) fractions.push_back(bytes.Byte());
  const std::string_view input = bytes.Rest();

  std::vector<std::size_t> cuts;
  for (const auto fraction : fractions) cuts.push_back(input.size() * fraction / 256);
  std::sort(cuts.begin(), cuts.end());

  const Outcome pieces = Run(input, cuts, limits);
  const Outcome whole = Run(input, {}, limits);
  FUZZ_CHECK(Same(pieces, whole));
  if (input.size() <= 4096) {
    std::vector<std::size_t> every_byte;
    for (std::size_t i = 1; i < input.size(); ++i) every_byte.push_back(i);
    FUZZ_CHECK(Same(Run(input, every_byte, limits), whole));
  }
  return 0;
}
