#include "domain/common/uuid.hpp"

#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"

namespace coco::domain {

namespace {

// ASCII, without std::isxdigit's locale lookup.
bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

bool Uuid::IsValid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position) {
      if (text[i] != '-') return false;
    } else if (!IsHexDigit(text[i])) {
      return false;
    }
  }
  return true;
}

Uuid Uuid::Parse(std::string_view text, std::string_view what) {
  if (!IsValid(text)) {
    throw InvalidArgument(std::string(what) + " is not a UUID", "invalid_id");
  }
  return Uuid(AsciiLower(text));
}

}  // namespace coco::domain
