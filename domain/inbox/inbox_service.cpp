#include "domain/inbox/inbox_service.hpp"

#include <algorithm>
#include <map>

#include "domain/assessment/allowed_actions.hpp"
#include "domain/common/json_text.hpp"

namespace coco::domain {
namespace {

// Enough to fill a section, and a bound on what one inbox reads from a long list.
constexpr int kPageSize = 200;
constexpr int kMostPages = 5;

// Each item of a listing, page by page (up to kMostPages), while `visit` returns true: a page
// is read only when the items before it did not settle the section.
template <typename T, typename Fetch, typename Visit>
void EachItem(Fetch fetch, Visit visit) {
  PageRequest page{kPageSize, std::nullopt};
  for (int n = 0; n < kMostPages; ++n) {
    const PageResult<T> result = fetch(page);
    for (const auto& item : result.items) {
      if (!visit(item)) return;
    }
    if (!result.next) return;
    page.after = result.next;
  }
}

// Each line of the portfolio `filter` selects, as the caller reads it today (up to kMostPages).
template <typename Visit>
void EachPortfolioLine(StatusService& status, const Actor& actor, const PortfolioFilter& filter,
                       Visit visit) {
  PageRequest page{kPageSize, std::nullopt};
  for (int n = 0; n < kMostPages; ++n) {
    const PortfolioPage result = status.Portfolio(actor, filter, page, std::nullopt);
    for (const auto& line : result.lines) visit(line);
    if (!result.next) return;
    page.after = result.next;
  }
}

template <typename Action>
bool Allows(const std::vector<Action>& allowed, Action action) {
  return std::find(allowed.begin(), allowed.end(), action) != allowed.end();
}

std::string Plural(std::size_t count, const std::string& one) {
  return std::to_string(count) + " " + one + (count == 1 ? "" : "s");
}

std::string Clip(const std::string& text) {
  constexpr std::size_t kMost = 160;
  if (text.size() <= kMost) return text;
  return text.substr(0, CharacterBoundary(text, kMost)) + "...";
}

// Assured enough to work under: assured, conditionally assured, or both but lapsing soon.
bool Assured(AssuranceStatus status) {
  return status == AssuranceStatus::kAssured || status == AssuranceStatus::kConditionallyAssured ||
         status == AssuranceStatus::kExpiring;
}

}  // namespace

Inbox InboxService::For(const Actor& actor) {
  const Date today = clock_.Today();
  Inbox inbox{today, {}};
  std::optional<SentBackItems> sent_back;  // one read for both of the supplier's sections
  for (const InboxKind kind : InboxKindsOf(actor.principal.role)) {
    inbox.sections.push_back(MakeSection(kind, Items(actor, kind, today, sent_back)));
  }
  return inbox;
}

std::vector<InboxItem> InboxService::Items(const Actor& actor, InboxKind kind, Date today,
                                           std::optional<SentBackItems>& sent_back) {
  switch (kind) {
    case InboxKind::kReviewUnclaimed:
      return ReviewQueue(actor, AssessmentState::kSubmitted);
    case InboxKind::kReviewClaimed:
      return ReviewQueue(actor, AssessmentState::kInReview);
    case InboxKind::kChangesRequested:
      if (!sent_back) sent_back = SentBack(actor);
      return std::move(sent_back->assessments);
    case InboxKind::kQueryToAnswer:
      if (!sent_back) sent_back = SentBack(actor);
      return std::move(sent_back->responses);
    case InboxKind::kActionDue:
      return ActionsDue(actor, today);
    case InboxKind::kEvidenceLapsing:
      return EvidenceLapsing(actor, today);
    case InboxKind::kExceptionToDecide:
      return ExceptionsToDecide(actor, today);
    case InboxKind::kExceptionExpiring:
      return ExceptionsExpiring(actor, today);
    case InboxKind::kSupplierLapsing:
      return SuppliersLapsing(actor, today);
    case InboxKind::kContractStartAtRisk:
      return ContractStartsAtRisk(actor, today);
    case InboxKind::kWebhookDisabled:
      return WebhooksDisabled(actor);
  }
  return {};
}

// Submitted: those the caller may claim (an assessor with a conflict cannot), or every one for
// an admin, who oversees the queue. In review: those the caller claimed. The queue comes oldest
// submission first, the section's own order, so it is read only until the section is full and
// one more shows there are others.
std::vector<InboxItem> InboxService::ReviewQueue(const Actor& actor, AssessmentState state) {
  const bool claimed = state == AssessmentState::kInReview;
  QueueFilter filter;
  filter.state = state;
  if (claimed) filter.claimed_by = actor.principal.user_id;
  std::vector<InboxItem> items;
  EachItem<QueueItem>(
      [&](const PageRequest& page) { return assessments_.ReviewQueue(actor, filter, page); },
      [&](const QueueItem& line) {
        const Assessment& assessment = line.assessment;
        if (!claimed && actor.principal.role == Role::kAssessor &&
            !Allows(AllowedActionsFor(actor.principal, assessment), AssessmentAction::kClaim)) {
          return true;
        }
        std::string summary = std::string(ToString(assessment.standard)) + " " +
                              assessment.standard_version + " assessment, " +
                              std::to_string(line.must_answered) + " MUST answered, " +
                              std::to_string(line.must_not_met) + " not met";
        items.push_back(InboxItem{std::nullopt, assessment.submitted_at,
                                  assessment.supplier_id.str(), "assessment", assessment.id.str(),
                                  std::nullopt, std::move(summary)});
        return items.size() <= static_cast<std::size_t>(kInboxSectionLimit);
      });
  return items;
}

// The supplier's assessments sent back for changes, and the responses in them it may answer
// again (each with the assessor's verdict and comment).
InboxService::SentBackItems InboxService::SentBack(const Actor& actor) {
  AssessmentFilter filter;
  filter.supplier = actor.principal.supplier_id;
  filter.state = AssessmentState::kChangesRequested;
  SentBackItems items;
  EachItem<Assessment>(
      [&](const PageRequest& page) { return assessments_.List(actor, filter, page); },
      [&](const Assessment& summary) {
        const Assessment assessment = assessments_.Get(actor, summary.id);
        std::optional<std::chrono::system_clock::time_point> asked;
        std::size_t open = 0;
        for (const auto& response : assessment.responses) {
          if (!Allows(AllowedResponseActionsFor(actor.principal, assessment, response),
                      ResponseAction::kAnswer)) {
            continue;
          }
          ++open;
          std::optional<std::chrono::system_clock::time_point> at;
          std::string words = response.requirement_id;
          if (response.review) {
            at = response.review->reviewed_at;
            asked = std::max(asked.value_or(*at), *at);
            words += ": " + std::string(ToString(response.review->verdict));
            if (response.review->comment) words += ", \"" + Clip(*response.review->comment) + "\"";
          } else {
            words += ": reopened";
          }
          items.responses.push_back(InboxItem{std::nullopt, at, assessment.supplier_id.str(),
                                              "response",
                                              assessment.id.str() + "/" + response.requirement_id,
                                              assessment.id.str(), std::move(words)});
        }
        std::string words = std::string(ToString(assessment.standard)) +
                            " assessment: " + Plural(open, "response") + " to change";
        if (assessment.changes_summary) words += ", \"" + Clip(*assessment.changes_summary) + "\"";
        items.assessments.push_back(InboxItem{std::nullopt, asked, assessment.supplier_id.str(),
                                              "assessment", assessment.id.str(), std::nullopt,
                                              std::move(words)});
        return true;
      });
  return items;
}

// Open actions due within kInboxActionDays, overdue ones included (listed by due date).
std::vector<InboxItem> InboxService::ActionsDue(const Actor& actor, Date today) {
  ActionFilter filter;
  filter.supplier = actor.principal.supplier_id;
  filter.state = ActionState::kOpen;
  filter.today = today;
  const Date horizon = today.AddDays(kInboxActionDays);
  std::vector<InboxItem> items;
  EachItem<RemediationAction>(
      [&](const PageRequest& page) { return actions_.List(actor, filter, page); },
      [&](const RemediationAction& action) {
        if (horizon < action.due_date) return false;  // listed by due date: the rest are later
        items.push_back(InboxItem{
            action.due_date, action.created_at, action.supplier_id.str(), "action", action.id.str(),
            std::nullopt,
            std::string(ToString(action.standard)) + " " + action.requirement_id +
                (action.OverdueOn(today) ? " (overdue): " : ": ") + Clip(action.description)});
        return true;
      });
  return items;
}

// The files the supplier's standing approvals rely on that lapse within kInboxEvidenceDays:
// the status facts name them, as they name what makes a status `expiring`.
std::vector<InboxItem> InboxService::EvidenceLapsing(const Actor& actor, Date today) {
  if (!actor.principal.supplier_id) return {};
  const StatusReport report =
      status_.Read(actor, *actor.principal.supplier_id, StatusMoment{std::nullopt, std::nullopt});
  const Date horizon = today.AddDays(kInboxEvidenceDays);
  std::map<std::string, InboxItem> files;  // by evidence id
  for (const auto& service : report.inputs->facts.services) {
    for (const auto& standard : service.standards) {
      if (!standard.required || !standard.approval) continue;
      for (const auto& file : standard.approval->evidence) {
        if (file.lapses_on < today || horizon < file.lapses_on) continue;
        const std::string use = std::string(ToString(standard.standard)) + " " +
                                file.requirement_id + (file.must ? " (MUST)" : " (SHOULD)");
        auto [found, added] = files.try_emplace(
            file.evidence_id,
            InboxItem{file.lapses_on, std::nullopt, report.inputs->supplier_id, "evidence",
                      file.evidence_id, std::nullopt, "relied on for " + use});
        if (!added && found->second.summary.find(use) == std::string::npos) {
          found->second.summary += ", " + use;
        }
      }
    }
  }
  std::vector<InboxItem> items;
  for (auto& [id, item] : files) items.push_back(std::move(item));
  return items;
}

// Assessments in review with MUST responses an exception could cover (the add_exception rule)
// and no active exception covering them yet.
std::vector<InboxItem> InboxService::ExceptionsToDecide(const Actor& actor, Date today) {
  std::vector<InboxItem> items;
  for (const auto state : {AssessmentState::kSubmitted, AssessmentState::kInReview}) {
    AssessmentFilter filter;
    filter.state = state;
    EachItem<Assessment>(
        [&](const PageRequest& page) { return assessments_.List(actor, filter, page); },
        [&](const Assessment& summary) {
          const Assessment assessment = assessments_.Get(actor, summary.id);
          std::vector<RiskException> exceptions;
          EachItem<RiskException>(
              [&](const PageRequest& page) { return exceptions_.List(actor, assessment.id, page); },
              [&](const RiskException& exception) {
                exceptions.push_back(exception);
                return true;
              });
          std::vector<std::string> open;
          for (const auto& response : assessment.responses) {
            if (Allows(AllowedResponseActionsFor(actor.principal, assessment, response),
                       ResponseAction::kAddException) &&
                !ActiveExceptionFor(exceptions, response.requirement_id, today)) {
              open.push_back(response.requirement_id);
            }
          }
          if (open.empty()) return true;
          std::string words = std::string(ToString(assessment.standard)) + ": " +
                              Plural(open.size(), "MUST requirement") + " not fully met (";
          for (std::size_t i = 0; i < open.size(); ++i) words += (i ? ", " : "") + open[i];
          items.push_back(InboxItem{std::nullopt, assessment.submitted_at,
                                    assessment.supplier_id.str(), "assessment", assessment.id.str(),
                                    std::nullopt, words + ")"});
          return true;
        });
  }
  return items;
}

std::vector<InboxItem> InboxService::ExceptionsExpiring(const Actor& actor, Date today) {
  ExceptionFilter filter;
  filter.state = ExceptionState::kActive;
  filter.expiring_before = today.AddDays(kInboxExceptionDays + 1);
  std::vector<InboxItem> items;
  EachItem<RiskException>(
      [&](const PageRequest& page) { return exceptions_.ListAcrossSuppliers(actor, filter, page); },
      [&](const RiskException& exception) {
        items.push_back(InboxItem{exception.expires_on, exception.created_at,
                                  exception.supplier_id.str(), "exception", exception.id.str(),
                                  exception.assessment_id.str(),
                                  std::string(ToString(exception.standard)) + " " +
                                      exception.requirement_id + ": " + Clip(exception.reason)});
        return true;
      });
  return items;
}

// Suppliers with a (service, standard) `expiring`: something it relies on lapses within the
// window, which is what the status rules call expiring. One item per supplier, due on its
// first lapse.
std::vector<InboxItem> InboxService::SuppliersLapsing(const Actor& actor, Date today) {
  PortfolioFilter filter;
  filter.status = AssuranceStatus::kExpiring;
  filter.lapsing_before = today.AddDays(kInboxLapseDays + 1);
  std::map<std::string, std::pair<InboxItem, int>> suppliers;
  EachPortfolioLine(status_, actor, filter, [&](const PortfolioLine& line) {
    if (!line.standard) return;
    std::optional<Date> first;
    for (const auto& reason : line.standard->reasons) {
      if (reason.code == ReasonCode::kLapsesSoon && reason.date) {
        first = first ? std::min(*first, *reason.date) : *reason.date;
      }
    }
    const std::string& id = line.row->supplier_id;
    auto [found, added] = suppliers.try_emplace(
        id,
        InboxItem{first, std::nullopt, id, "supplier", id, std::nullopt, line.row->supplier_name},
        0);
    auto& [item, count] = found->second;
    ++count;
    if (first && (!item.due_on || *first < *item.due_on)) item.due_on = first;
  });
  std::vector<InboxItem> items;
  for (auto& [id, entry] : suppliers) {
    auto& [item, count] = entry;
    item.summary +=
        ": " + Plural(static_cast<std::size_t>(count), "service standard") + " expiring";
    items.push_back(std::move(item));
  }
  return items;
}

// Services whose contract starts within kInboxContractDays and that would not be assured on
// that day, judged by the status rules as of the start date on today's facts.
std::vector<InboxItem> InboxService::ContractStartsAtRisk(const Actor& actor, Date today) {
  PortfolioFilter filter;
  filter.contract_starts_from = today;
  filter.contract_starts_before = today.AddDays(kInboxContractDays + 1);
  struct AtRisk {
    InboxItem item;
    std::vector<std::string> standards;
  };
  std::map<std::string, AtRisk> services;
  EachPortfolioLine(status_, actor, filter, [&](const PortfolioLine& line) {
    const PortfolioRow& row = *line.row;
    if (!row.service_id || !row.service.contract_start) return;
    const Date start = *row.service.contract_start;
    const AssuranceStatus then = StandardStatusOn(row.standard, row.triggers, start);
    if (Assured(then)) return;
    auto [found, added] = services.try_emplace(
        *row.service_id,
        AtRisk{InboxItem{start, std::nullopt, row.supplier_id, "service", *row.service_id,
                         std::nullopt, row.supplier_name + ", " + row.service.name},
               {}});
    std::string status(ToString(then));  // not_assured, read as "not assured"
    std::replace(status.begin(), status.end(), '_', ' ');
    found->second.standards.push_back(std::string(ToString(row.standard.standard)) + " " + status);
  });
  std::vector<InboxItem> items;
  for (auto& [id, at_risk] : services) {
    std::string words = ": ";
    for (std::size_t i = 0; i < at_risk.standards.size(); ++i) {
      words += (i ? ", " : "") + at_risk.standards[i];
    }
    at_risk.item.summary += words + " on the day the contract starts";
    items.push_back(std::move(at_risk.item));
  }
  return items;
}

std::vector<InboxItem> InboxService::WebhooksDisabled(const Actor& actor) {
  std::vector<InboxItem> items;
  EachItem<Webhook>(
      [&](const PageRequest& page) { return webhooks_.List(actor, page); },
      [&](const Webhook& webhook) {
        if (webhook.enabled || !webhook.disabled_reason) return true;
        items.push_back(InboxItem{
            std::nullopt, std::nullopt,
            webhook.supplier_id ? std::optional(webhook.supplier_id->str()) : std::nullopt,
            "webhook", webhook.id.str(), std::nullopt,
            Clip(webhook.url) + ": " + Clip(*webhook.disabled_reason)});
        return true;
      });
  return items;
}

}  // namespace coco::domain
