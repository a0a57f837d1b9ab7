#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "domain/trigger/trigger_repository.hpp"

namespace coco::test {

// TriggerRepository in memory, keeping the same contract as PgTriggerRepository
// (tests/support/trigger_repository_contract.hpp): for unit tests of the rules that use it.
class InMemoryTriggerRepository final : public domain::TriggerRepository {
 public:
  void Record(const domain::Trigger& trigger, const domain::Actor& actor,
              const domain::AuditEntry& audit) override;
  domain::PageResult<domain::Trigger> List(const domain::ServiceId& service,
                                           const domain::PageRequest& page) override;

  // The audit actions appended, oldest first.
  std::vector<std::string> AuditActions() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, domain::Trigger> triggers_;
  std::vector<domain::AuditEntry> audit_;
};

}  // namespace coco::test
