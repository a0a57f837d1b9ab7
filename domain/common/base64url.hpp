#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace coco::domain {

// RFC 4648 §5 base64url without padding (as JWS and our page cursors use it).
std::string Base64UrlEncode(std::string_view raw);
// nullopt for a character outside the alphabet or a dangling bit group.
std::optional<std::string> Base64UrlDecode(std::string_view text);

}  // namespace coco::domain
