#pragma once

#include <nlohmann/json.hpp>

#include "api/http.hpp"
#include "domain/webhook/webhook_service.hpp"

// The webhook bodies (openapi/openapi.yaml: Webhook, NewWebhook, WebhookPatch, Delivery).
namespace coco::api::json {

nlohmann::json WebhookJson(const domain::Webhook& webhook);
nlohmann::json DeliveryJson(const domain::Delivery& delivery);
domain::NewWebhook ReadNewWebhook(const Request& request);
domain::WebhookPatch ReadWebhookPatch(const Request& request);

}  // namespace coco::api::json
