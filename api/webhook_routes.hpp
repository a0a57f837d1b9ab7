#pragma once

#include "api/router.hpp"
#include "domain/webhook/webhook_service.hpp"

namespace coco::api {

// POST/GET /webhooks, GET/PATCH/DELETE /webhooks/{id}, GET /webhooks/{id}/deliveries,
// POST /webhooks/{id}/deliveries/{delivery_id}/retry, POST /webhooks/{id}/test.
void AddWebhookRoutes(Router& router, domain::WebhookService* webhooks);

}  // namespace coco::api
