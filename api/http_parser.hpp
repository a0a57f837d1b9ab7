#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http.hpp"

// coco's HTTP/1.1 request parser (RFC 9112), in place of Pistache 0.0.5's, which throws its own
// exception text to the client on a negative or overflowing Content-Length, takes the first of two
// Content-Length headers, and has no limit on header count or size. Pure: bytes in, a request or a
// refusal out, no socket, so the fuzzer and the unit tests drive it directly.
namespace coco::api {

// Limits on one request. Each refusal closes the connection: after a framing error the next
// request's start cannot be found safely.
struct HttpLimits {
  std::size_t max_request_line_bytes = 8 * 1024;  // longer: 414
  std::size_t max_header_count = 100;             // more header lines: 431
  std::size_t max_header_bytes = 16 * 1024;       // a larger header section: 431
  std::uint64_t max_body_bytes = 64u << 20;       // a larger body: 413
};

// Why a request was refused: the status, a stable problem code and a fixed sentence. The detail
// never quotes the request's bytes.
struct HttpRefusal {
  int status = 400;
  std::string_view code;
  std::string_view detail;
};

struct ParsedRequest {
  Method method = Method::kGet;
  std::string path;          // the target before '?', as received
  std::string query_string;  // after '?', still percent-encoded; empty when there is none
  bool http10 = false;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, values trimmed
  std::string body;                                          // de-chunked
  bool keep_alive = true;         // false: close after the response (RFC 9112 §9.3)
  bool expects_continue = false;  // "Expect: 100-continue" was sent
};

// Splits a query string at '&' and '=' and percent-decodes names and values; the first value of a
// name wins. Empty segments ("a=1&&b=2") are skipped.
std::map<std::string, std::string> ParseQueryString(std::string_view query);

class HttpRequestParser {
 public:
  enum class State {
    kIdle,      // between requests: no byte of the next one yet
    kHead,      // inside the request line or the header section
    kBody,      // the head is complete and valid; the body is still arriving
    kComplete,  // a whole request is ready: TakeRequest()
    kRefused,   // the request broke a rule or a limit: refusal(); the connection must close
  };

  explicit HttpRequestParser(HttpLimits limits);

  // Consumes bytes of the stream and returns how many it used. It stops at the end of a request
  // (kComplete) or at a refusal (kRefused): the bytes after that are the caller's, to feed again
  // after TakeRequest().
  std::size_t Feed(std::string_view data);

  State state() const { return state_; }
  const HttpRefusal& refusal() const { return refusal_; }
  // Valid from kBody on: the request line and headers.
  const ParsedRequest& request() const { return request_; }

  // Hands over the complete request and gets ready for the next one (kIdle).
  ParsedRequest TakeRequest();

 private:
  enum class BodyFraming { kNone, kLength, kChunked };
  enum class ChunkStep { kSize, kData, kDataEnd, kTrailer };

  std::size_t FeedHead(std::string_view data);
  std::size_t FeedBody(std::string_view data);
  std::size_t FeedChunked(std::string_view data);
  bool TakeLine(std::string_view data, std::size_t& used, std::size_t limit, std::string& line,
                bool& complete);

  void RequestLine(std::string_view line);
  enum class FieldLine { kIncomplete, kEnd, kField, kRefused };
  // One line of a field section (the headers, or a chunked body's trailer), held to the header
  // limits: the end of the section, a field (name lower-cased, value trimmed), or a refusal.
  FieldLine TakeFieldLine(std::string_view data, std::size_t& used,
                          std::pair<std::string, std::string>& field);
  FieldLine ParseFieldLine(std::string_view line, std::pair<std::string, std::string>& field);
  void EndOfHead();
  void ChunkSizeLine(std::string_view line);
  void Refuse(int status, std::string_view code, std::string_view detail);

  HttpLimits limits_;
  State state_ = State::kIdle;
  HttpRefusal refusal_;
  ParsedRequest request_;

  // The line being assembled (request line, header line, chunk size line or trailer line).
  std::string line_;
  bool seen_request_line_ = false;
  std::size_t head_bytes_ = 0;    // bytes of header lines so far (request line excluded)
  std::size_t header_count_ = 0;  // header and trailer lines so far

  BodyFraming framing_ = BodyFraming::kNone;
  std::uint64_t remaining_ = 0;  // body bytes still expected (Content-Length or current chunk)
  ChunkStep chunk_step_ = ChunkStep::kSize;
};

}  // namespace coco::api
