#include "persistence/pg_webhook_repository.hpp"

#include "domain/common/error.hpp"
#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

const std::string kWebhookColumns =
    "id, owner_id, url, event_types, supplier_id, description, enabled, disabled_reason, " +
    SqlMicros("created_at") + ", version, cursor";

const std::string kDeliveryColumns =
    "id, webhook_id, event_id, event_type, supplier_id, payload, state, attempts, " +
    SqlMicros("next_attempt_at") + ", " + SqlMicros("last_attempt_at") +
    ", last_status, last_error, " + SqlMicros("created_at") + ", " + SqlMicros("delivered_at");

domain::Webhook WebhookFromRow(const pqxx::row& row) {
  domain::Webhook webhook{domain::WebhookId::Parse(row[0].as<std::string>()),
                          domain::UserId::Parse(row[1].as<std::string>()),
                          row[2].as<std::string>(),
                          ParseTextArray(row[3]),
                          std::nullopt,
                          row[5].as<std::string>(),
                          row[6].as<bool>(),
                          OptionalText(row[7]),
                          FromEpochMicros(row[8].as<long long>()),
                          row[9].as<long long>(),
                          row[10].as<long long>()};
  if (!row[4].is_null()) webhook.supplier_id = domain::SupplierId::Parse(row[4].as<std::string>());
  return webhook;
}

domain::Delivery DeliveryFromRow(const pqxx::row& row) {
  domain::Delivery delivery{domain::DeliveryId::Parse(row[0].as<std::string>()),
                            domain::WebhookId::Parse(row[1].as<std::string>()),
                            std::nullopt,
                            row[3].as<std::string>(),
                            std::nullopt,
                            row[5].as<std::string>(),
                            *domain::TryParseDeliveryState(row[6].as<std::string>()),
                            row[7].as<int>(),
                            FromEpochMicros(row[8].as<long long>()),
                            OptionalTime(row[9]),
                            std::nullopt,
                            OptionalText(row[11]),
                            FromEpochMicros(row[12].as<long long>()),
                            OptionalTime(row[13])};
  if (!row[2].is_null()) delivery.event_id = row[2].as<long long>();
  if (!row[4].is_null()) {
    delivery.supplier_id = domain::SupplierId::Parse(row[4].as<std::string>());
  }
  if (!row[10].is_null()) delivery.last_status = row[10].as<int>();
  return delivery;
}

domain::PagePosition PositionOf(std::chrono::system_clock::time_point at, const std::string& id) {
  return domain::PagePosition{ToEpochMicros(at), id};
}

std::optional<std::string> SupplierText(const std::optional<domain::SupplierId>& supplier) {
  if (!supplier) return std::nullopt;
  return supplier->str();
}

// Receiving is reading: the subscriptions of a disabled user get and send nothing.
const std::string kActiveOwner =
    " AND EXISTS (SELECT 1 FROM users u WHERE u.id = w.owner_id AND u.state = 'active')";

// The heads of the (webhook, supplier) queues due at $1, at most $2, oldest first: nothing older
// of the same pair is pending. Meant to be read in `seq` order (webhook_deliveries_pending_idx),
// stopping at the limit, so that a round visits about as many deliveries as it sends; the
// webhooks that may receive are an array computed once (an InitPlan) rather than a join, which
// the planner would drive from the webhooks instead. Run with sorting disabled (DueDeliveries):
// with statistics taken while a burst was being written (the table small, or its deliveries
// mostly delivered) the planner chose to collect every pending delivery, sort them and probe
// each, 120-300 ms a round with 30,000 pending instead of 0.4 ms (bench/run_webhooks.sh).
std::string DueDeliveriesSql() {
  return "SELECT " + kDeliveryColumns +
         ", url, secret FROM (SELECT d.*, w.url, w.secret FROM (SELECT d.* FROM"
         " webhook_deliveries d WHERE d.state = 'pending' AND d.next_attempt_at <= " +
         SqlTime(1) + " AND d.webhook_id = ANY(ARRAY(SELECT w.id FROM webhooks w WHERE w.enabled" +
         kActiveOwner +
         "))"
         // Test pings (no supplier) are not ordered. `=` rather than IS NOT DISTINCT FROM, so
         // the probe uses webhook_deliveries_queue_idx.
         " AND (d.supplier_id IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_deliveries p"
         " WHERE p.webhook_id = d.webhook_id AND p.supplier_id = d.supplier_id"
         " AND p.state = 'pending' AND p.seq < d.seq))"
         " ORDER BY d.seq LIMIT $2) d JOIN webhooks w ON w.id = d.webhook_id) due ORDER BY seq";
}

}  // namespace

