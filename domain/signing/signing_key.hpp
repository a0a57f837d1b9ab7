#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/common/ports.hpp"

// Attestation signing keys over time (docs/operations.md, "Signing keys"). One private key signs;
// the public halves of the keys it replaced stay published until their retirement moment, so an
// attestation signed before a rotation still verifies after it.
namespace coco::domain {

using TimePoint = std::chrono::system_clock::time_point;

// The public half of a signing key, as recorded and published.
struct PublicSigningKey {
  std::string kid;         // the JWS "kid"
  std::string algorithm;   // the JWS "alg" ("EdDSA")
  std::string public_key;  // raw bytes (32 for Ed25519)
  TimePoint created_at;
  // Empty while the key signs; once rotated out, the moment it leaves the key set.
  std::optional<TimePoint> retires_at;
};

enum class SigningKeyState {
  kSigning,  // signs attestations, published
  kRetired,  // rotated out, still published until retires_at
  kGone,     // past retires_at: no longer published
};

SigningKeyState StateAt(const PublicSigningKey& key, TimePoint now);
std::string_view ToString(SigningKeyState state);

// How long a rotated-out key stays published when no --retire-after is given. Attestations carry
// no "exp"; the longest-lived fact one states is an approval, valid at most a review interval
// (12 months in every standard) after its decision. A year of 366 days plus a 34-day margin.
inline constexpr std::chrono::days kDefaultRetireAfter{400};

// Parses a retirement delay: a whole number followed by d (days), h, m or s, e.g. "400d", "12h".
// Zero is allowed (the old key leaves the key set at once); at most 3650 days. Throws
// InvalidArgument naming what it accepts.
std::chrono::seconds ParseRetireAfter(std::string_view text);

// The key set published at `now`: every recorded key not yet gone, plus `current` (the key this
// node signs with) whether recorded or not, signing keys first, then by creation, newest first.
std::vector<PublicSigningKey> PublishedKeys(std::vector<PublicSigningKey> recorded,
                                            const PublicSigningKey& current, TimePoint now);

// The public half of `signer`'s key, created at `now` if it is new.
PublicSigningKey PublicKeyOf(const Signer& signer, TimePoint now);

// Where the public halves are recorded (PostgreSQL in production).
class SigningKeyRepository {
 public:
  virtual ~SigningKeyRepository() = default;
  // Records `key` unless its kid is already recorded (then changes nothing).
  virtual void Register(const PublicSigningKey& key) = 0;
  // In one transaction: records `retiring` if absent and sets its retirement to `retires_at`
  // (an already retired key keeps the earlier of the two), and records `next` as signing.
  virtual void Rotate(const PublicSigningKey& retiring, const PublicSigningKey& next,
                      TimePoint retires_at) = 0;
  // Every recorded key, gone ones included, oldest first.
  virtual std::vector<PublicSigningKey> All() = 0;
};

// Gives out the signer to use now. A source may switch keys between calls (after a rotation);
// one returned signer stays whole, so a header's kid always matches its signature.
class SignerSource {
 public:
  virtual ~SignerSource() = default;
  virtual std::shared_ptr<const Signer> Current() = 0;
};

// The published key set, read by every node from the repository.
class SigningKeys {
 public:
  SigningKeys(SigningKeyRepository& repository, SignerSource& signers, const Clock& clock)
      : repository_(repository), signers_(signers), clock_(clock) {}

  // The keys /.well-known/jwks.json lists now.
  std::vector<PublicSigningKey> Published();

 private:
  SigningKeyRepository& repository_;
  SignerSource& signers_;
  const Clock& clock_;
};

}  // namespace coco::domain
