#include "domain/trigger/trigger_service.hpp"

#include "domain/common/error.hpp"
#include "domain/common/json_text.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::domain {

Service TriggerService::ServiceFor(const Actor& actor, const ServiceId& id, Permission action) {
  auto service = services_.Find(id);
  if (!service) throw NotFound("no such service");
  AuthorizeFound(actor.principal, action, service->supplier_id, "no such service");
  return *service;
}

Trigger TriggerService::Record(const Actor& actor, const ServiceId& id,
                               const Parsed<NewTrigger>& request) {
  const Service service = ServiceFor(actor, id, Permission::kRecordTrigger);
  const NewTrigger& wanted = request.Value();
  const TriggerKind kind = wanted.kind;
  const Date occurred_on = wanted.occurred_on;
  const std::string& note = wanted.note;
  const Date today = clock_.Today();
  if (today < occurred_on) {
    throw InvalidArgument(
        "a trigger records something that happened: occurred_on is today or "
        "earlier",
        "invalid_occurred_on")
        .WithDetail({"occurred_on", "in_future", "on or before " + today.ToString()});
  }
  Trigger trigger{
      TriggerId(ids_.NewId()), service.id,        service.supplier_id, kind, occurred_on, note,
      actor.principal.user_id, clock_.NowMicros()};
  AuditEntry audit{"trigger.record", "service", service.id.str(), service.supplier_id, {}};
  audit.detail.Set("trigger_id", trigger.id.str())
      .Set("kind", ToString(kind))
      .Set("occurred_on", occurred_on.ToString());
  triggers_.Record(trigger, actor, audit);
  return trigger;
}

PageResult<Trigger> TriggerService::List(const Actor& actor, const ServiceId& id,
                                         const Parsed<PageRequest>& page) {
  ServiceFor(actor, id, Permission::kReadSupplier);
  return triggers_.List(id, page.Value());
}

}  // namespace coco::domain
