#include "security/standard_webhook_signer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace coco::security {
namespace {

constexpr std::string_view kPrefix = "whsec_";

}  // namespace

std::string EncodeBase64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(raw.data()),
                                      static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

std::string DecodeBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) throw std::invalid_argument("not base64");
  std::string out(text.size() / 4 * 3, '\0');
  const int written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  if (written < 0) throw std::invalid_argument("not base64");
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t padding = 0;
  if (text.ends_with("==")) {
    padding = 2;
  } else if (text.ends_with('=')) {
    padding = 1;
  }
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

std::string StandardWebhookSigner::NewSecret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  return std::string(kPrefix) +
         EncodeBase64(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string StandardWebhookSigner::Signature(std::string_view secret, std::string_view id,
                                             std::string_view timestamp,
                                             std::string_view body) const {
  if (secret.starts_with(kPrefix)) secret.remove_prefix(kPrefix.size());
  const std::string key = DecodeBase64(secret);
  std::string message;
  message.reserve(id.size() + timestamp.size() + body.size() + 2);
  message.append(id).append(".").append(timestamp).append(".").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(),
           &length) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return "v1," + EncodeBase64(std::string_view(reinterpret_cast<const char*>(mac.data()), length));
}

}  // namespace coco::security
