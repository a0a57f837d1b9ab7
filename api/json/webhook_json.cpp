#include "api/json/webhook_json.hpp"

#include "api/context.hpp"
#include "api/json/body.hpp"
#include "api/json/nullable.hpp"
#include "domain/common/date.hpp"

namespace coco::api::json {
namespace {

// An array of event type names: strings of at most 60 characters. How many, and whether each
// names an event type, is the domain's to say.
std::optional<std::vector<std::string>> EventTypes(ObjectReader& body, bool required) {
  const nlohmann::json* raw = body.Raw("event_types", required, nlohmann::json::value_t::array);
  if (raw == nullptr) return std::nullopt;
  std::vector<std::string> types;
  for (std::size_t i = 0; i < raw->size(); ++i) {
    const auto& item = (*raw)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().size() > 60) {
      body.Problem(body.Pointer("event_types") + "/" + std::to_string(i), "invalid_type",
                   "an event type name");
      continue;
    }
    types.push_back(item.get<std::string>());
  }
  return types;
}

}  // namespace

nlohmann::json WebhookJson(const domain::Webhook& webhook) {
  return {{"id", webhook.id.str()},
          {"owner_id", webhook.owner_id.str()},
          {"url", webhook.url},
          {"event_types", webhook.event_types},
          {"supplier_id", IdOrNull(webhook.supplier_id)},
          {"description", webhook.description},
          {"enabled", webhook.enabled},
          {"disabled_reason", TextOrNull(webhook.disabled_reason)},
          {"created_at", domain::FormatTimestamp(webhook.created_at)},
          {"etag", EntityTag(webhook.version)}};
}

nlohmann::json DeliveryJson(const domain::Delivery& delivery) {
  return {{"id", delivery.id.str()},
          {"webhook_id", delivery.webhook_id.str()},
          {"event_id", OrNull(delivery.event_id, [](long long id) { return std::to_string(id); })},
          {"event_type", delivery.event_type},
          {"supplier_id", IdOrNull(delivery.supplier_id)},
          {"state", domain::ToString(delivery.state)},
          {"attempts", delivery.attempts},
          {"next_attempt_at", TimeOrNull(delivery.state == domain::DeliveryState::kPending
                                             ? std::optional(delivery.next_attempt_at)
                                             : std::nullopt)},
          {"last_attempt_at", TimeOrNull(delivery.last_attempt_at)},
          {"last_status", OrNull(delivery.last_status, [](int status) { return status; })},
          {"last_error", TextOrNull(delivery.last_error)},
          {"created_at", domain::FormatTimestamp(delivery.created_at)},
          {"delivered_at", TimeOrNull(delivery.delivered_at)}};
}

domain::NewWebhook ReadNewWebhook(const Request& request) {
  ObjectReader body(request);
  auto url = body.String("url", true, 2000);
  auto types = EventTypes(body, true);
  auto supplier = body.Uuid("supplier_id", false);
  auto description = body.String("description", false, 2000, 0);
  body.Finish();
  domain::NewWebhook wanted{*url, *types, std::nullopt, description.value_or("")};
  if (supplier) wanted.supplier_id = domain::SupplierId::Parse(*supplier);
  return wanted;
}

domain::WebhookPatch ReadWebhookPatch(const Request& request) {
  ObjectReader body(request);
  domain::WebhookPatch patch;
  patch.url = body.String("url", false, 2000);
  patch.event_types = EventTypes(body, false);
  patch.description = body.String("description", false, 2000, 0);
  patch.enabled = body.Bool("enabled", false);
  body.Finish();
  return patch;
}

}  // namespace coco::api::json
