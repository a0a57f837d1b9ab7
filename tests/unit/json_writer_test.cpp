#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "api/json/writer.hpp"

namespace coco::api::json {
namespace {

TEST(JsonWriterTest, PlacesCommasInNestedObjectsAndArrays) {
  JsonWriter out;
  out.BeginObject();
  out.Key("a")
      .BeginArray()
      .BeginObject()
      .Key("b")
      .Null()
      .EndObject()
      .BeginArray()
      .EndArray()
      .Bool(true)
      .EndArray();
  out.Key("c").OptionalString(std::nullopt);
  out.Key("d").OptionalString(std::string("x"));
  out.Key("e").BeginObject().EndObject();
  out.EndObject();
  const std::string text = out.Take();
  EXPECT_EQ(text, R"({"a":[{"b":null},[],true],"c":null,"d":"x","e":{}})");
  EXPECT_TRUE(nlohmann::json::accept(text));
}

// Whatever a user typed into a name comes back out of a JSON parser unchanged.
TEST(JsonWriterTest, EscapesWhatJsonRequiresAndKeepsUtf8) {
  std::string awkward = "quote \" backslash \\ slash / Zürich 東京 \xF0\x9F\x94\x92 del \x7F";
  for (char c = 0; c < 0x20; ++c) awkward += c;
  JsonWriter out;
  out.BeginObject().Key(awkward).String(awkward).EndObject();
  const std::string text = out.Take();
  const auto parsed = nlohmann::json::parse(text);
  ASSERT_TRUE(parsed.contains(awkward));
  EXPECT_EQ(parsed.at(awkward).get<std::string>(), awkward);
  EXPECT_NE(text.find("\\u001f"), std::string::npos);
  EXPECT_NE(text.find("\\n"), std::string::npos);
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace coco::api::json
