#include "domain/common/parsed.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

// A use case's view of what a handler read: the value, or the problem raised while reading it,
// thrown only when the value is asked for.
TEST(ParsedTest, HoldsTheValueReadOrRaisesTheProblemOnlyWhenAskedFor) {
  const Parsed<std::string> read("text");  // a plain value converts, as callers pass it
  EXPECT_TRUE(read.ok());
  EXPECT_EQ(read.Value(), "text");

  const auto unreadable = Parsed<std::string>::Unreadable(
      std::make_exception_ptr(InvalidArgument("the body is invalid", "invalid_body")
                                  .WithDetail({"name", "required", "x"})));
  EXPECT_FALSE(unreadable.ok());  // nothing is thrown until Value()
  try {
    unreadable.Value();
    FAIL() << "no problem raised";
  } catch (const Error& error) {
    EXPECT_EQ(error.kind(), ErrorKind::kInvalidArgument);
    EXPECT_EQ(error.code(), "invalid_body");
    ASSERT_EQ(error.details().size(), 1u);
    EXPECT_EQ(error.details()[0].field, "name");
  }
  // Asked again, the same problem again.
  EXPECT_THROW(unreadable.Value(), Error);

  // A problem that is not the domain's (the api's own refusals) passes through unchanged.
  const auto other =
      Parsed<int>::Unreadable(std::make_exception_ptr(std::runtime_error("not the domain's")));
  EXPECT_THROW(other.Value(), std::runtime_error);
}

// An absent optional is a value read without problems, not an unreadable one: passing
// std::nullopt for a Parsed<std::optional<T>> once left it holding nothing at all.
TEST(ParsedTest, AnAbsentOptionalIsAReadValue) {
  const Parsed<std::optional<int>> absent(std::nullopt);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent.Value().has_value());
  const Parsed<std::optional<int>> present(7);
  EXPECT_EQ(present.Value(), 7);
}

}  // namespace
}  // namespace coco::domain
