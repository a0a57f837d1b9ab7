#include "api/http_parser.hpp"

#include <algorithm>
#include <map>

namespace coco::api {
namespace {

// tchar (RFC 9110 §5.6.2).
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

// field-value bytes (RFC 9110 §5.5): visible ASCII, space, tab and obs-text. No CR, LF, NUL or
// other controls.
bool IsFieldValue(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == '\t' || byte == ' ' || (byte >= 0x21 && byte != 0x7f)) continue;
    return false;
  }
  return true;
}

std::string_view TrimWhitespace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The comma-separated elements of a list header, lower-cased and trimmed.
std::vector<std::string> ListElements(std::string_view value) {
  std::vector<std::string> elements;
  while (true) {
    const auto comma = value.find(',');
    const std::string_view element = TrimWhitespace(value.substr(0, comma));
    if (!element.empty()) elements.push_back(Lower(element));
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return elements;
}

bool ParseMethod(std::string_view text, Method& method) {
  for (Method candidate : kAllMethods) {
    if (ToString(candidate) == text) {
      method = candidate;
      return true;
    }
  }
  return false;
}

// 1*DIGIT without overflow; false for anything else (a sign, a space, a list, 2^64 or more).
bool ParseDecimal(std::string_view text, std::uint64_t& value) {
  if (text.empty()) return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return false;
    value = value * 10 + digit;
  }
  return true;
}

// 1*HEXDIG without overflow.
bool ParseHex(std::string_view text, std::uint64_t& value) {
  if (text.empty() || text.size() > 16) return false;
  value = 0;
  for (char c : text) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    value = (value << 4) | static_cast<std::uint64_t>(digit);
  }
  return true;
}

constexpr std::size_t kMaxChunkLineBytes = 1024;  // a chunk size with its extensions
constexpr std::size_t kMaxEmptyLinesBeforeRequest = 4;
constexpr std::size_t kReserveAfterBytes = 16 * 1024;

}  // namespace

