#include "api/router.hpp"

#include <gtest/gtest.h>

namespace coco::api {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response{200, "text/plain", name, {}}; };
}

std::string Call(const Router::Match& match) {
  Request request;
  return match.route->handler(request).body;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(Method::kGet, "/suppliers", Access::kAuthenticated, Body::kNone, Named("list"));
    router_.Add(Method::kPost, "/suppliers", Access::kAuthenticated, Body::kJson, Named("create"));
    router_.Add(Method::kGet, "/suppliers/{id}", Access::kAuthenticated, Body::kNone, Named("get"));
    router_.Add(Method::kGet, "/suppliers/{id}/services", Access::kAuthenticated, Body::kNone,
                Named("services"));
    router_.Add(Method::kGet, "/standards/{key}", Access::kAuthenticated, Body::kNone,
                Named("standard"));
    router_.Add(Method::kPost, "/standards/import", Access::kAuthenticated, Body::kJson,
                Named("import"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndParameterSegments) {
  auto match = router_.Find(Method::kGet, "/suppliers/abc/services");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(Call(match), "services");
  EXPECT_EQ(match.params.at("id"), "abc");
  EXPECT_EQ(Call(router_.Find(Method::kPost, "/suppliers")), "create");
}

TEST_F(RouterTest, DecodesParameters) {
  EXPECT_EQ(router_.Find(Method::kGet, "/suppliers/a%20b").params.at("id"), "a b");
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  for (const char* path : {"/", "", "/nope", "/suppliers/abc/other", "/suppliers//services",
                           "suppliers", "/suppliers/abc/services/extra"}) {
    const auto match = router_.Find(Method::kGet, path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_TRUE(match.allowed.empty()) << path;
  }
}

TEST_F(RouterTest, KnownPathWithOtherMethodListsTheAllowedOnes) {
  const auto match = router_.Find(Method::kDelete, "/suppliers");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed, (std::vector<Method>{Method::kGet, Method::kPost}));
  for (Method method : kAllMethods) {
    if (method == Method::kGet) continue;
    EXPECT_EQ(router_.Find(method, "/suppliers/x").route, nullptr);
  }
}

TEST_F(RouterTest, ALiteralPathBeatsAParameterForItsOwnMethodsOnly) {
  EXPECT_EQ(Call(router_.Find(Method::kPost, "/standards/import")), "import");
  EXPECT_EQ(Call(router_.Find(Method::kGet, "/standards/COCO")), "standard");
  // GET /standards/import is the literal resource, which has no GET: 405, not the parameter.
  const auto match = router_.Find(Method::kGet, "/standards/import");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed, (std::vector<Method>{Method::kPost}));
}

TEST_F(RouterTest, RefusesDuplicateRegistration) {
  EXPECT_ANY_THROW(
      router_.Add(Method::kGet, "/suppliers", Access::kPublic, Body::kNone, Named("again")));
}

}  // namespace
}  // namespace coco::api
