#include "api/http_parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coco::api {
namespace {

using State = HttpRequestParser::State;

HttpLimits SmallLimits() {
  HttpLimits limits;
  limits.max_request_line_bytes = 64;
  limits.max_header_count = 5;
  limits.max_header_bytes = 256;
  limits.max_body_bytes = 100;
  return limits;
}

// Feeds the whole text at once; returns the parser for inspection.
HttpRequestParser FeedAll(const std::string& bytes, HttpLimits limits = SmallLimits()) {
  HttpRequestParser parser(limits);
  parser.Feed(bytes);
  return parser;
}

TEST(HttpParser, ASimpleGetIsCompleteWithItsPartsSplit) {
  auto parser = FeedAll(
      "GET /suppliers?limit=2&cursor=a%2Bb HTTP/1.1\r\nHost: x\r\n"
      "X-Thing:  spaced value \t\r\n\r\n");
  ASSERT_EQ(parser.state(), State::kComplete);
  const ParsedRequest request = parser.TakeRequest();
  EXPECT_EQ(request.method, Method::kGet);
  EXPECT_EQ(request.path, "/suppliers");
  EXPECT_EQ(request.query_string, "limit=2&cursor=a%2Bb");
  EXPECT_FALSE(request.http10);
  EXPECT_TRUE(request.keep_alive);
  ASSERT_EQ(request.headers.size(), 2u);
  EXPECT_EQ(request.headers[1].first, "x-thing");
  EXPECT_EQ(request.headers[1].second, "spaced value");
  EXPECT_EQ(parser.state(), State::kIdle);
}

TEST(HttpParser, ConnectionOptionsDecideKeepAlive) {
  EXPECT_FALSE(
      FeedAll("GET / HTTP/1.1\r\nHost: x\r\nConnection: Close\r\n\r\n").request().keep_alive);
  EXPECT_FALSE(FeedAll("GET / HTTP/1.0\r\n\r\n").request().keep_alive);
  EXPECT_TRUE(FeedAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").request().keep_alive);
  EXPECT_TRUE(FeedAll("GET / HTTP/1.1\r\nHost: x\r\nConnection: te, keep-alive\r\n\r\n")
                  .request()
                  .keep_alive);
}

TEST(HttpParser, ByteByByteGivesTheSameRequestAsAllAtOnce) {
  const std::string bytes =
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4;ext=1\r\nabcd\r\n2\r\nef\r\n0\r\nTrailer-Field: t\r\n\r\n";
  HttpRequestParser whole(SmallLimits());
  ASSERT_EQ(whole.Feed(bytes), bytes.size());
  ASSERT_EQ(whole.state(), State::kComplete);

  HttpRequestParser bytewise(SmallLimits());
  for (char c : bytes) {
    ASSERT_NE(bytewise.state(), State::kComplete);
    ASSERT_EQ(bytewise.Feed(std::string_view(&c, 1)), 1u);
  }
  ASSERT_EQ(bytewise.state(), State::kComplete);
  EXPECT_EQ(bytewise.TakeRequest().body, "abcdef");
  EXPECT_EQ(whole.TakeRequest().body, "abcdef");
}

TEST(HttpParser, PipelinedRequestsAreTakenOneAtATime) {
  const std::string first = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
  const std::string second = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
  HttpRequestParser parser(SmallLimits());
  const std::string both = first + second;
  const std::size_t used = parser.Feed(both);
  EXPECT_EQ(used, first.size());
  ASSERT_EQ(parser.state(), State::kComplete);
  EXPECT_EQ(parser.TakeRequest().body, "abc");
  EXPECT_EQ(parser.Feed(std::string_view(both).substr(used)), second.size());
  ASSERT_EQ(parser.state(), State::kComplete);
  EXPECT_EQ(parser.TakeRequest().path, "/b");
}

TEST(HttpParser, TheBodyWaitsForItsLastByte) {
  HttpRequestParser parser(SmallLimits());
  parser.Feed("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nab");
  ASSERT_EQ(parser.state(), State::kBody);
  EXPECT_TRUE(parser.request().expects_continue);
  parser.Feed("cde");
  ASSERT_EQ(parser.state(), State::kComplete);
  EXPECT_EQ(parser.TakeRequest().body, "abcde");
}

TEST(HttpParser, AClaimedLengthAloneHoldsNoMemory) {
  HttpRequestParser parser{HttpLimits{}};
  parser.Feed("PUT /a HTTP/1.1\r\nHost: x\r\nContent-Length: 60000000\r\n\r\nabc");
  ASSERT_EQ(parser.state(), State::kBody);
  EXPECT_LT(parser.request().body.capacity(), 64u * 1024);
  // Once a real part of it has arrived, the whole length is reserved at once.
  parser.Feed(std::string(32 * 1024, 'x'));
  EXPECT_GE(parser.request().body.capacity(), 60000000u);
}

TEST(HttpParser, EmptyLinesBeforeARequestAreSkipped) {
  auto parser = FeedAll("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(parser.state(), State::kComplete);
}

struct Refused {
  const char* name;
  std::string bytes;
  int status;
  const char* code;
};

class HttpParserRefuses : public testing::TestWithParam<Refused> {};

TEST_P(HttpParserRefuses, WithTheRightStatusAndCode) {
  const Refused& c = GetParam();
  auto parser = FeedAll(c.bytes);
  ASSERT_EQ(parser.state(), State::kRefused) << c.name;
  EXPECT_EQ(parser.refusal().status, c.status) << c.name;
  EXPECT_EQ(parser.refusal().code, c.code) << c.name;
  // The sentence never quotes the request.
  EXPECT_EQ(std::string(parser.refusal().detail).find("evil"), std::string::npos);
}

std::string Head(const std::string& headers) {
  return "POST /a HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HttpParserRefuses,
    testing::Values(
        Refused{"negative length", Head("Content-Length: -5\r\n"), 400, "malformed_request"},
        Refused{"overflowing length", Head("Content-Length: 99999999999999999999999\r\n"), 400,
                "malformed_request"},
        Refused{"length with a sign", Head("Content-Length: +5\r\n"), 400, "malformed_request"},
        Refused{"length list", Head("Content-Length: 5, 5\r\n"), 400, "malformed_request"},
        Refused{"empty length", Head("Content-Length:\r\n"), 400, "malformed_request"},
        Refused{"two lengths", Head("Content-Length: 2\r\nContent-Length: 40\r\n"), 400,
                "malformed_request"},
        Refused{"two equal lengths", Head("Content-Length: 2\r\nContent-Length: 2\r\n"), 400,
                "malformed_request"},
        Refused{"length and chunked", Head("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n"),
                400, "malformed_request"},
        Refused{"chunked not last", Head("Transfer-Encoding: chunked, gzip\r\n"), 400,
                "malformed_request"},
        Refused{"two encodings",
                Head("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 400,
                "malformed_request"},
        Refused{"gzip then chunked", Head("Transfer-Encoding: gzip, chunked\r\n"), 501,
                "unsupported_transfer_encoding"},
        Refused{"chunked in 1.0", "POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
                "malformed_request"},
        Refused{"body too large", Head("Content-Length: 101\r\n"), 413, "payload_too_large"},
        Refused{"too many headers", Head("A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n"), 431,
                "request_header_fields_too_large"},
        Refused{"header section too large", Head("A: " + std::string(300, 'a') + "\r\n"), 431,
                "request_header_fields_too_large"},
        Refused{"unfinished huge header", "GET / HTTP/1.1\r\nA: " + std::string(1000, 'a'), 431,
                "request_header_fields_too_large"},
        Refused{"request line too long", "GET /" + std::string(100, 'a') + " HTTP/1.1\r\n", 414,
                "uri_too_long"},
        Refused{"unfinished request line", "GET /" + std::string(100, 'a'), 414, "uri_too_long"},
        Refused{"no host", "GET / HTTP/1.1\r\n\r\n", 400, "malformed_request"},
        Refused{"two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400,
                "malformed_request"},
        Refused{"folded header", Head("A: 1\r\n  evil\r\n"), 400, "malformed_request"},
        Refused{"space before colon", Head("A : 1\r\n"), 400, "malformed_request"},
        Refused{"no colon", Head("evil\r\n"), 400, "malformed_request"},
        Refused{"bare LF", "GET / HTTP/1.1\nHost: x\n\n", 400, "malformed_request"},
        Refused{"bare LF in headers", "GET / HTTP/1.1\r\nHost: x\n\r\n", 400, "malformed_request"},
        Refused{"CR in a value", Head(std::string("A: ev\ril\r\n")), 400, "malformed_request"},
        Refused{"NUL in a value", Head(std::string("A: ev\0il\r\n", 10)), 400, "malformed_request"},
        Refused{"HTTP/2", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505, "http_version_not_supported"},
        Refused{"not a version", "GET / HTTP/1.1x\r\nHost: x\r\n\r\n", 400, "malformed_request"},
        Refused{"unknown method", "BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 501,
                "method_not_implemented"},
        Refused{"lower-case method", "get / HTTP/1.1\r\nHost: x\r\n\r\n", 501,
                "method_not_implemented"},
        Refused{"method not a token", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                "malformed_request"},
        Refused{"absolute form", "GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                "malformed_request"},
        Refused{"space in the target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400,
                "malformed_request"},
        Refused{"fragment", "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "malformed_request"},
        Refused{"two words", "GET /\r\n\r\n", 400, "malformed_request"},
        Refused{"too many empty lines", "\r\n\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\n", 400,
                "malformed_request"},
        Refused{"other expectation", Head("Expect: evil\r\n"), 417, "expectation_failed"},
        Refused{"chunk size overflow",
                Head("Transfer-Encoding: chunked\r\n") + "fffffffffffffffff\r\n", 400,
                "malformed_request"},
        Refused{"negative chunk", Head("Transfer-Encoding: chunked\r\n") + "-1\r\n", 400,
                "malformed_request"},
        Refused{"chunk longer than its size",
                Head("Transfer-Encoding: chunked\r\n") + "2\r\nabcd\r\n", 400, "malformed_request"},
        Refused{
            "chunks too large in total",
            Head("Transfer-Encoding: chunked\r\n") + "40\r\n" + std::string(64, 'a') + "\r\n40\r\n",
            413, "payload_too_large"},
        Refused{"too many trailer fields",
                Head("Transfer-Encoding: chunked\r\n") + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n"
                                                         "E: 5\r\nF: 6\r\n",
                431, "request_header_fields_too_large"},
        Refused{"trailer section too large",
                Head("Transfer-Encoding: chunked\r\n") + "0\r\nA: " + std::string(300, 'a'), 431,
                "request_header_fields_too_large"},
        Refused{"folded trailer", Head("Transfer-Encoding: chunked\r\n") + "0\r\nA: 1\r\n evil\r\n",
                400, "malformed_request"},
        Refused{"chunk size line too long",
                Head("Transfer-Encoding: chunked\r\n") + "1;" + std::string(2000, 'x'), 400,
                "malformed_request"}),
    [](const testing::TestParamInfo<Refused>& info) {
      std::string name = info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(HttpParser, ARefusalStopsConsumingInput) {
  HttpRequestParser parser(SmallLimits());
  const std::string bytes = Head("Content-Length: -5\r\n") + "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::size_t used = parser.Feed(bytes);
  EXPECT_EQ(parser.state(), State::kRefused);
  EXPECT_LT(used, bytes.size());
  EXPECT_EQ(parser.Feed("more"), 0u);
}

TEST(HttpParser, TheDefaultLimitsAreTheDocumentedOnes) {
  const HttpLimits limits;
  EXPECT_EQ(limits.max_request_line_bytes, 8192u);
  EXPECT_EQ(limits.max_header_count, 100u);
  EXPECT_EQ(limits.max_header_bytes, 16384u);
  EXPECT_EQ(limits.max_body_bytes, 64u << 20);
}

TEST(QueryString, DecodesAndKeepsTheFirstValue) {
  const auto query = ParseQueryString("a=1&b=x%20y+z&a=2&&flag&=v&c=%zz");
  EXPECT_EQ(query.at("a"), "1");
  EXPECT_EQ(query.at("b"), "x y z");
  EXPECT_EQ(query.at("flag"), "");
  EXPECT_EQ(query.at(""), "v");
  EXPECT_EQ(query.at("c"), "%zz");
  EXPECT_EQ(query.size(), 5u);
  EXPECT_TRUE(ParseQueryString("").empty());
}

}  // namespace
}  // namespace coco::api
