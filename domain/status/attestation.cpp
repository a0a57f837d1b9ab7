#include "domain/status/attestation.hpp"

#include "domain/common/base64url.hpp"
#include "domain/common/json_text.hpp"

namespace coco::domain {

std::string CompactJws(const Signer& signer, std::string_view payload) {
  JsonObject header;
  header.Set("alg", signer.Algorithm()).Set("kid", signer.KeyId()).Set("typ", "JWT");
  std::string signing_input = Base64UrlEncode(header.Text()) + "." + Base64UrlEncode(payload);
  const std::string signature = signer.Sign(signing_input);
  return signing_input + "." + Base64UrlEncode(signature);
}

}  // namespace coco::domain