void PgWebhookRepository::Prepare(pqxx::connection& connection) {
  connection.prepare(
      "webhook_insert",
      "INSERT INTO webhooks (id, owner_id, url, event_types, supplier_id, description, secret,"
      " cursor, created_at) VALUES ($1, $2, $3, $4::text[], $5, $6, $7,"
      " (SELECT coalesce(max(id), 0) FROM events), " +
          SqlTime(8) + ") RETURNING " + kWebhookColumns);
  connection.prepare("webhook_find", "SELECT " + kWebhookColumns + " FROM webhooks WHERE id = $1");
  connection.prepare("webhook_find_for_update",
                     "SELECT " + kWebhookColumns + " FROM webhooks WHERE id = $1 FOR UPDATE");
  connection.prepare("webhook_list", "SELECT " + kWebhookColumns +
                                         " FROM webhooks WHERE ($1::uuid IS NULL OR owner_id = $1)"
                                         " AND ($2::bigint IS NULL OR (created_at, id) > (" +
                                         SqlTime(2) +
                                         ", $3::uuid))"
                                         " ORDER BY created_at, id LIMIT $4");
  connection.prepare("webhook_update",
                     "UPDATE webhooks SET url = $2, event_types = $3::text[], description = $4,"
                     " enabled = $5, disabled_reason = $6, version = version + 1"
                     " WHERE id = $1 RETURNING version");
  connection.prepare("webhook_delete", "DELETE FROM webhooks WHERE id = $1");
  connection.prepare("webhook_deliveries", "SELECT " + kDeliveryColumns +
                                               " FROM webhook_deliveries WHERE webhook_id = $1"
                                               " AND ($2::bigint IS NULL OR (created_at, id) < (" +
                                               SqlTime(2) +
                                               ", $3::uuid))"
                                               " ORDER BY created_at DESC, id DESC LIMIT $4");
  connection.prepare(
      "webhook_delivery_retry",
      "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = " + SqlTime(3) +
          ", delivered_at = NULL WHERE webhook_id = $1 AND id = $2"
          " RETURNING " +
          kDeliveryColumns);
  connection.prepare("webhook_delivery_insert",
                     "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type,"
                     " supplier_id, payload, next_attempt_at, created_at) VALUES ($1, $2, $3, $4,"
                     " $5, $6, " +
                         SqlTime(7) + ", " + SqlTime(8) +
                         ") ON CONFLICT (webhook_id, event_id) DO NOTHING RETURNING " +
                         kDeliveryColumns);
  connection.prepare("webhook_enabled", "SELECT " + kWebhookColumns +
                                            " FROM webhooks w WHERE enabled" + kActiveOwner +
                                            " ORDER BY id");
  connection.prepare("webhook_events_after",
                     "SELECT id, type, supplier_id, entity, entity_id, data::text, " +
                         SqlMicros("occurred_at") +
                         " FROM events WHERE id > $1 ORDER BY id LIMIT $2");
  // A fan-out's deliveries and cursor moves, one statement each whatever their number.
  connection.prepare(
      "webhook_deliveries_add",
      "INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, supplier_id, payload,"
      " next_attempt_at, created_at)"
      " SELECT t.id, t.webhook_id, t.event_id, t.event_type, t.supplier_id, t.payload, " +
          SqlTimeOf("t.due") + ", " + SqlTimeOf("t.made") +
          " FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::uuid[], $6::text[],"
          " $7::bigint[], $8::bigint[])"
          " AS t(id, webhook_id, event_id, event_type, supplier_id, payload, due, made)"
          " ON CONFLICT (webhook_id, event_id) DO NOTHING");
  connection.prepare(
      "webhook_cursor_move",
      "UPDATE webhooks SET cursor = greatest(cursor, $2) WHERE id = ANY($1::uuid[])");
  connection.prepare("webhook_due", DueDeliveriesSql());
  // A round's outcomes, one statement whatever their number.
  connection.prepare(
      "webhook_deliveries_record",
      "UPDATE webhook_deliveries d SET state = t.state, attempts = d.attempts + 1,"
      " last_attempt_at = " +
          SqlTimeOf("t.at") + ", last_status = t.status, last_error = t.error, next_attempt_at = " +
          SqlTimeOf("t.next") + ", delivered_at = CASE WHEN t.state = 'delivered' THEN " +
          SqlTimeOf("t.at") +
          " END FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::integer[],"
          " $5::text[], $6::bigint[]) AS t(id, state, at, status, error, next)"
          " WHERE d.id = t.id");
  // Disabling leaves a notice for the mail round to tell the owner (migrations/0020).
  connection.prepare("webhook_disable",
                     "WITH disabled AS (UPDATE webhooks SET enabled = false, disabled_reason = $2,"
                     " version = version + 1 WHERE id = $1 AND enabled RETURNING id, version)"
                     " INSERT INTO mail_webhooks_disabled (webhook_id, version, disabled_at)"
                     " SELECT id, version, " +
                         SqlTime(3) + " FROM disabled");
}

