#include "security/openssl_hasher.hpp"

#include <openssl/evp.h>

#include "domain/common/error.hpp"

namespace coco::security {

struct Sha256Stream::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

namespace {

// Fetched once: EVP_sha256() makes OpenSSL 3 look the implementation up again on every
// initialisation, which showed in the status read's profile (every request hashes its token).
const EVP_MD* Sha256() {
  static const EVP_MD* const kFetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return kFetched != nullptr ? kFetched : EVP_sha256();
}

}  // namespace

Sha256Stream::Sha256Stream() : impl_(new Impl) {
  impl_->ctx = EVP_MD_CTX_new();
  if (impl_->ctx == nullptr || EVP_DigestInit_ex(impl_->ctx, Sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(impl_->ctx);
    delete impl_;
    throw domain::Internal("SHA-256 initialisation failed");
  }
}

Sha256Stream::~Sha256Stream() {
  EVP_MD_CTX_free(impl_->ctx);
  delete impl_;
}

void Sha256Stream::Update(std::string_view bytes) {
  if (EVP_DigestUpdate(impl_->ctx, bytes.data(), bytes.size()) != 1) {
    throw domain::Internal("SHA-256 update failed");
  }
}

std::string Sha256Stream::FinishRaw() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(impl_->ctx, digest, &length) != 1) {
    throw domain::Internal("SHA-256 finalisation failed");
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string ToHex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(raw.size() * 2);
  for (unsigned char byte : raw) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

std::string OpensslHasher::Sha256Hex(std::string_view bytes) const {
  Sha256Stream stream;
  stream.Update(bytes);
  return ToHex(stream.FinishRaw());
}

}  // namespace coco::security
