#pragma once

#include "domain/assessment/assessment_service.hpp"
#include "domain/common/ports.hpp"
#include "domain/inbox/inbox.hpp"
#include "domain/remediation/remediation_service.hpp"
#include "domain/risk_exception/risk_exception_service.hpp"
#include "domain/status/status_service.hpp"
#include "domain/webhook/webhook_service.hpp"

namespace coco::domain {

// GET /me/inbox: each section is read through the use case that owns its data, as the caller,
// so an inbox never shows what the caller could not list itself (a supplier user sees its own
// supplier's work only), and the rules (who may claim, which responses are open, what an
// exception may cover, a status on a day) are the ones those use cases apply.
class InboxService {
 public:
  InboxService(AssessmentService& assessments, RemediationService& actions,
               RiskExceptionService& exceptions, StatusService& status, WebhookService& webhooks,
               const Clock& clock)
      : assessments_(assessments),
        actions_(actions),
        exceptions_(exceptions),
        status_(status),
        webhooks_(webhooks),
        clock_(clock) {}

  Inbox For(const Actor& actor);

 private:
  // The supplier's assessments sent back for changes, and the responses in them it may answer
  // again: one read for both sections.
  struct SentBackItems {
    std::vector<InboxItem> assessments;
    std::vector<InboxItem> responses;
  };
  SentBackItems SentBack(const Actor& actor);
  std::vector<InboxItem> Items(const Actor& actor, InboxKind kind, Date today,
                               std::optional<SentBackItems>& sent_back);
  std::vector<InboxItem> ReviewQueue(const Actor& actor, AssessmentState state);
  std::vector<InboxItem> ActionsDue(const Actor& actor, Date today);
  std::vector<InboxItem> EvidenceLapsing(const Actor& actor, Date today);
  std::vector<InboxItem> ExceptionsToDecide(const Actor& actor, Date today);
  std::vector<InboxItem> ExceptionsExpiring(const Actor& actor, Date today);
  std::vector<InboxItem> SuppliersLapsing(const Actor& actor, Date today);
  std::vector<InboxItem> ContractStartsAtRisk(const Actor& actor, Date today);
  std::vector<InboxItem> WebhooksDisabled(const Actor& actor);

  AssessmentService& assessments_;
  RemediationService& actions_;
  RiskExceptionService& exceptions_;
  StatusService& status_;
  WebhookService& webhooks_;
  const Clock& clock_;
};

}  // namespace coco::domain
