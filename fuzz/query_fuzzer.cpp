// Query strings and page cursors: ParseQueryString (api/http_parser.hpp), the shared query
// readers (api/query.hpp) and paging (api/json/paging.hpp), as every list endpoint runs them.
//   - percent-encoding the parsed parameters and parsing again gives the same parameters;
//   - the readers only ever throw domain::Error kInvalidArgument, with details that point into
//     "query/...";
//   - a page request has a limit of 1..200 and, after a cursor, a position whose id is of the
//     list's kind (a UUID, two UUIDs, or a row number);
//   - a cursor that decodes re-encodes to one that decodes to the same position.
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "api/http_parser.hpp"
#include "api/json/paging.hpp"
#include "api/query.hpp"
#include "domain/common/error.hpp"
#include "domain/common/uuid.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using coco::domain::Error;
using coco::domain::ErrorKind;

std::string PercentEncodeAll(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    out += '%';
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

void CheckQueryError(const Error& error) {
  FUZZ_CHECK(error.kind() == ErrorKind::kInvalidArgument);
  FUZZ_CHECK(error.code() == "invalid_query");
  FUZZ_CHECK(!error.details().empty());
  for (const auto& detail : error.details()) FUZZ_CHECK(detail.field.rfind("query/", 0) == 0);
}

template <typename Read>
void Expect(Read read) {
  try {
    read();
  } catch (const Error& error) {
    CheckQueryError(error);
  }
}

using coco::api::json::CursorKey;
constexpr CursorKey kCursorKeys[] = {CursorKey::kUuid, CursorKey::kUuidPair, CursorKey::kRowNumber};

bool IsRowNumber(const std::string& id) {
  return !id.empty() && id.size() <= 18 && id.find_first_not_of("0123456789") == std::string::npos;
}

// Checked independently of the decoder: what a position's id must look like for each kind.
bool IdFits(const std::string& id, CursorKey key) {
  const auto comma = id.find(',');
  switch (key) {
    case CursorKey::kUuid:
      return coco::domain::Uuid::IsValid(id);
    case CursorKey::kUuidPair:
      return comma != std::string::npos && coco::domain::Uuid::IsValid(id.substr(0, comma)) &&
             coco::domain::Uuid::IsValid(id.substr(comma + 1));
    case CursorKey::kRowNumber:
      return IsRowNumber(id);
  }
  return false;
}

void CheckCursor(const std::string& cursor, CursorKey key) {
  const auto position = coco::api::json::DecodeCursor(cursor, key);
  if (!position) return;
  FUZZ_CHECK(position->created_micros >= 0);
  FUZZ_CHECK(IdFits(position->id, key));
  const auto again = coco::api::json::DecodeCursor(coco::api::json::EncodeCursor(*position), key);
  FUZZ_CHECK(again && again->created_micros == position->created_micros &&
             again->id == position->id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  coco::api::Request request;
  request.query = coco::api::ParseQueryString(text);

  std::string encoded;
  for (const auto& [name, value] : request.query) {
    if (!encoded.empty()) encoded += '&';
    encoded += PercentEncodeAll(name) + "=" + PercentEncodeAll(value);
  }
  FUZZ_CHECK(coco::api::ParseQueryString(encoded) == request.query);

  Expect([&] { coco::api::RejectUnknownQuery(request, {"limit", "cursor", "as_of", "overdue"}); });
  Expect([&] {
    if (auto date = coco::api::QueryDate(request, "as_of")) {
      FUZZ_CHECK(date->ToString() == *request.Query("as_of"));
    }
  });
  Expect([&] { coco::api::QueryBool(request, "overdue"); });
  for (const auto key : kCursorKeys) {
    Expect([&] {
      const auto page = coco::api::json::PageFromQuery(request, key);
      FUZZ_CHECK(page.limit >= 1 && page.limit <= coco::domain::kMaxPageSize);
      if (page.after) FUZZ_CHECK(IdFits(page.after->id, key));
    });
  }
  for (const auto& [name, value] : request.query) {
    for (const auto key : kCursorKeys) CheckCursor(value, key);
  }
  return 0;
}