domain::Webhook PgWebhookRepository::Create(const domain::Webhook& webhook,
                                            const std::string& secret, const domain::Actor& actor,
                                            const domain::AuditEntry& audit) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto rows =
        tx.exec_prepared("webhook_insert", webhook.id.str(), webhook.owner_id.str(), webhook.url,
                         TextArray(webhook.event_types), SupplierText(webhook.supplier_id),
                         webhook.description, secret, ToEpochMicros(webhook.created_at));
    audit_.Append(tx, actor, audit);
    return WebhookFromRow(rows[0]);
  });
}

std::optional<domain::Webhook> PgWebhookRepository::Find(const domain::WebhookId& id) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) -> std::optional<domain::Webhook> {
    const auto rows = tx.exec_prepared("webhook_find", id.str());
    if (rows.empty()) return std::nullopt;
    return WebhookFromRow(rows[0]);
  });
}

domain::PageResult<domain::Webhook> PgWebhookRepository::List(
    const std::optional<domain::UserId>& owner, const domain::PageRequest& page) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    const auto after = AfterOf(page);
    const auto rows = tx.exec_prepared("webhook_list", OptionalIdText(owner), after.micros,
                                       after.id, page.limit + 1);
    return KeysetPage<domain::Webhook>(
        rows, page.limit, WebhookFromRow,
        [](const domain::Webhook& last) { return PositionOf(last.created_at, last.id.str()); });
  });
}

domain::Webhook PgWebhookRepository::Update(
    const domain::WebhookId& id, std::optional<long long> expected_version,
    const domain::Actor& actor, const std::function<domain::AuditEntry(domain::Webhook&)>& change) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto rows = tx.exec_prepared("webhook_find_for_update", id.str());
    if (rows.empty()) throw domain::NotFound("no such webhook");
    domain::Webhook webhook = WebhookFromRow(rows[0]);
    if (expected_version && *expected_version != webhook.version) {
      throw domain::StaleVersion(webhook.version);
    }
    const domain::AuditEntry audit = change(webhook);
    webhook.version =
        tx.exec_prepared("webhook_update", id.str(), webhook.url, TextArray(webhook.event_types),
                         webhook.description, webhook.enabled, webhook.disabled_reason)[0][0]
            .as<long long>();
    audit_.Append(tx, actor, audit);
    return webhook;
  });
}

void PgWebhookRepository::Delete(const domain::WebhookId& id,
                                 std::optional<long long> expected_version,
                                 const domain::Actor& actor, const domain::AuditEntry& audit) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto rows = tx.exec_prepared("webhook_find_for_update", id.str());
    if (rows.empty()) throw domain::NotFound("no such webhook");
    const auto version = rows[0][9].as<long long>();
    if (expected_version && *expected_version != version) throw domain::StaleVersion(version);
    tx.exec_prepared("webhook_delete", id.str());
    audit_.Append(tx, actor, audit);
  });
}

domain::PageResult<domain::Delivery> PgWebhookRepository::Deliveries(
    const domain::WebhookId& webhook, const domain::PageRequest& page) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    const auto after = AfterOf(page);
    const auto rows = tx.exec_prepared("webhook_deliveries", webhook.str(), after.micros, after.id,
                                       page.limit + 1);
    return KeysetPage<domain::Delivery>(
        rows, page.limit, DeliveryFromRow,
        [](const domain::Delivery& last) { return PositionOf(last.created_at, last.id.str()); });
  });
}

domain::Delivery PgWebhookRepository::Retry(const domain::WebhookId& webhook,
                                            const domain::DeliveryId& id,
                                            std::chrono::system_clock::time_point now) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto rows =
        tx.exec_prepared("webhook_delivery_retry", webhook.str(), id.str(), ToEpochMicros(now));
    if (rows.empty()) throw domain::NotFound("no such delivery");
    return DeliveryFromRow(rows[0]);
  });
}

domain::Delivery PgWebhookRepository::Enqueue(const domain::Delivery& delivery) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    const auto rows = tx.exec_prepared(
        "webhook_delivery_insert", delivery.id.str(), delivery.webhook_id.str(), delivery.event_id,
        delivery.event_type, SupplierText(delivery.supplier_id), delivery.payload,
        ToEpochMicros(delivery.next_attempt_at), ToEpochMicros(delivery.created_at));
    if (rows.empty()) throw domain::AlreadyExists("that delivery is already queued");
    return DeliveryFromRow(rows[0]);
  });
}

