#include "security/ed25519_signer.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "domain/common/error.hpp"
#include "security/openssl_hasher.hpp"

namespace coco::security {
namespace {

EVP_PKEY* AsKey(void* key) { return static_cast<EVP_PKEY*>(key); }

EVP_PKEY* ReadKey(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return nullptr;
    throw domain::FailedPrecondition(std::string("cannot read the signing key file: ") +
                                     std::strerror(errno));
  }
  if ((info.st_mode & 077) != 0) {
    throw domain::FailedPrecondition(
        "the signing key file must not be readable by others (chmod 600)",
        "signing_key_permissions");
  }
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) {
    throw domain::FailedPrecondition(std::string("cannot read the signing key file: ") +
                                     std::strerror(errno));
  }
  EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (key == nullptr || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    throw domain::FailedPrecondition("the signing key file does not hold an Ed25519 private key");
  }
  return key;
}

EVP_PKEY* GenerateKey(const std::filesystem::path& path, bool create_parents) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) throw domain::Internal("Ed25519 key generation failed");
  if (create_parents && path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      EVP_PKEY_free(key);
      throw domain::FailedPrecondition("cannot create the folder " + path.parent_path().string() +
                                       ": " + error.message());
    }
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    const int error = errno;
    EVP_PKEY_free(key);
    throw domain::FailedPrecondition(std::string("cannot create the signing key file: ") +
                                     std::strerror(error));
  }
  FILE* file = ::fdopen(fd, "w");
  const bool written = file != nullptr &&
                       PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (file != nullptr) std::fclose(file);
  if (!written) {
    EVP_PKEY_free(key);
    throw domain::Internal("writing the signing key file failed");
  }
  return key;
}

}  // namespace

std::unique_ptr<Ed25519Signer> Ed25519Signer::LoadOrCreate(const std::filesystem::path& path) {
  EVP_PKEY* key = ReadKey(path);
  if (key == nullptr) key = GenerateKey(path, true);
  return std::unique_ptr<Ed25519Signer>(new Ed25519Signer(key));
}

std::unique_ptr<Ed25519Signer> Ed25519Signer::Load(const std::filesystem::path& path) {
  EVP_PKEY* key = ReadKey(path);
  if (key == nullptr) throw domain::FailedPrecondition("there is no signing key file");
  return std::unique_ptr<Ed25519Signer>(new Ed25519Signer(key));
}

std::unique_ptr<Ed25519Signer> Ed25519Signer::Create(const std::filesystem::path& path) {
  return std::unique_ptr<Ed25519Signer>(new Ed25519Signer(GenerateKey(path, false)));
}

Ed25519Signer::Ed25519Signer(void* key) : key_(key) {
  unsigned char raw[32];
  std::size_t length = sizeof raw;
  if (EVP_PKEY_get_raw_public_key(AsKey(key_), raw, &length) != 1) {
    throw domain::Internal("reading the Ed25519 public key failed");
  }
  public_key_.assign(reinterpret_cast<const char*>(raw), length);
  // The first 8 bytes of the SHA-256 of the public key, in hex: stable per key, distinct across
  // keys, so a rotated key gets a new id.
  key_id_ = OpensslHasher().Sha256Hex(public_key_).substr(0, 16);
}

Ed25519Signer::~Ed25519Signer() { EVP_PKEY_free(AsKey(key_)); }

std::string Ed25519Signer::Sign(std::string_view message) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned char signature[64];
  std::size_t length = sizeof signature;
  const bool ok =
      ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, AsKey(key_)) == 1 &&
      EVP_DigestSign(ctx, signature, &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) throw domain::Internal("Ed25519 signing failed");
  return std::string(reinterpret_cast<const char*>(signature), length);
}

}  // namespace coco::security
