#include "domain/standard/applies_when.hpp"

#include <cctype>
#include <vector>

#include "domain/common/error.hpp"

namespace coco::domain {

struct AppliesWhen::Node {
  enum class Kind {
    kOr,
    kAnd,
    kNot,
    kClassification,
    kOffshoreActivity,
    kConnects,
    kPersonalData,
    kOffshore,
    kHmgCrypto,
    kOperatesPki
  };
  Kind kind;
  std::shared_ptr<const Node> left;
  std::shared_ptr<const Node> right;
  Classification classification = Classification::kOfficial;
  OffshoreActivity activity = OffshoreActivity::kHosting;
};

namespace {

using Node = AppliesWhen::Node;
using NodePtr = std::shared_ptr<const Node>;

struct Token {
  enum class Kind { kIdentifier, kAnd, kOr, kNot, kEquals, kOpen, kClose, kEnd };
  Kind kind;
  std::string text;
  std::size_t position;  // 1-based
};

[[noreturn]] void Fail(std::size_t position, const std::string& message) {
  throw InvalidArgument("at position " + std::to_string(position) + ": " + message,
                        "invalid_expression");
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    const std::size_t position = i + 1;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = i;
      while (end < text.size() &&
             (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) {
        ++end;
      }
      tokens.push_back({Token::Kind::kIdentifier, std::string(text.substr(i, end - i)), position});
      i = end;
    } else if (text.substr(i, 2) == "&&") {
      tokens.push_back({Token::Kind::kAnd, "&&", position});
      i += 2;
    } else if (text.substr(i, 2) == "||") {
      tokens.push_back({Token::Kind::kOr, "||", position});
      i += 2;
    } else if (text.substr(i, 2) == "==") {
      tokens.push_back({Token::Kind::kEquals, "==", position});
      i += 2;
    } else if (c == '!') {
      tokens.push_back({Token::Kind::kNot, "!", position});
      ++i;
    } else if (c == '(') {
      tokens.push_back({Token::Kind::kOpen, "(", position});
      ++i;
    } else if (c == ')') {
      tokens.push_back({Token::Kind::kClose, ")", position});
      ++i;
    } else {
      Fail(position, std::string("unexpected character '") + c + "'");
    }
  }
  tokens.push_back({Token::Kind::kEnd, "end of expression", text.size() + 1});
  return tokens;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  NodePtr ParseAll() {
    NodePtr root = ParseOr();
    if (Peek().kind != Token::Kind::kEnd) {
      Fail(Peek().position, "expected '&&', '||' or the end, found '" + Peek().text + "'");
    }
    return root;
  }

