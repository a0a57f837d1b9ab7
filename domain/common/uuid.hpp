#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace coco::domain {

// A UUID in canonical text form (8-4-4-4-12 lowercase hex). Holding one proves it parsed.
class Uuid {
 public:
  // Accepts upper or lower case hex in canonical form; anything else is kInvalidArgument naming
  // `what` ("supplier id").
  static Uuid Parse(std::string_view text, std::string_view what = "id");
  static bool IsValid(std::string_view text);

  const std::string& str() const { return text_; }

  friend bool operator==(const Uuid&, const Uuid&) = default;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;

 private:
  explicit Uuid(std::string text) : text_(std::move(text)) {}
  std::string text_;
};

// Distinct id types so a SupplierId is never passed where a UserId is meant.
template <typename Tag>
class Id {
 public:
  static Id Parse(std::string_view text) { return Id(Uuid::Parse(text, Tag::kWhat)); }
  explicit Id(Uuid uuid) : uuid_(std::move(uuid)) {}

  const std::string& str() const { return uuid_.str(); }

  friend bool operator==(const Id&, const Id&) = default;
  friend auto operator<=>(const Id&, const Id&) = default;

 private:
  Uuid uuid_;
};

struct UserIdTag {
  static constexpr std::string_view kWhat = "user id";
};
struct TokenIdTag {
  static constexpr std::string_view kWhat = "token id";
};
struct SupplierIdTag {
  static constexpr std::string_view kWhat = "supplier id";
};
struct ServiceIdTag {
  static constexpr std::string_view kWhat = "service id";
};

using UserId = Id<UserIdTag>;
using TokenId = Id<TokenIdTag>;
using SupplierId = Id<SupplierIdTag>;
using ServiceId = Id<ServiceIdTag>;

}  // namespace coco::domain
