#include "persistence/pg_mail_queue.hpp"

#include "persistence/pg_types.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

// Whether user `u` gets mail of the kind `kind` (an SQL text expression): active, with an
// address, and either never chose (every kind of their role) or chose it. One rule for every
// kind's recipients.
std::string WantsMail(const std::string& kind) {
  return "u.state = 'active' AND u.email IS NOT NULL AND (u.mail_kinds IS NULL OR " + kind +
         " = ANY (u.mail_kinds))";
}

}  // namespace

void PgMailQueue::Prepare(pqxx::connection& connection) {
  connection.prepare("mail_events_after",
                     "SELECT e.id, e.type, e.supplier_id, e.entity, e.entity_id, e.data::text, " +
                         SqlMicros("e.occurred_at") +
                         ", s.name FROM events e JOIN suppliers s ON s.id = e.supplier_id"
                         " WHERE e.id > (SELECT event_id FROM mail_cursor) ORDER BY e.id LIMIT $1");
  // $1 role, $2 kind, $3 supplier, $4 of that supplier only, $5 following it only. A conflict
  // of interest declared with the supplier keeps a user out, as it keeps them from its data.
  connection.prepare("mail_recipients", "SELECT u.id, u.email FROM users u WHERE u.role = $1 AND " +
                                            WantsMail("$2") +
                                            " AND NOT ($3::uuid = ANY (u.conflicts))"
                                            " AND (NOT $4 OR u.supplier_id = $3::uuid)"
                                            " AND (NOT $5 OR $3::uuid = ANY (u.follows))"
                                            " ORDER BY u.id");
  connection.prepare(
      "mail_add",
      "INSERT INTO mail_outbox (id, user_id, to_address, kind, subject, body, dedupe_key,"
      " created_at, next_attempt_at)"
      " SELECT t.id, t.user_id, t.to_address, t.kind, t.subject, t.body, t.dedupe_key, " +
          SqlTimeOf("t.made") + ", " + SqlTimeOf("t.made") +
          " FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[],"
          " $7::text[], $8::bigint[])"
          " AS t(id, user_id, to_address, kind, subject, body, dedupe_key, made)"
          " ON CONFLICT (dedupe_key) DO NOTHING");
  connection.prepare("mail_cursor_move",
                     "UPDATE mail_cursor SET event_id = greatest(event_id, $1)");
  connection.prepare("mail_due",
                     "SELECT id, user_id, to_address, kind, subject, body, dedupe_key, attempts, " +
                         SqlMicros("created_at") +
                         " FROM mail_outbox WHERE sent_at IS NULL AND dead_at IS NULL"
                         " AND next_attempt_at <= " +
                         SqlTime(1) + " ORDER BY created_at, id LIMIT $2");
  connection.prepare(
      "mail_record",
      "UPDATE mail_outbox m SET attempts = m.attempts + 1, last_error = t.error,"
      " sent_at = CASE WHEN t.sent THEN " +
          SqlTimeOf("t.at") + " END, dead_at = CASE WHEN t.dead THEN " + SqlTimeOf("t.at") +
          " END, next_attempt_at = " + SqlTimeOf("t.next") +
          " FROM unnest($1::uuid[], $2::boolean[], $3::boolean[], $4::text[], $5::bigint[],"
          " $6::bigint[]) AS t(id, sent, dead, error, at, next)"
          " WHERE m.id = t.id");
  connection.prepare(
      "mail_digests_due",
      "SELECT u.id, u.name, u.email, u.conflicts FROM users u WHERE u.role = 'assessor' AND " +
          WantsMail("'" + std::string(domain::ToString(domain::MailKind::kReviewDigest)) + "'") +
          " AND NOT EXISTS (SELECT 1 FROM mail_digests d WHERE d.user_id = u.id AND d.day = "
          "$1::date)"
          " ORDER BY id LIMIT 100");
  connection.prepare("mail_digest_done",
                     "INSERT INTO mail_digests (user_id, day) VALUES ($1, $2::date)"
                     " ON CONFLICT DO NOTHING RETURNING user_id");
  // $1 limit, $2 the kind's name. The owner is told only while the webhook is still disabled
  // and if they want the kind, as the other kinds' recipients are found.
  connection.prepare(
      "mail_webhooks_disabled",
      "SELECT n.webhook_id, n.version, w.url, w.description, coalesce(w.disabled_reason, ''),"
      " u.id, u.email, NOT w.enabled AND " +
          WantsMail("$2") +
          " FROM mail_webhooks_disabled n JOIN webhooks w ON w.id = n.webhook_id"
          " JOIN users u ON u.id = w.owner_id ORDER BY n.disabled_at, n.webhook_id LIMIT $1");
  connection.prepare("mail_webhooks_disabled_told",
                     "DELETE FROM mail_webhooks_disabled n USING unnest($1::uuid[], $2::bigint[])"
                     " AS t(webhook_id, version)"
                     " WHERE n.webhook_id = t.webhook_id AND n.version = t.version");
  connection.prepare("mail_supplier_names",
                     "SELECT id, name FROM suppliers WHERE id = ANY ($1::uuid[])");
}

