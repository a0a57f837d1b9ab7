#pragma once

#include <optional>
#include <string>
#include <string_view>

// JSON text written straight into a string, for documents on hot paths: building a nlohmann tree
// and dumping it cost more than the rest of a status read (bench/README.md). The caller writes
// keys and values in order; the writer places the commas and escapes strings.
namespace coco::api::json {

class JsonWriter {
 public:
  explicit JsonWriter(std::size_t expected_size = 2048) { out_.reserve(expected_size); }

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& OptionalString(const std::optional<std::string>& value);  // null when absent
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& Raw(std::string_view json);  // a value that is JSON text already

  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);

  std::string out_;
  bool comma_ = false;  // the next value or key follows another
};

}  // namespace coco::api::json
