#pragma once

#include <string>
#include <vector>

namespace coco::test {

// `text` cut at every `separator` (empty parts kept, a trailing empty part dropped).
std::vector<std::string> SplitText(const std::string& text, char separator);

// Verifies a compact JWS with `openssl pkeyutl`, as a relying party would, against the raw
// Ed25519 public key `x` (base64url, the JWKS entry of the JWS's kid). False for anything that
// does not verify, including a malformed JWS.
bool JwsVerifies(const std::string& jws, const std::string& x);

// The `kid` of a compact JWS's protected header.
std::string JwsKid(const std::string& jws);

}  // namespace coco::test
