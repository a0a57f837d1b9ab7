#pragma once

#include "domain/mail/mail_service.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

// The mail outbox and its cursor through the events (migrations/0018), and the users each kind
// of mail goes to.
class PgMailQueue final : public domain::MailQueue {
 public:
  explicit PgMailQueue(ConnectionPool& pool) : pool_(pool) { pool_.Use(&Prepare); }

  Backlog PendingEvents(int limit) override;
  std::vector<domain::MailRecipient> Recipients(const domain::MailAudience& audience,
                                                domain::MailKind kind,
                                                const std::string& supplier_id) override;
  void AddMails(const std::vector<domain::Mail>& mails, long long through) override;
  std::vector<domain::Mail> DueMails(std::chrono::system_clock::time_point now, int limit) override;
  void Record(const std::vector<std::pair<domain::Mail, Outcome>>& outcomes) override;
  std::vector<DigestReader> DigestsDue(domain::Date day) override;
  void DigestDone(const domain::UserId& user, domain::Date day,
                  const std::optional<domain::Mail>& mail) override;
  std::map<std::string, std::string> SupplierNames(const std::vector<std::string>& ids) override;
  std::vector<domain::DisabledWebhookNotice> DisabledWebhooks(int limit) override;
  void DisabledWebhooksTold(const std::vector<domain::DisabledWebhookNotice>& told,
                            const std::vector<domain::Mail>& mails) override;

 private:
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
};

}  // namespace coco::persistence
