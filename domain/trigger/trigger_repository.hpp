#pragma once

#include "domain/audit/audit.hpp"
#include "domain/common/paging.hpp"
#include "domain/trigger/trigger.hpp"

namespace coco::domain {

class TriggerRepository {
 public:
  virtual ~TriggerRepository() = default;
  virtual void Record(const Trigger& trigger, const Actor& actor, const AuditEntry& audit) = 0;
  // Oldest first (by recording time).
  virtual PageResult<Trigger> List(const ServiceId& service, const PageRequest& page) = 0;
};

}  // namespace coco::domain
