#include <gtest/gtest.h>

#include "app/backup.hpp"

namespace coco::app {
namespace {

TEST(BackupUrlTest, ThePasswordLeavesTheUrlForPgpassword) {
  const auto split =
      SplitPassword("postgresql://coco:s%40cr%3At@db.example:5432/coco?sslmode=require");
  EXPECT_EQ(split.url, "postgresql://coco@db.example:5432/coco?sslmode=require");
  ASSERT_TRUE(split.password.has_value());
  EXPECT_EQ(*split.password, "s@cr:t");
  EXPECT_EQ(SplitPassword("postgres://u:p@h/d").url, "postgres://u@h/d");
}

TEST(BackupUrlTest, UrlsWithoutAPasswordPassUnchanged) {
  for (const std::string url :
       {"postgresql://coco@127.0.0.1:5432/coco", "postgresql:///coco?host=/run/pg",
        "host=db user=coco password=x dbname=coco", "postgresql://db/coco?user=a:b@c"}) {
    const auto split = SplitPassword(url);
    EXPECT_EQ(split.url, url);
    EXPECT_FALSE(split.password.has_value()) << url;
  }
}

TEST(BackupUrlTest, RedactedUrlHidesOnlyThePassword) {
  EXPECT_EQ(RedactedUrl("postgresql://coco@db/coco"), "postgresql://coco@db/coco");
  EXPECT_EQ(RedactedUrl("host=db password=x dbname=coco"), "host=db password=*** dbname=coco");
  EXPECT_EQ(RedactedUrl("postgresql://db/coco?password=x&sslmode=require"),
            "postgresql://db/coco?password=***&sslmode=require");
  EXPECT_EQ(RedactedUrl("postgresql://coco:secret@db:5432/coco"),
            "postgresql://coco:***@db:5432/coco");
}

}  // namespace
}  // namespace coco::app