std::map<std::string, std::string> ParseQueryString(std::string_view query) {
  std::map<std::string, std::string> parameters;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view segment = query.substr(0, amp);
    if (!segment.empty()) {
      const auto equals = segment.find('=');
      std::string name = PercentDecode(segment.substr(0, equals));
      std::string value = equals == std::string_view::npos
                              ? std::string()
                              : PercentDecode(segment.substr(equals + 1));
      parameters.emplace(std::move(name), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return parameters;
}

HttpRequestParser::HttpRequestParser(HttpLimits limits) : limits_(limits) {}

void HttpRequestParser::Refuse(int status, std::string_view code, std::string_view detail) {
  state_ = State::kRefused;
  refusal_ = HttpRefusal{status, code, detail};
}

std::size_t HttpRequestParser::Feed(std::string_view data) {
  std::size_t used = 0;
  while (used < data.size()) {
    switch (state_) {
      case State::kIdle:
        state_ = State::kHead;
        [[fallthrough]];
      case State::kHead:
        used += FeedHead(data.substr(used));
        break;
      case State::kBody:
        used += FeedBody(data.substr(used));
        break;
      case State::kComplete:
      case State::kRefused:
        return used;
    }
  }
  return used;
}

ParsedRequest HttpRequestParser::TakeRequest() {
  ParsedRequest taken = std::move(request_);
  request_ = ParsedRequest{};
  state_ = State::kIdle;
  line_.clear();
  seen_request_line_ = false;
  head_bytes_ = 0;
  header_count_ = 0;
  framing_ = BodyFraming::kNone;
  remaining_ = 0;
  chunk_step_ = ChunkStep::kSize;
  return taken;
}

// Appends bytes of `data` from `used` to `line` until a line feed, advancing `used`. `complete`
// tells whether the line ended (its CRLF consumed and stripped). Returns false when the line grew
// past `limit` bytes before its CRLF. A line must end in CRLF: a bare LF becomes a NUL, which
// every line check refuses, as it refuses a CR anywhere else.
bool HttpRequestParser::TakeLine(std::string_view data, std::size_t& used, std::size_t limit,
                                 std::string& line, bool& complete) {
  const auto newline = data.find('\n', used);
  const std::size_t end = newline == std::string_view::npos ? data.size() : newline + 1;
  line.append(data.data() + used, end - used);
  used = end;
  complete = newline != std::string_view::npos;
  if (line.size() > limit + 2) return false;
  if (complete) {
    if (line.size() >= 2 && line[line.size() - 2] == '\r') {
      line.resize(line.size() - 2);
    } else {
      line.back() = '\0';
    }
  }
  return true;
}

std::size_t HttpRequestParser::FeedHead(std::string_view data) {
  std::size_t used = 0;
  while (used < data.size() && state_ == State::kHead) {
    bool complete = false;
    if (!seen_request_line_) {
      if (!TakeLine(data, used, limits_.max_request_line_bytes, line_, complete)) {
        Refuse(414, "uri_too_long", "The request line is longer than this server accepts.");
        break;
      }
      if (!complete) break;
      if (line_.empty()) {
        // RFC 9112 §2.2: empty lines before a request line are ignored, a few of them.
        if (++header_count_ > kMaxEmptyLinesBeforeRequest) {
          Refuse(400, "malformed_request", "The request does not start with a request line.");
        }
        continue;
      }
      header_count_ = 0;
      seen_request_line_ = true;
      RequestLine(line_);
      line_.clear();
      continue;
    }
    std::pair<std::string, std::string> field;
    const FieldLine taken = TakeFieldLine(data, used, field);
    if (taken == FieldLine::kIncomplete) break;
    if (taken == FieldLine::kEnd) EndOfHead();
    if (taken == FieldLine::kField) request_.headers.push_back(std::move(field));
  }
  return used;
}

void HttpRequestParser::RequestLine(std::string_view line) {
  const auto first_space = line.find(' ');
  const auto last_space = line.rfind(' ');
  if (first_space == std::string_view::npos || first_space == last_space) {
    Refuse(400, "malformed_request", "The request line is not \"METHOD target HTTP/1.1\".");
    return;
  }
  const std::string_view method = line.substr(0, first_space);
  const std::string_view target = line.substr(first_space + 1, last_space - first_space - 1);
  const std::string_view version = line.substr(last_space + 1);

  if (!IsToken(method)) {
    Refuse(400, "malformed_request", "The request method is not a token.");
    return;
  }
  if (version == "HTTP/1.1") {
    request_.http10 = false;
  } else if (version == "HTTP/1.0") {
    request_.http10 = true;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[5] >= '0' &&
             version[5] <= '9' && version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
    Refuse(505, "http_version_not_supported", "This server speaks HTTP/1.1 and HTTP/1.0 only.");
    return;
  } else {
    Refuse(400, "malformed_request", "The request line does not end in an HTTP version.");
    return;
  }
  // origin-form only (RFC 9112 §3.2.1): what clients and proxies send to an origin server.
  if (target.empty() || target.front() != '/' ||
      !std::all_of(target.begin(), target.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x21 && byte <= 0x7e && c != '#';
      })) {
    Refuse(400, "malformed_request", "The request target must be a path such as /suppliers.");
    return;
  }
  if (!ParseMethod(method, request_.method)) {
    Refuse(501, "method_not_implemented", "This server does not implement that method.");
    return;
  }
  const auto question = target.find('?');
  request_.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos)
    request_.query_string = std::string(target.substr(question + 1));
}

