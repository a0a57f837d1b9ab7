#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

namespace coco {
namespace {

// DESIGN.md §5: the domain includes only the C++ standard library. Linking cannot enforce it
// (the other libraries' headers sit in /usr/include), so this reads every file under domain/.
TEST(LayeringTest, DomainIncludesOnlyTheStandardLibraryAndItself) {
  const std::filesystem::path domain = std::filesystem::path(COCO_SOURCE_DIR) / "domain";
  const std::regex include(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  const std::regex forbidden(
      R"(^(pqxx|pistache|nlohmann|spdlog|openssl|yaml-cpp|valijson|fmt)/|^(libpq|pqxx)\b)");
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(domain)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      std::smatch match;
      if (!std::regex_search(line, match, include)) continue;
      const std::string header = match[1];
      EXPECT_FALSE(std::regex_search(header, forbidden))
          << entry.path() << ":" << number << " includes " << header;
      if (line.find('"') != std::string::npos) {
        // Project includes from the domain may only name the domain (or its tests' support).
        EXPECT_TRUE(header.rfind("domain/", 0) == 0 || header.rfind("tests/support/", 0) == 0)
            << entry.path() << ":" << number << " includes " << header;
      }
    }
  }
  EXPECT_GT(files, 5);
}

// The domain names the fields its problems are about ("conflicts[2]", "as_of") and leaves where
// they sit in a request to the api: no JSON pointers, query or header locations in its errors.
TEST(LayeringTest, DomainErrorsNameFieldsNotLocationsInARequest) {
  const std::filesystem::path domain = std::filesystem::path(COCO_SOURCE_DIR) / "domain";
  // A string literal that starts a detail's field with a location: "/name", "query/as_of",
  // "header/content-type".
  const std::regex location(R"(\{\s*"(/|query/|header/))");
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(domain)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || name.ends_with("_test.cpp")) continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      EXPECT_FALSE(std::regex_search(line, location))
          << entry.path() << ":" << number << " names a request location: " << line;
    }
  }
  EXPECT_GT(files, 5);
}

}  // namespace
}  // namespace coco
