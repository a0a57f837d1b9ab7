#include "domain/common/json_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace coco::domain {
namespace {

// Audit entries are hashed over this text: its exact bytes may never change.
TEST(JsonTextTest, StringEscapingIsPinnedByteForByte) {
  std::string text = "a\"b\\c/d\b\f\n\r\t";
  text += '\0';
  text += "\x01\x1f\x7f";
  text += "\xc3\xbc\xe6\x9d\xb1";  // ü 東, raw
  EXPECT_EQ(JsonString(text),
            "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\x7f\xc3\xbc\xe6\x9d\xb1\"");
  std::string appended = "x";
  AppendJsonString(appended, "y\"");
  EXPECT_EQ(appended, "x\"y\\\"\"");
}

TEST(JsonTextTest, AsciiLowerTouchesOnlyAToZ) {
  EXPECT_EQ(AsciiLower("Content-Type: APPLICATION/Json"), "content-type: application/json");
  EXPECT_EQ(AsciiLower("ÄÖ @[`{ 0-9 Z"), "ÄÖ @[`{ 0-9 z");
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(JsonTextTest, ObjectsAreCanonical) {
  JsonObject object;
  object.Set("b", 1).Set("a", "x").SetNull("c").Set("d", true);
  EXPECT_EQ(object.Text(), R"({"a":"x","b":1,"c":null,"d":true})");
}

}  // namespace
}  // namespace coco::domain
