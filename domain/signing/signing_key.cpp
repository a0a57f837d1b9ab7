#include "domain/signing/signing_key.hpp"

#include <algorithm>

#include "domain/common/error.hpp"

namespace coco::domain {

SigningKeyState StateAt(const PublicSigningKey& key, TimePoint now) {
  if (!key.retires_at) return SigningKeyState::kSigning;
  return now < *key.retires_at ? SigningKeyState::kRetired : SigningKeyState::kGone;
}

std::string_view ToString(SigningKeyState state) {
  switch (state) {
    case SigningKeyState::kSigning:
      return "signing";
    case SigningKeyState::kRetired:
      return "retired";
    case SigningKeyState::kGone:
      return "gone";
  }
  return "gone";
}

std::chrono::seconds ParseRetireAfter(std::string_view text) {
  const auto invalid = [&] {
    return InvalidArgument(
        "--retire-after must be a whole number followed by d, h, m or s (at most "
        "3650d), e.g. 400d, not \"" +
        std::string(text) + "\"");
  };
  if (text.size() < 2 || text.size() > 12) throw invalid();
  const char unit = text.back();
  long long per_unit = 0;
  if (unit == 'd') {
    per_unit = 86400;
  } else if (unit == 'h') {
    per_unit = 3600;
  } else if (unit == 'm') {
    per_unit = 60;
  } else if (unit == 's') {
    per_unit = 1;
  } else {
    throw invalid();
  }
  long long count = 0;
  for (char c : text.substr(0, text.size() - 1)) {
    if (c < '0' || c > '9') throw invalid();
    count = count * 10 + (c - '0');
    if (count > 3650LL * 86400) throw invalid();
  }
  const long long seconds = count * per_unit;
  if (seconds > 3650LL * 86400) throw invalid();
  return std::chrono::seconds(seconds);
}

std::vector<PublicSigningKey> PublishedKeys(std::vector<PublicSigningKey> recorded,
                                            const PublicSigningKey& current, TimePoint now) {
  std::vector<PublicSigningKey> published;
  bool current_recorded = false;
  for (auto& key : recorded) {
    if (key.kid == current.kid) current_recorded = true;
    // The key this node signs with is published even if recorded as gone: its signatures must
    // verify while it is still (wrongly) in use.
    if (StateAt(key, now) != SigningKeyState::kGone || key.kid == current.kid) {
      published.push_back(std::move(key));
    }
  }
  if (!current_recorded) published.push_back(current);
  std::stable_sort(published.begin(), published.end(), [](const auto& a, const auto& b) {
    const bool a_signs = !a.retires_at;
    const bool b_signs = !b.retires_at;
    if (a_signs != b_signs) return a_signs;
    if (a.created_at != b.created_at) return a.created_at > b.created_at;
    return a.kid < b.kid;
  });
  return published;
}

PublicSigningKey PublicKeyOf(const Signer& signer, TimePoint now) {
  return PublicSigningKey{signer.KeyId(), signer.Algorithm(), signer.PublicKey(), now,
                          std::nullopt};
}

std::vector<PublicSigningKey> SigningKeys::Published() {
  const auto current = signers_.Current();
  const TimePoint now = clock_.Now();
  return PublishedKeys(repository_.All(), PublicKeyOf(*current, now), now);
}

}  // namespace coco::domain
