#include "tests/support/jws.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "domain/common/base64url.hpp"
#include "tests/support/coco_server.hpp"

namespace coco::test {
namespace {

std::string Decode(const std::string& text) {
  const auto raw = domain::Base64UrlDecode(text);
  if (!raw) throw std::runtime_error("not base64url: " + text);
  return *raw;
}

}  // namespace

std::vector<std::string> SplitText(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator)) parts.push_back(part);
  return parts;
}

bool JwsVerifies(const std::string& jws, const std::string& x) {
  const auto parts = SplitText(jws, '.');
  if (parts.size() != 3) return false;
  char pattern[] = "/tmp/coco-jws.XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  const std::filesystem::path folder(pattern);
  auto write = [&folder](const char* name, const std::string& bytes) {
    std::ofstream(folder / name, std::ios::binary) << bytes;
    return (folder / name).string();
  };
  // SubjectPublicKeyInfo of an Ed25519 key: a fixed 12-byte prefix, then the raw key.
  const std::string prefix("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12);
  const auto der = write("key.der", prefix + Decode(x));
  const auto input = write("input", parts[0] + "." + parts[1]);
  const auto signature = write("signature", Decode(parts[2]));
  const auto result =
      RunProgram({"/usr/bin/env", "openssl", "pkeyutl", "-verify", "-pubin", "-keyform", "DER",
                  "-inkey", der, "-rawin", "-in", input, "-sigfile", signature},
                 {});
  std::error_code ignored;
  std::filesystem::remove_all(folder, ignored);
  return result.exit_code == 0 &&
         result.out.find("Signature Verified Successfully") != std::string::npos;
}

std::string JwsKid(const std::string& jws) {
  return nlohmann::json::parse(Decode(SplitText(jws, '.').at(0))).at("kid");
}

}  // namespace coco::test
