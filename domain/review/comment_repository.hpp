#pragma once

#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/review/comment.hpp"

namespace coco::domain {

class CommentRepository {
 public:
  virtual ~CommentRepository() = default;
  virtual void Add(const Comment& comment, const Actor& actor, const AuditEntry& audit) = 0;
  // Oldest first; internal comments only when `include_internal`.
  virtual PageResult<Comment> List(const AssessmentId& assessment, bool include_internal,
                                   const PageRequest& page) = 0;
};

}  // namespace coco::domain
