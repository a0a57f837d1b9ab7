#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "domain/assessment/assessment.hpp"
#include "domain/identity/role.hpp"

// One message of a case's comment thread.
namespace coco::domain {

struct CommentIdTag {
  static constexpr std::string_view kWhat = "comment id";
};
using CommentId = Id<CommentIdTag>;

struct Comment {
  CommentId id;
  AssessmentId assessment_id;
  SupplierId supplier_id;
  UserId author_id;
  Role author_role = Role::kAssessor;
  std::string body;
  bool internal = false;  // assessors only; never shown to the supplier
  std::chrono::system_clock::time_point created_at;
};

}  // namespace coco::domain
