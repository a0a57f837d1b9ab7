#include "domain/common/uuid.hpp"

#include <cctype>

#include "domain/common/error.hpp"

namespace coco::domain {

bool Uuid::IsValid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position) {
      if (text[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

Uuid Uuid::Parse(std::string_view text, std::string_view what) {
  if (!IsValid(text)) {
    throw InvalidArgument(std::string(what) + " is not a UUID", "invalid_id");
  }
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return Uuid(std::move(lower));
}

}  // namespace coco::domain
