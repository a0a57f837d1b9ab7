#pragma once

#include "domain/webhook/webhook_repository.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_audit.hpp"

namespace coco::persistence {

// Webhook subscriptions, their delivery log and the delivery queue (migrations/0016).
class PgWebhookRepository final : public domain::WebhookRepository, public domain::WebhookQueue {
 public:
  PgWebhookRepository(ConnectionPool& pool, const PgAuditLog& audit) : pool_(pool), audit_(audit) {
    pool_.Use(&PgAuditLog::Prepare);
    pool_.Use(&Prepare);
  }

  domain::Webhook Create(const domain::Webhook& webhook, const std::string& secret,
                         const domain::Actor& actor, const domain::AuditEntry& audit) override;
  std::optional<domain::Webhook> Find(const domain::WebhookId& id) override;
  domain::PageResult<domain::Webhook> List(const std::optional<domain::UserId>& owner,
                                           const domain::PageRequest& page) override;
  domain::Webhook Update(
      const domain::WebhookId& id, std::optional<long long> expected_version,
      const domain::Actor& actor,
      const std::function<domain::AuditEntry(domain::Webhook&)>& change) override;
  void Delete(const domain::WebhookId& id, std::optional<long long> expected_version,
              const domain::Actor& actor, const domain::AuditEntry& audit) override;
  domain::PageResult<domain::Delivery> Deliveries(const domain::WebhookId& webhook,
                                                  const domain::PageRequest& page) override;
  domain::Delivery Retry(const domain::WebhookId& webhook, const domain::DeliveryId& id,
                         std::chrono::system_clock::time_point now) override;
  domain::Delivery Enqueue(const domain::Delivery& delivery) override;

  Backlog PendingEvents(int limit) override;
  void AddDeliveries(const std::vector<domain::Delivery>& deliveries,
                     const std::vector<domain::WebhookId>& webhooks, long long through) override;
  std::vector<Due> DueDeliveries(std::chrono::system_clock::time_point now, int limit) override;
  void Record(const std::vector<std::pair<domain::Delivery, Outcome>>& outcomes) override;

 private:
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
  const PgAuditLog& audit_;
};

}  // namespace coco::persistence
