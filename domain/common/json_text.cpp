#include "domain/common/json_text.hpp"

namespace coco::domain {

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text, plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(text, plain, text.size() - plain);
  out += '"';
}

std::string JsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendJsonString(out, text);
  return out;
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

std::size_t CharacterCount(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if (!ContinuesCharacter(c)) ++count;
  }
  return count;
}

std::size_t CharacterBoundary(std::string_view text, std::size_t most) {
  if (text.size() <= most) return text.size();
  std::size_t end = most;
  while (end > 0 && ContinuesCharacter(text[end])) --end;
  return end;
}

JsonObject& JsonObject::Set(const std::string& key, std::string_view value) {
  members_[key] = JsonString(value);
  return *this;
}
JsonObject& JsonObject::Set(const std::string& key, long long value) {
  members_[key] = std::to_string(value);
  return *this;
}
JsonObject& JsonObject::Set(const std::string& key, bool value) {
  members_[key] = value ? "true" : "false";
  return *this;
}
JsonObject& JsonObject::SetNull(const std::string& key) {
  members_[key] = "null";
  return *this;
}
JsonObject& JsonObject::Set(const std::string& key, const std::optional<std::string>& value) {
  return value ? Set(key, std::string_view(*value)) : SetNull(key);
}
JsonObject& JsonObject::Set(const std::string& key, const std::vector<std::string>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text += ",";
    text += JsonString(values[i]);
  }
  members_[key] = text + "]";
  return *this;
}
JsonObject& JsonObject::SetRaw(const std::string& key, std::string json) {
  members_[key] = std::move(json);
  return *this;
}
JsonObject& JsonObject::Set(const std::string& key, const JsonObject& object) {
  members_[key] = object.Text();
  return *this;
}

std::string JsonObject::Text() const {
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : members_) {
    if (!first) out += ",";
    first = false;
    out += JsonString(key) + ":" + value;
  }
  return out + "}";
}

}  // namespace coco::domain
