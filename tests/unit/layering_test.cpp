#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <string>

namespace coco {
namespace {

// Calls `check` with every line of every file under domain/ (the unit tests too when
// `with_tests`), its path and line number; returns how many files it read.
int ForEachDomainLine(
    bool with_tests,
    const std::function<void(const std::filesystem::path&, int, const std::string&)>& check) {
  const std::filesystem::path domain = std::filesystem::path(COCO_SOURCE_DIR) / "domain";
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(domain)) {
    if (!entry.is_regular_file()) continue;
    if (!with_tests && entry.path().filename().string().ends_with("_test.cpp")) continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) check(entry.path(), number, line);
  }
  return files;
}

// DESIGN.md §5: the domain includes only the C++ standard library. Linking cannot enforce it
// (the other libraries' headers sit in /usr/include), so this reads every file under domain/.
TEST(LayeringTest, DomainIncludesOnlyTheStandardLibraryAndItself) {
  const std::regex include(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  const std::regex forbidden(
      R"(^(pqxx|pistache|nlohmann|spdlog|openssl|yaml-cpp|valijson|fmt|curl)/|^(libpq|pqxx)\b)");
  const int files = ForEachDomainLine(true, [&](const auto& path, int number, const auto& line) {
    std::smatch match;
    if (!std::regex_search(line, match, include)) return;
    const std::string header = match[1];
    EXPECT_FALSE(std::regex_search(header, forbidden))
        << path << ":" << number << " includes " << header;
    if (line.find('"') != std::string::npos) {
      // Project includes from the domain may only name the domain (or its tests' support).
      EXPECT_TRUE(header.rfind("domain/", 0) == 0 || header.rfind("tests/support/", 0) == 0)
          << path << ":" << number << " includes " << header;
    }
  });
  EXPECT_GT(files, 5);
}

// The domain names the fields its problems are about ("conflicts[2]", "as_of") and leaves where
// they sit in a request to the api: no JSON pointers, query or header locations in its errors.
TEST(LayeringTest, DomainErrorsNameFieldsNotLocationsInARequest) {
  // A string literal that starts a detail's field with a location: "/name", "query/as_of",
  // "header/content-type".
  const std::regex location(R"(\{\s*"(/|query/|header/))");
  const int files = ForEachDomainLine(false, [&](const auto& path, int number, const auto& line) {
    EXPECT_FALSE(std::regex_search(line, location))
        << path << ":" << number << " names a request location: " << line;
  });
  EXPECT_GT(files, 5);
}

}  // namespace
}  // namespace coco
