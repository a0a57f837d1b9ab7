#include "api/json/writer.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace coco::api::json {
namespace {

TEST(JsonWriterTest, PlacesCommasInNestedObjectsAndArrays) {
  JsonWriter out;
  out.BeginObject();
  out.Key("a").BeginArray().BeginObject().Key("b").Null().EndObject().BeginArray().EndArray()
      .Bool(true).EndArray();
  out.Key("c").OptionalString(std::nullopt);
  out.Key("d").OptionalString(std::string("x"));
  out.Key("e").BeginObject().EndObject();
  out.EndObject();
  EXPECT_EQ(out.Text(), R"({"a":[{"b":null},[],true],"c":null,"d":"x","e":{}})");
  EXPECT_TRUE(nlohmann::json::accept(out.Text()));
}

// Whatever a user typed into a name comes back out of a JSON parser unchanged.
TEST(JsonWriterTest, EscapesWhatJsonRequiresAndKeepsUtf8) {
  std::string awkward = "quote \" backslash \\ slash / Zürich 東京 \xF0\x9F\x94\x92 del \x7F";
  for (char c = 0; c < 0x20; ++c) awkward += c;
  JsonWriter out;
  out.BeginObject().Key(awkward).String(awkward).EndObject();
  const auto parsed = nlohmann::json::parse(out.Text());
  ASSERT_TRUE(parsed.contains(awkward));
  EXPECT_EQ(parsed.at(awkward).get<std::string>(), awkward);
  EXPECT_NE(out.Text().find("\\u001f"), std::string::npos);
  EXPECT_NE(out.Text().find("\\n"), std::string::npos);
  EXPECT_EQ(out.Text().find('\n'), std::string::npos);
}

}  // namespace
}  // namespace coco::api::json