 private:
  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_++]; }

  NodePtr Binary(Node::Kind kind, NodePtr left, NodePtr right) {
    auto node = std::make_shared<Node>();
    node->kind = kind;
    node->left = std::move(left);
    node->right = std::move(right);
    return node;
  }

  NodePtr ParseOr() {
    NodePtr left = ParseAnd();
    while (Peek().kind == Token::Kind::kOr) {
      Take();
      left = Binary(Node::Kind::kOr, left, ParseAnd());
    }
    return left;
  }

  NodePtr ParseAnd() {
    NodePtr left = ParseUnary();
    while (Peek().kind == Token::Kind::kAnd) {
      Take();
      left = Binary(Node::Kind::kAnd, left, ParseUnary());
    }
    return left;
  }

  NodePtr ParseUnary() {
    if (Peek().kind == Token::Kind::kNot) {
      Take();
      return Binary(Node::Kind::kNot, ParseUnary(), nullptr);
    }
    return ParsePrimary();
  }

  NodePtr ParsePrimary() {
    const Token& token = Take();
    if (token.kind == Token::Kind::kOpen) {
      NodePtr inner = ParseOr();
      if (Peek().kind != Token::Kind::kClose) {
        Fail(Peek().position, "expected ')', found '" + Peek().text + "'");
      }
      Take();
      return inner;
    }
    if (token.kind != Token::Kind::kIdentifier) {
      Fail(token.position, "expected a field or '(', found '" + token.text + "'");
    }
    auto node = std::make_shared<Node>();
    if (token.text == "classification") {
      if (Peek().kind != Token::Kind::kEquals) {
        Fail(Peek().position, "expected '==' after classification, found '" + Peek().text + "'");
      }
      Take();
      const Token& value = Take();
      const auto classification = TryParseClassification(value.text);
      if (value.kind != Token::Kind::kIdentifier || !classification) {
        Fail(value.position,
             "classification is OFFICIAL or OFFICIAL_SENSITIVE, not '" + value.text + "'");
      }
      node->kind = Node::Kind::kClassification;
      node->classification = *classification;
    } else if (token.text == "offshore_activity") {
      if (Peek().kind != Token::Kind::kOpen) {
        Fail(Peek().position, "expected '(' after offshore_activity, found '" + Peek().text + "'");
      }
      Take();
      const Token& value = Take();
      const auto activity = TryParseOffshoreActivity(value.text);
      if (value.kind != Token::Kind::kIdentifier || !activity) {
        Fail(value.position,
             "offshore_activity takes hosting, support, development or processing, not '" +
                 value.text + "'");
      }
      if (Peek().kind != Token::Kind::kClose) {
        Fail(Peek().position, "expected ')', found '" + Peek().text + "'");
      }
      Take();
      node->kind = Node::Kind::kOffshoreActivity;
      node->activity = *activity;
    } else if (token.text == "connects_to_network") {
      node->kind = Node::Kind::kConnects;
    } else if (token.text == "personal_data") {
      node->kind = Node::Kind::kPersonalData;
    } else if (token.text == "offshore") {
      node->kind = Node::Kind::kOffshore;
    } else if (token.text == "hmg_crypto") {
      node->kind = Node::Kind::kHmgCrypto;
    } else if (token.text == "operates_pki") {
      node->kind = Node::Kind::kOperatesPki;
    } else {
      Fail(token.position, "unknown field '" + token.text + "'");
    }
    return node;
  }

  std::vector<Token> tokens_;
  std::size_t next_ = 0;
};

bool Eval(const Node& node, const ScopeProfile& profile) {
  switch (node.kind) {
    case Node::Kind::kOr:
      return Eval(*node.left, profile) || Eval(*node.right, profile);
    case Node::Kind::kAnd:
      return Eval(*node.left, profile) && Eval(*node.right, profile);
    case Node::Kind::kNot:
      return !Eval(*node.left, profile);
    case Node::Kind::kClassification:
      return profile.classification == node.classification;
    case Node::Kind::kOffshoreActivity:
      return profile.HasOffshoreActivity(node.activity);
    case Node::Kind::kConnects:
      return profile.connects_to_network;
    case Node::Kind::kPersonalData:
      return profile.personal_data;
    case Node::Kind::kOffshore:
      return profile.IsOffshore();
    case Node::Kind::kHmgCrypto:
      return profile.hmg_crypto;
    case Node::Kind::kOperatesPki:
      return profile.operates_pki;
  }
  return false;
}

}  // namespace

AppliesWhen::AppliesWhen(std::string text, std::shared_ptr<const Node> root)
    : text_(std::move(text)), root_(std::move(root)) {}

AppliesWhen AppliesWhen::Parse(std::string_view text) {
  if (text.size() > 500) Fail(501, "an expression may be at most 500 characters");
  Parser parser(Tokenize(text));
  return AppliesWhen(std::string(text), parser.ParseAll());
}

AppliesWhen AppliesWhen::Always() { return AppliesWhen("", nullptr); }

bool AppliesWhen::Evaluate(const ScopeProfile& profile) const {
  return root_ == nullptr || Eval(*root_, profile);
}

}  // namespace coco::domain