domain::MailQueue::Backlog PgMailQueue::PendingEvents(int limit) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    Backlog backlog;
    for (const auto& row : tx.exec_prepared("mail_events_after", limit)) {
      backlog.events.push_back(domain::EventRecord{
          row[0].as<long long>(), row[1].as<std::string>(), row[2].as<std::string>(),
          row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<std::string>(),
          FromEpochMicros(row[6].as<long long>())});
      backlog.supplier_names[backlog.events.back().supplier_id] = row[7].as<std::string>();
    }
    return backlog;
  });
}

std::vector<domain::MailRecipient> PgMailQueue::Recipients(const domain::MailAudience& audience,
                                                           domain::MailKind kind,
                                                           const std::string& supplier_id) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::vector<domain::MailRecipient> recipients;
    for (const auto& row :
         tx.exec_prepared("mail_recipients", std::string(domain::ToString(audience.role)),
                          std::string(domain::ToString(kind)), supplier_id,
                          audience.own_supplier_only, audience.followers_only)) {
      recipients.push_back(domain::MailRecipient{domain::UserId::Parse(row[0].as<std::string>()),
                                                 row[1].as<std::string>()});
    }
    return recipients;
  });
}

namespace {

// Stores `mails` in `tx`, one statement whatever their number; a dedupe key already stored is
// skipped.
void InsertMails(pqxx::work& tx, const std::vector<domain::Mail>& mails) {
  if (mails.empty()) return;
  std::vector<std::string> ids, users, to, kinds, subjects, bodies, keys, made;
  for (const auto& mail : mails) {
    ids.push_back(mail.id.str());
    users.push_back(mail.user_id.str());
    to.push_back(mail.to);
    kinds.emplace_back(domain::ToString(mail.kind));
    subjects.push_back(mail.subject);
    bodies.push_back(mail.body);
    keys.push_back(mail.dedupe_key);
    made.push_back(std::to_string(ToEpochMicros(mail.created_at)));
  }
  tx.exec_prepared("mail_add", TextArray(ids), TextArray(users), TextArray(to), TextArray(kinds),
                   TextArray(subjects), TextArray(bodies), TextArray(keys), TextArray(made));
}

}  // namespace

void PgMailQueue::AddMails(const std::vector<domain::Mail>& mails, long long through) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    InsertMails(tx, mails);
    tx.exec_prepared("mail_cursor_move", through);
  });
}

std::vector<domain::MailQueue::DigestReader> PgMailQueue::DigestsDue(domain::Date day) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::vector<DigestReader> readers;
    for (const auto& row : tx.exec_prepared("mail_digests_due", day.ToString())) {
      readers.push_back(DigestReader{domain::UserId::Parse(row[0].as<std::string>()),
                                     row[1].as<std::string>(), row[2].as<std::string>(),
                                     ParseSupplierIdArray(row[3])});
    }
    return readers;
  });
}

