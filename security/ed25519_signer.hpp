#pragma once

#include <filesystem>
#include <memory>

#include "domain/common/ports.hpp"

namespace coco::security {

// Ed25519 signatures through OpenSSL EVP. The private key lives in a PEM file (PKCS#8, mode 0600)
// that is created on first use and loaded afterwards; the key id is derived from the public key.
class Ed25519Signer final : public domain::Signer {
 public:
  // Loads the key from `path`, or generates one there (creating parent folders) if absent.
  // A file that exists but is not an Ed25519 private key, or is readable by others, is an error.
  static std::unique_ptr<Ed25519Signer> LoadOrCreate(const std::filesystem::path& path);
  // Loads the key from `path`; a missing file is an error too (FailedPrecondition).
  static std::unique_ptr<Ed25519Signer> Load(const std::filesystem::path& path);
  // Generates a new key into `path`, which must not exist yet (mode 0600, parents not created).
  static std::unique_ptr<Ed25519Signer> Create(const std::filesystem::path& path);
  ~Ed25519Signer() override;

  std::string KeyId() const override { return key_id_; }
  std::string Algorithm() const override { return "EdDSA"; }
  std::string Sign(std::string_view message) const override;
  std::string PublicKey() const override { return public_key_; }

 private:
  explicit Ed25519Signer(void* key);
  void* key_;  // EVP_PKEY*
  std::string public_key_;
  std::string key_id_;
};

}  // namespace coco::security
