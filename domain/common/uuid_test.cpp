#include "domain/common/uuid.hpp"

#include <gtest/gtest.h>

#include "domain/common/error.hpp"

namespace coco::domain {
namespace {

TEST(UuidTest, ParsesCanonicalFormAndLowercases) {
  EXPECT_EQ(Uuid::Parse("0E2B3F0A-1C2D-4E5F-8A9B-0C1D2E3F4A5B").str(),
            "0e2b3f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(SupplierId::Parse("0e2b3f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"),
            SupplierId::Parse("0E2B3F0A-1C2D-4E5F-8A9B-0C1D2E3F4A5B"));
}

TEST(UuidTest, RejectsAnythingElseNamingTheId) {
  for (const char* bad :
       {"", "not-a-uuid", "0e2b3f0a1c2d4e5f8a9b0c1d2e3f4a5b", "0e2b3f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5",
        "0e2b3f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5bb", "0e2b3f0a-1c2d-4e5f-8a9b_0c1d2e3f4a5b",
        "ge2b3f0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b", "'; DROP TABLE users; --"}) {
    try {
      SupplierId::Parse(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& error) {
      EXPECT_EQ(error.kind(), ErrorKind::kInvalidArgument);
      EXPECT_EQ(error.code(), "invalid_id");
      EXPECT_EQ(error.message(), "supplier id is not a UUID");
    }
  }
}

}  // namespace
}  // namespace coco::domain
