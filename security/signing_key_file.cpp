#include "security/signing_key_file.hpp"

#include <sys/stat.h>

#include <utility>

namespace coco::security {

SigningKeyFile::SigningKeyFile(std::filesystem::path path, ReloadListener on_reload)
    : path_(std::move(path)),
      on_reload_(std::move(on_reload)),
      signer_(Ed25519Signer::LoadOrCreate(path_)),
      seen_(StampOf(path_)) {}

SigningKeyFile::Stamp SigningKeyFile::StampOf(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return Stamp{};
  return Stamp{info.st_dev, info.st_ino,
               static_cast<long long>(info.st_mtim.tv_sec) * 1'000'000'000LL + info.st_mtim.tv_nsec,
               static_cast<long long>(info.st_size)};
}

std::shared_ptr<const domain::Signer> SigningKeyFile::Current() {
  std::lock_guard lock(mutex_);
  const Stamp now = StampOf(path_);
  if (now == seen_) return signer_;
  seen_ = now;
  std::string error;
  try {
    signer_ = Ed25519Signer::Load(path_);
  } catch (const std::exception& failure) {
    error = failure.what();
  }
  if (on_reload_) on_reload_(signer_->KeyId(), error);
  return signer_;
}

}  // namespace coco::security
