// Every JSON request body, through the functions the route handlers call (api/json/*_json.hpp).
// The first byte picks the body type (and now and then a Content-Type other than JSON); the
// rest is the body.
//   - a reader either returns, throws api::HttpRefusal 415 unsupported_media_type for another
//     Content-Type, or throws domain::Error: kMalformed malformed_json or kInvalidArgument
//     invalid_body; anything else (a library exception that would become a 500) is a finding;
//   - malformed_json exactly when the bytes are not JSON; invalid_body lists at least one
//     problem, each pointing into the body ("/..."), with a stable code.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http.hpp"
#include "api/json/review_json.hpp"
#include "api/json/service_json.hpp"
#include "api/json/supplier_json.hpp"
#include "api/json/user_json.hpp"
#include "api/problem.hpp"
#include "domain/common/error.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

namespace json = coco::api::json;
using coco::api::Request;

const std::vector<std::function<void(const Request&)>>& Readers() {
  static const std::vector<std::function<void(const Request&)>> kReaders = {
      [](const Request& r) { json::ReadNewSupplier(r); },
      [](const Request& r) { json::ReadSupplierPatch(r); },
      [](const Request& r) { json::ReadNewService(r); },
      [](const Request& r) { json::ReadServicePatch(r); },
      [](const Request& r) { json::ReadNewUser(r); },
      [](const Request& r) { json::ReadUserPatch(r); },
      [](const Request& r) { json::ReadNewToken(r); },
      [](const Request& r) { json::ReadNewAssessment(r); },
      [](const Request& r) { json::ReadResponseUpdate(r); },
      [](const Request& r) { json::ReadReview(r); },
      [](const Request& r) { json::ReadText(r, "summary"); },
      [](const Request& r) { json::ReadText(r, "reason"); },
      [](const Request& r) { json::ReadApproval(r); },
      [](const Request& r) { json::ReadComment(r); },
      [](const Request& r) { json::ReadTrigger(r); },
      [](const Request& r) { json::ReadCompletion(r); },
      [](const Request& r) { json::ReadException(r); },
  };
  return kReaders;
}

constexpr std::string_view kContentTypes[] = {
    "application/json", "application/json; charset=utf-8", "Application/JSON ; x=y",
    "text/plain",       "application/json-patch+json",     "",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  coco::fuzz::Bytes bytes(data, size);
  const std::uint8_t selector = bytes.Byte();
  const auto& readers = Readers();
  const auto& read = readers[selector % readers.size()];
  // One input in eight gets another Content-Type.
  const std::size_t type = (selector >> 5) == 7 ? 1 + (selector % 5) : 0;

  Request request;
  request.method = coco::api::Method::kPost;
  request.path = "/fuzz";
  request.headers.emplace_back("content-type", std::string(kContentTypes[type]));
  request.body = std::string(bytes.Rest());

  try {
    read(request);
    FUZZ_CHECK(type <= 2);
  } catch (const coco::api::HttpRefusal& refusal) {
    FUZZ_CHECK(type > 2);
    FUZZ_CHECK(refusal.status() == 415 && refusal.code() == "unsupported_media_type");
  } catch (const coco::domain::Error& error) {
    FUZZ_CHECK(type <= 2);
    const std::string& code = error.code();
    const bool is_json = nlohmann::json::accept(request.body);
    FUZZ_CHECK((code == "malformed_json") == !is_json);
    FUZZ_CHECK(error.kind() == (is_json ? coco::domain::ErrorKind::kInvalidArgument
                                        : coco::domain::ErrorKind::kMalformed));
    if (code == "invalid_body") {
      FUZZ_CHECK(!error.details().empty());
      for (const auto& detail : error.details()) {
        FUZZ_CHECK(!detail.field.empty() && detail.field[0] == '/');
        FUZZ_CHECK(!detail.code.empty() && !detail.detail.empty());
      }
    } else {
      FUZZ_CHECK(code == "malformed_json");
    }
  }
  return 0;
}
