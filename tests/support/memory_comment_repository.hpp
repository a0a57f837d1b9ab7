#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "domain/review/comment_repository.hpp"

namespace coco::test {

// CommentRepository in memory, keeping the same contract as PgCommentRepository
// (tests/support/comment_repository_contract.hpp): for unit tests of the rules that use it.
class InMemoryCommentRepository final : public domain::CommentRepository {
 public:
  void Add(const domain::Comment& comment, const domain::Actor& actor,
           const domain::AuditEntry& audit) override;
  domain::PageResult<domain::Comment> List(const domain::AssessmentId& assessment,
                                           bool include_internal,
                                           const domain::PageRequest& page) override;

  // The audit actions appended, oldest first.
  std::vector<std::string> AuditActions() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, domain::Comment> comments_;
  std::vector<domain::AuditEntry> audit_;
};

}  // namespace coco::test
