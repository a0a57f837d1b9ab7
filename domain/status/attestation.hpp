#pragma once

#include <string>
#include <string_view>

#include "domain/common/ports.hpp"

namespace coco::domain {

// A compact JWS (RFC 7515 §7.1) of `payload` signed through the Signer port:
// BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature), with the protected header
// {"alg": signer.Algorithm(), "kid": signer.KeyId(), "typ": "JWT"}.
std::string CompactJws(const Signer& signer, std::string_view payload);

}  // namespace coco::domain
