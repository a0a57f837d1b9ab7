#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "domain/signing/signing_key.hpp"
#include "security/ed25519_signer.hpp"

namespace coco::security {

// The signer of a running server, following its key file: when the file at `path` is replaced
// (`coco keys rotate` renames a new file over it), the next Current() loads the new key. Checking
// costs one stat() per call, so every node that shares the key file switches by itself, with no
// signal or restart. A replacement that cannot be loaded leaves the previous key signing (it is
// still published) and is reported once through `on_reload`.
class SigningKeyFile final : public domain::SignerSource {
 public:
  // Called after each reload attempt: `kid` of the key now signing, and `error` empty on success.
  using ReloadListener = std::function<void(const std::string& kid, const std::string& error)>;

  // Loads the key from `path`, or creates it there on first start (see Ed25519Signer).
  SigningKeyFile(std::filesystem::path path, ReloadListener on_reload);

  std::shared_ptr<const domain::Signer> Current() override;

 private:
  struct Stamp {
    dev_t device = 0;
    ino_t inode = 0;
    long long mtime_ns = 0;
    long long size = 0;
    bool operator==(const Stamp&) const = default;
  };
  static Stamp StampOf(const std::filesystem::path& path);

  const std::filesystem::path path_;
  const ReloadListener on_reload_;
  std::mutex mutex_;
  std::shared_ptr<const Ed25519Signer> signer_;
  Stamp seen_;  // the file as last looked at, loaded or not
};

}  // namespace coco::security