HttpRequestParser::FieldLine HttpRequestParser::TakeFieldLine(
    std::string_view data, std::size_t& used, std::pair<std::string, std::string>& field) {
  bool complete = false;
  const std::size_t before = used;
  const bool fits = TakeLine(data, used, limits_.max_header_bytes, line_, complete);
  head_bytes_ += used - before;
  if (!fits || head_bytes_ > limits_.max_header_bytes + 2) {
    Refuse(431, "request_header_fields_too_large",
           "The request's header or trailer section is larger than this server accepts.");
    return FieldLine::kRefused;
  }
  if (!complete) return FieldLine::kIncomplete;
  const FieldLine result = ParseFieldLine(line_, field);
  line_.clear();  // keeps its capacity for the next line
  return result;
}

HttpRequestParser::FieldLine HttpRequestParser::ParseFieldLine(
    std::string_view line, std::pair<std::string, std::string>& field) {
  if (line.empty()) return FieldLine::kEnd;
  if (++header_count_ > limits_.max_header_count) {
    Refuse(431, "request_header_fields_too_large",
           "The request has more header or trailer fields than this server accepts.");
    return FieldLine::kRefused;
  }
  if (line.front() == ' ' || line.front() == '\t') {
    // obs-fold (RFC 9112 §5.2): a server must refuse it or unfold it; refusing is safer.
    Refuse(400, "malformed_request", "Folded header lines are not accepted.");
    return FieldLine::kRefused;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
    // Includes whitespace between the name and the colon (RFC 9112 §5.1).
    Refuse(400, "malformed_request", "A header line is not \"Name: value\".");
    return FieldLine::kRefused;
  }
  const std::string_view value = TrimWhitespace(line.substr(colon + 1));
  if (!IsFieldValue(value)) {
    Refuse(400, "malformed_request", "A header value holds a control character.");
    return FieldLine::kRefused;
  }
  field = {Lower(line.substr(0, colon)), std::string(value)};
  return FieldLine::kField;
}

void HttpRequestParser::EndOfHead() {
  int hosts = 0;
  int lengths = 0;
  int encodings = 0;
  std::string_view length_value;
  std::string_view encoding_value;
  bool close = false;
  bool keep_alive = false;
  for (const auto& [name, value] : request_.headers) {
    if (name == "host") {
      ++hosts;
    } else if (name == "content-length") {
      ++lengths;
      length_value = value;
    } else if (name == "transfer-encoding") {
      ++encodings;
      encoding_value = value;
    } else if (name == "connection") {
      for (const auto& option : ListElements(value)) {
        if (option == "close") close = true;
        if (option == "keep-alive") keep_alive = true;
      }
    } else if (name == "expect") {
      if (Lower(value) != "100-continue") {
        Refuse(417, "expectation_failed",
               "The only expectation this server meets is 100-continue.");
        return;
      }
      request_.expects_continue = true;
    }
  }
  if (hosts > 1 || (hosts == 0 && !request_.http10)) {
    Refuse(400, "malformed_request", "An HTTP/1.1 request needs exactly one Host header.");
    return;
  }
  // RFC 9112 §6.3: two lengths, or a length beside a transfer coding, are how requests get
  // smuggled past a proxy; refuse rather than pick one.
  if (lengths > 1) {
    Refuse(400, "malformed_request", "The request has more than one Content-Length.");
    return;
  }
  if (lengths == 1 && encodings > 0) {
    Refuse(400, "malformed_request", "The request has both Content-Length and Transfer-Encoding.");
    return;
  }
  if (encodings > 0) {
    if (request_.http10) {
      Refuse(400, "malformed_request", "HTTP/1.0 has no Transfer-Encoding.");
      return;
    }
    const auto codings = ListElements(encoding_value);
    if (encodings > 1 || codings.empty() || codings.back() != "chunked") {
      Refuse(400, "malformed_request",
             "The body's length cannot be determined from Transfer-Encoding.");
      return;
    }
    if (codings.size() != 1) {
      Refuse(501, "unsupported_transfer_encoding", "The only transfer coding accepted is chunked.");
      return;
    }
    framing_ = BodyFraming::kChunked;
  } else if (lengths == 1) {
    std::uint64_t length = 0;
    if (!ParseDecimal(length_value, length)) {
      Refuse(400, "malformed_request", "Content-Length must be a non-negative decimal number.");
      return;
    }
    if (length > limits_.max_body_bytes) {
      Refuse(413, "payload_too_large", "The request body is larger than this server accepts.");
      return;
    }
    framing_ = length > 0 ? BodyFraming::kLength : BodyFraming::kNone;
    remaining_ = length;
  }
  request_.keep_alive = request_.http10 ? (keep_alive && !close) : !close;
  if (framing_ == BodyFraming::kNone) {
    state_ = State::kComplete;
    return;
  }
  state_ = State::kBody;
  header_count_ = 0;
  head_bytes_ = 0;
}

