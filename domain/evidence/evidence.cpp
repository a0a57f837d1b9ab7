#include "domain/evidence/evidence.hpp"

#include <algorithm>
#include <cctype>

#include "domain/common/json_text.hpp"

namespace coco::domain {

std::optional<Date> LapseDate(EvidenceKind kind, const std::optional<Date>& issued_on,
                              const std::optional<Date>& expires_on) {
  if (expires_on) return expires_on;
  const bool yearly = kind == EvidenceKind::kPenTestReport ||
                      kind == EvidenceKind::kItHealthCheck ||
                      kind == EvidenceKind::kCyberEssentialsCertificate ||
                      kind == EvidenceKind::kCyberEssentialsPlusCertificate;
  if (yearly && issued_on) return issued_on->AddMonthsClamped(12);
  return std::nullopt;
}

std::optional<Date> Evidence::LapsesOn() const { return LapseDate(kind, issued_on, expires_on); }

bool IsSafeFilename(std::string_view name) {
  if (name.empty() || CharacterCount(name) > 255 || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(), [](unsigned char c) {
    return c < 0x20 || c == 0x7f || c == '/' || c == '\\';
  });
}

bool IsPlausibleMediaType(std::string_view media_type) {
  if (media_type.size() < 3 || media_type.size() > 127) return false;
  auto token = [](unsigned char c) {
    return std::isalnum(c) || c == '!' || c == '#' || c == '$' || c == '&' || c == '-' ||
           c == '^' || c == '_' || c == '.' || c == '+';
  };
  const auto slash = media_type.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  const auto end = media_type.find(';');
  const std::string_view type = media_type.substr(0, slash);
  const std::string_view subtype = media_type.substr(
      slash + 1, end == std::string_view::npos ? std::string_view::npos : end - slash - 1);
  if (subtype.empty()) return false;
  if (!std::all_of(type.begin(), type.end(), token)) return false;
  if (!std::all_of(subtype.begin(), subtype.end(),
                   [&](unsigned char c) { return token(c) || c == ' '; })) {
    return false;
  }
  return std::none_of(media_type.begin(), media_type.end(),
                      [](unsigned char c) { return c < 0x20 || c >= 0x7f; });
}

}  // namespace coco::domain
