#include "api/webhook_routes.hpp"

#include "api/context.hpp"
#include "api/json/body.hpp"
#include "api/json/paging.hpp"
#include "api/json/webhook_json.hpp"
#include "api/query.hpp"

namespace coco::api {
namespace {

Response WebhookResponse(const domain::Webhook& webhook, int status = 200) {
  return json::OkTagged(json::WebhookJson(webhook), webhook.version, status);
}

domain::WebhookId WebhookOf(const Request& request) {
  return domain::WebhookId::Parse(request.PathParam("id"));
}

}  // namespace

void AddWebhookRoutes(Router& router, domain::WebhookService* webhooks) {
  router.Add(Method::kPost, "/webhooks", Access::kAuthenticated, Body::kJson, Creates::kYes,
             [webhooks](Request& request) {
               const auto created = webhooks->Create(ActorOf(request), Parse([&] {
                                                       RejectUnknownQuery(request, {});
                                                       return json::ReadNewWebhook(request);
                                                     }));
               nlohmann::json body = json::WebhookJson(created.webhook);
               body["secret"] = created.secret;  // shown once, never again
               Response response = json::OkTagged(body, created.webhook.version, 201);
               response.WithHeader("Location", "/webhooks/" + created.webhook.id.str());
               response.WithHeader("Cache-Control", "no-store");
               return response;
             });

  router.Add(Method::kGet, "/webhooks", Access::kAuthenticated, Body::kNone,
             [webhooks](Request& request) {
               const auto page = webhooks->List(ActorOf(request), Parse([&] {
                                                  RejectUnknownQuery(request, {"limit", "cursor"});
                                                  return json::PageFromQuery(request);
                                                }));
               nlohmann::json items = nlohmann::json::array();
               for (const auto& webhook : page.items) items.push_back(json::WebhookJson(webhook));
               return json::Ok(json::PageJson(std::move(items), page.next));
             });

  router.Add(Method::kGet, "/webhooks/{id}", Access::kAuthenticated, Body::kNone,
             [webhooks](Request& request) {
               RejectUnknownQuery(request, {});
               return WebhookResponse(webhooks->Get(ActorOf(request), WebhookOf(request)));
             });

  router.Add(
      Method::kPatch, "/webhooks/{id}", Access::kAuthenticated, Body::kJson,
      [webhooks](Request& request) {
        return WebhookResponse(webhooks->Patch(ActorOf(request), WebhookOf(request), Parse([&] {
                                                 RejectUnknownQuery(request, {});
                                                 return json::ReadWebhookPatch(request);
                                               }),
                                               IfMatchVersion(request)));
      });

  router.Add(Method::kDelete, "/webhooks/{id}", Access::kAuthenticated, Body::kNone,
             [webhooks](Request& request) {
               RejectUnknownQuery(request, {});
               webhooks->Delete(ActorOf(request), WebhookOf(request), IfMatchVersion(request));
               return Response{204, "", "", {}};
             });

  router.Add(Method::kGet, "/webhooks/{id}/deliveries", Access::kAuthenticated, Body::kNone,
             [webhooks](Request& request) {
               const auto page =
                   webhooks->Deliveries(ActorOf(request), WebhookOf(request), Parse([&] {
                                          RejectUnknownQuery(request, {"limit", "cursor"});
                                          return json::PageFromQuery(request);
                                        }));
               nlohmann::json items = nlohmann::json::array();
               for (const auto& delivery : page.items) {
                 items.push_back(json::DeliveryJson(delivery));
               }
               return json::Ok(json::PageJson(std::move(items), page.next));
             });

  router.Add(Method::kPost, "/webhooks/{id}/deliveries/{delivery_id}/retry", Access::kAuthenticated,
             Body::kNone, [webhooks](Request& request) {
               RejectUnknownQuery(request, {});
               return json::Ok(json::DeliveryJson(
                   webhooks->Retry(ActorOf(request), WebhookOf(request),
                                   domain::DeliveryId::Parse(request.PathParam("delivery_id")))));
             });

  router.Add(Method::kPost, "/webhooks/{id}/test", Access::kAuthenticated, Body::kNone,
             [webhooks](Request& request) {
               RejectUnknownQuery(request, {});
               return json::Ok(
                   json::DeliveryJson(webhooks->Test(ActorOf(request), WebhookOf(request))), 202);
             });
}

}  // namespace coco::api
