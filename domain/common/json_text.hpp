#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coco::domain {

// A small writer of canonical JSON (keys sorted, no whitespace) for the few places the domain
// must produce JSON text itself: audit details and hashed documents. Values are added already
// typed; strings are escaped per RFC 8259.
class JsonObject {
 public:
  JsonObject& Set(const std::string& key, std::string_view value);
  JsonObject& Set(const std::string& key, const char* value) {
    return Set(key, std::string_view(value));
  }
  JsonObject& Set(const std::string& key, const std::string& value) {
    return Set(key, std::string_view(value));
  }
  JsonObject& Set(const std::string& key, long long value);
  JsonObject& Set(const std::string& key, int value) {
    return Set(key, static_cast<long long>(value));
  }
  JsonObject& Set(const std::string& key, bool value);
  JsonObject& SetNull(const std::string& key);
  JsonObject& Set(const std::string& key, const std::optional<std::string>& value);
  JsonObject& Set(const std::string& key, const std::vector<std::string>& values);
  JsonObject& SetRaw(const std::string& key, std::string json);  // already-valid JSON text
  JsonObject& Set(const std::string& key, const JsonObject& object);

  bool empty() const { return members_.empty(); }
  std::string Text() const;

 private:
  std::map<std::string, std::string> members_;  // key -> JSON text, sorted by key
};

// `text` as a JSON string, quotes included.
std::string JsonString(std::string_view text);
void AppendJsonString(std::string& out, std::string_view text);

// The number of characters (UTF-8 code points) in `text`: length limits are in characters,
// as the API's reader and PostgreSQL's length() count them.
std::size_t CharacterCount(std::string_view text);

// Whether `byte` continues a UTF-8 character rather than starting one.
inline bool ContinuesCharacter(char byte) {
  return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

// The length of the longest prefix of `text` of at most `most` bytes that ends between
// characters: where to cut UTF-8 text that must fit a size.
std::size_t CharacterBoundary(std::string_view text, std::size_t most);

// `text` with A-Z lowered, nothing else touched: for protocol tokens (header names, media types,
// UUIDs), without std::tolower's locale lookup per character.
std::string AsciiLower(std::string_view text);

}  // namespace coco::domain