domain::WebhookQueue::Backlog PgWebhookRepository::PendingEvents(int limit) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    Backlog backlog;
    long long lowest = -1;
    for (const auto& row : tx.exec_prepared("webhook_enabled")) {
      backlog.webhooks.push_back(WebhookFromRow(row));
      const long long cursor = backlog.webhooks.back().cursor;
      if (lowest < 0 || cursor < lowest) lowest = cursor;
    }
    if (backlog.webhooks.empty()) return backlog;
    for (const auto& row : tx.exec_prepared("webhook_events_after", lowest, limit)) {
      backlog.events.push_back(domain::EventRecord{
          row[0].as<long long>(), row[1].as<std::string>(), row[2].as<std::string>(),
          row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<std::string>(),
          FromEpochMicros(row[6].as<long long>())});
    }
    return backlog;
  });
}

void PgWebhookRepository::AddDeliveries(const std::vector<domain::Delivery>& deliveries,
                                        const std::vector<domain::WebhookId>& webhooks,
                                        long long through) {
  std::vector<std::optional<std::string>> ids, owners, events, types, suppliers, payloads, due,
      made;
  for (const auto& delivery : deliveries) {
    ids.emplace_back(delivery.id.str());
    owners.emplace_back(delivery.webhook_id.str());
    events.emplace_back(delivery.event_id ? std::optional(std::to_string(*delivery.event_id))
                                          : std::nullopt);
    types.emplace_back(delivery.event_type);
    suppliers.emplace_back(SupplierText(delivery.supplier_id));
    payloads.emplace_back(delivery.payload);
    due.emplace_back(std::to_string(ToEpochMicros(delivery.next_attempt_at)));
    made.emplace_back(std::to_string(ToEpochMicros(delivery.created_at)));
  }
  std::vector<std::optional<std::string>> moved;
  for (const auto& webhook : webhooks) moved.emplace_back(webhook.str());
  WithTransaction(pool_, [&](pqxx::work& tx) {
    if (!deliveries.empty()) {
      tx.exec_prepared("webhook_deliveries_add", TextArray(ids), TextArray(owners),
                       TextArray(events), TextArray(types), TextArray(suppliers),
                       TextArray(payloads), TextArray(due), TextArray(made));
    }
    if (!webhooks.empty()) tx.exec_prepared("webhook_cursor_move", TextArray(moved), through);
  });
}

std::vector<domain::WebhookQueue::Due> PgWebhookRepository::DueDeliveries(
    std::chrono::system_clock::time_point now, int limit) {
  return WithTransaction(pool_, [&](pqxx::work& tx) {
    // Its plan (made once, while this holds) reads the deliveries in order rather than sorting.
    tx.exec("SET LOCAL enable_sort = off");
    std::vector<Due> due;
    for (const auto& row : tx.exec_prepared("webhook_due", ToEpochMicros(now), limit)) {
      due.push_back(
          Due{DeliveryFromRow(row), row[14].as<std::string>(), row[15].as<std::string>()});
    }
    return due;
  });
}

void PgWebhookRepository::Record(
    const std::vector<std::pair<domain::Delivery, Outcome>>& outcomes) {
  if (outcomes.empty()) return;
  std::vector<std::optional<std::string>> ids, states, at, statuses, errors, next;
  for (const auto& [delivery, outcome] : outcomes) {
    ids.emplace_back(delivery.id.str());
    states.emplace_back(std::string(domain::ToString(outcome.state)));
    at.emplace_back(std::to_string(ToEpochMicros(outcome.at)));
    statuses.emplace_back(outcome.status ? std::optional(std::to_string(*outcome.status))
                                         : std::nullopt);
    errors.emplace_back(outcome.error);
    next.emplace_back(std::to_string(ToEpochMicros(outcome.next_attempt_at)));
  }
  WithTransaction(pool_, [&](pqxx::work& tx) {
    tx.exec_prepared("webhook_deliveries_record", TextArray(ids), TextArray(states), TextArray(at),
                     TextArray(statuses), TextArray(errors), TextArray(next));
    for (const auto& [delivery, outcome] : outcomes) {
      if (outcome.disable_reason) {
        tx.exec_prepared("webhook_disable", delivery.webhook_id.str(), *outcome.disable_reason,
                         ToEpochMicros(outcome.at));
      }
    }
  });
}

}  // namespace coco::persistence
