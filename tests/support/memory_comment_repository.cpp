#include "tests/support/memory_comment_repository.hpp"

#include "domain/common/error.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/memory_paging.hpp"

namespace coco::test {

void InMemoryCommentRepository::Add(const domain::Comment& comment, const domain::Actor&,
                                    const domain::AuditEntry& audit) {
  std::lock_guard lock(mutex_);
  if (!comments_.emplace(comment.id.str(), comment).second) {
    throw domain::AlreadyExists("an object with the same key already exists");
  }
  audit_.push_back(audit);
}

domain::PageResult<domain::Comment> InMemoryCommentRepository::List(
    const domain::AssessmentId& assessment, bool include_internal,
    const domain::PageRequest& page) {
  std::lock_guard lock(mutex_);
  std::vector<domain::Comment> matching;
  for (const auto& [id, comment] : comments_) {
    if (comment.assessment_id == assessment && (include_internal || !comment.internal)) {
      matching.push_back(comment);
    }
  }
  return KeysetPageOf(std::move(matching), page,
                      [](const domain::Comment& comment) { return comment.created_at; });
}

std::vector<std::string> InMemoryCommentRepository::AuditActions() const {
  std::lock_guard lock(mutex_);
  return ActionsOf(audit_);
}

}  // namespace coco::test
