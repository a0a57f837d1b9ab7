#pragma once

#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/identity/authorization.hpp"
#include "domain/service/service_repository.hpp"
#include "domain/trigger/trigger_repository.hpp"

namespace coco::domain {

struct NewTrigger {
  TriggerKind kind = TriggerKind::kOther;
  Date occurred_on;
  std::string note;
};

// Reassessment triggers on a service (DESIGN.md §2): events after which an approval no longer
// stands on its own. Recorded by the supplier, an assessor or an admin.
class TriggerService {
 public:
  TriggerService(TriggerRepository& triggers, ServiceRepository& services, IdGenerator& ids,
                 const Clock& clock)
      : triggers_(triggers), services_(services), ids_(ids), clock_(clock) {}

  // 422 "invalid_occurred_on" for a date in the future.
  Trigger Record(const Actor& actor, const ServiceId& service, const Parsed<NewTrigger>& trigger);
  PageResult<Trigger> List(const Actor& actor, const ServiceId& service,
                           const Parsed<PageRequest>& page);

 private:
  // The service if `actor` may do `action` on it; 404 for a missing one and another supplier's.
  Service ServiceFor(const Actor& actor, const ServiceId& id, Permission action);

  TriggerRepository& triggers_;
  ServiceRepository& services_;
  IdGenerator& ids_;
  const Clock& clock_;
};

}  // namespace coco::domain