std::size_t HttpRequestParser::FeedBody(std::string_view data) {
  if (framing_ == BodyFraming::kChunked) return FeedChunked(data);
  const std::size_t take =
      static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size()));
  // The whole length is reserved once a real part of the body has arrived (16 KiB), not on the
  // claim alone: a Content-Length with nothing behind it must not make the server hold memory.
  const std::size_t will_hold = request_.body.size() + take;
  if (will_hold >= kReserveAfterBytes && request_.body.capacity() < will_hold) {
    request_.body.reserve(static_cast<std::size_t>(request_.body.size() + remaining_));
  }
  request_.body.append(data.data(), take);
  remaining_ -= take;
  if (remaining_ == 0) state_ = State::kComplete;
  return take;
}

std::size_t HttpRequestParser::FeedChunked(std::string_view data) {
  std::size_t used = 0;
  while (used < data.size() && state_ == State::kBody) {
    bool complete = false;
    switch (chunk_step_) {
      case ChunkStep::kSize:
        if (!TakeLine(data, used, kMaxChunkLineBytes, line_, complete)) {
          Refuse(400, "malformed_request", "A chunk size line is too long.");
          break;
        }
        if (!complete) break;
        ChunkSizeLine(line_);
        line_.clear();
        break;
      case ChunkStep::kData: {
        const std::size_t take =
            static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, data.size() - used));
        request_.body.append(data.data() + used, take);
        used += take;
        remaining_ -= take;
        if (remaining_ == 0) chunk_step_ = ChunkStep::kDataEnd;
        break;
      }
      case ChunkStep::kDataEnd:
        if (!TakeLine(data, used, 0, line_, complete)) {
          Refuse(400, "malformed_request", "A chunk is longer than its size says.");
          break;
        }
        if (!complete) break;
        if (!line_.empty()) {
          Refuse(400, "malformed_request", "A chunk is longer than its size says.");
          break;
        }
        chunk_step_ = ChunkStep::kSize;
        break;
      case ChunkStep::kTrailer: {
        std::pair<std::string, std::string> field;
        // Trailer fields are read, held to the header limits, and dropped.
        if (TakeFieldLine(data, used, field) == FieldLine::kEnd) state_ = State::kComplete;
        break;
      }
    }
  }
  return used;
}

void HttpRequestParser::ChunkSizeLine(std::string_view line) {
  // chunk-size [ chunk-ext ]: the extensions are allowed and ignored.
  const auto extension = line.find(';');
  const std::string_view size_text = TrimWhitespace(line.substr(0, extension));
  std::uint64_t size = 0;
  if (!ParseHex(size_text, size) || !IsFieldValue(line)) {
    Refuse(400, "malformed_request", "A chunk size is not a hexadecimal number.");
    return;
  }
  if (size > limits_.max_body_bytes - request_.body.size()) {
    Refuse(413, "payload_too_large", "The request body is larger than this server accepts.");
    return;
  }
  if (size == 0) {
    chunk_step_ = ChunkStep::kTrailer;
    return;
  }
  remaining_ = size;
  chunk_step_ = ChunkStep::kData;
}

}  // namespace coco::api