void PgMailQueue::DigestDone(const domain::UserId& user, domain::Date day,
                             const std::optional<domain::Mail>& mail) {
  WithTransaction(pool_, [&](pqxx::work& tx) {
    // Only the round that marks the day made stores its mail.
    if (tx.exec_prepared("mail_digest_done", user.str(), day.ToString()).empty()) return;
    if (mail) InsertMails(tx, {*mail});
  });
}

std::map<std::string, std::string> PgMailQueue::SupplierNames(const std::vector<std::string>& ids) {
  if (ids.empty()) return {};
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::map<std::string, std::string> names;
    for (const auto& row : tx.exec_prepared("mail_supplier_names", TextArray(ids))) {
      names[row[0].as<std::string>()] = row[1].as<std::string>();
    }
    return names;
  });
}

std::vector<domain::Mail> PgMailQueue::DueMails(std::chrono::system_clock::time_point now,
                                                int limit) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::vector<domain::Mail> mails;
    for (const auto& row : tx.exec_prepared("mail_due", ToEpochMicros(now), limit)) {
      const auto kind = domain::TryParseMailKind(row[3].as<std::string>());
      if (!kind) continue;  // a kind this version does not know: left for the one that does
      mails.push_back(domain::Mail{domain::MailId::Parse(row[0].as<std::string>()),
                                   domain::UserId::Parse(row[1].as<std::string>()),
                                   row[2].as<std::string>(), *kind, row[4].as<std::string>(),
                                   row[5].as<std::string>(), row[6].as<std::string>(),
                                   row[7].as<int>(), FromEpochMicros(row[8].as<long long>())});
    }
    return mails;
  });
}

void PgMailQueue::Record(const std::vector<std::pair<domain::Mail, Outcome>>& outcomes) {
  if (outcomes.empty()) return;
  std::vector<std::optional<std::string>> ids, sent, dead, errors, at, next;
  for (const auto& [mail, outcome] : outcomes) {
    ids.emplace_back(mail.id.str());
    sent.emplace_back(outcome.sent ? "true" : "false");
    dead.emplace_back(outcome.dead ? "true" : "false");
    errors.push_back(outcome.error);
    at.emplace_back(std::to_string(ToEpochMicros(outcome.at)));
    next.emplace_back(std::to_string(ToEpochMicros(outcome.next_attempt_at)));
  }
  WithTransaction(pool_, [&](pqxx::work& tx) {
    tx.exec_prepared("mail_record", TextArray(ids), TextArray(sent), TextArray(dead),
                     TextArray(errors), TextArray(at), TextArray(next));
  });
}

std::vector<domain::DisabledWebhookNotice> PgMailQueue::DisabledWebhooks(int limit) {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::vector<domain::DisabledWebhookNotice> notices;
    for (const auto& row :
         tx.exec_prepared("mail_webhooks_disabled", limit,
                          std::string(domain::ToString(domain::MailKind::kWebhookDisabled)))) {
      domain::DisabledWebhookNotice notice{row[0].as<std::string>(), row[1].as<long long>(),
                                           row[2].as<std::string>(), row[3].as<std::string>(),
                                           row[4].as<std::string>(), std::nullopt};
      if (row[7].as<bool>()) {
        notice.owner = domain::MailRecipient{domain::UserId::Parse(row[5].as<std::string>()),
                                             row[6].as<std::string>()};
      }
      notices.push_back(std::move(notice));
    }
    return notices;
  });
}

void PgMailQueue::DisabledWebhooksTold(const std::vector<domain::DisabledWebhookNotice>& told,
                                       const std::vector<domain::Mail>& mails) {
  std::vector<std::string> webhooks, versions;
  for (const auto& notice : told) {
    webhooks.push_back(notice.webhook_id);
    versions.push_back(std::to_string(notice.version));
  }
  WithTransaction(pool_, [&](pqxx::work& tx) {
    InsertMails(tx, mails);
    tx.exec_prepared("mail_webhooks_disabled_told", TextArray(webhooks), TextArray(versions));
  });
}

}  // namespace coco::persistence
