#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "domain/standard/scope_profile.hpp"

namespace coco::domain {

// A compiled applies_when expression: a small boolean language over the scope profile.
//
//   expr    := or
//   or      := and ( "||" and )*
//   and     := unary ( "&&" unary )*
//   unary   := "!" unary | primary
//   primary := "(" expr ")"
//            | "classification" "==" ( "OFFICIAL" | "OFFICIAL_SENSITIVE" )
//            | "offshore_activity" "(" ( "hosting" | "support" | "development" | "processing" ) ")"
//            | "connects_to_network" | "personal_data" | "offshore" | "hmg_crypto"
//            | "operates_pki"
//
// "!" binds tightest, then "&&", then "||". Parse once, evaluate many times; evaluation is pure.
class AppliesWhen {
 public:
  // Throws kInvalidArgument ("invalid_expression") whose message gives the 1-based character
  // position and what was expected or found, e.g. "at position 12: unknown field 'offshored'".
  static AppliesWhen Parse(std::string_view text);
  // An expression that is always true (a requirement with no applies_when).
  static AppliesWhen Always();

  bool Evaluate(const ScopeProfile& profile) const;
  // The source text ("" for Always).
  const std::string& text() const { return text_; }

  struct Node;

 private:
  AppliesWhen(std::string text, std::shared_ptr<const Node> root);
  std::string text_;
  std::shared_ptr<const Node> root_;  // null = always
};

}  // namespace coco::domain
