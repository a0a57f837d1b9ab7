#include "domain/status/status_service.hpp"

#include "domain/common/error.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::domain {

Date StatusService::AsOf(const Parsed<std::optional<Date>>& parsed) const {
  const Date today = clock_.Today();
  const std::optional<Date>& as_of = parsed.Value();
  if (!as_of) return today;
  if (*as_of < today) {
    throw InvalidArgument("as_of may not be before today (" + today.ToString() +
                              ") here: past statuses are read one supplier at a time",
                          "as_of_in_past")
        .WithDetail({"as_of", "in_past", "on or after " + today.ToString()});
  }
  return *as_of;
}

StatusReport StatusService::Evaluate(const Principal& principal, const SupplierId& supplier,
                                     std::optional<SupplierStatusInputs> inputs,
                                     const StatusMoment& when, bool past_allowed) {
  // Authorise against the id first: another supplier's id is 404 whether or not it exists.
  Authorize(principal, Permission::kReadStatus, supplier);
  if (!inputs) throw NotFound("no such supplier");
  const auto now = clock_.Now();
  const Date today = Date::Of(now);
  Date as_of = today;
  // The instant whose facts apply, when it is in the past.
  std::optional<std::chrono::system_clock::time_point> instant;
  if (when.at) {
    as_of = Date::Of(*when.at);
    if (*when.at < now) instant = *when.at;
  } else if (when.as_of) {
    as_of = past_allowed ? *when.as_of : AsOf(when.as_of);
    // The status in force during a past day is the one its last instant saw.
    if (as_of < today) {
      instant = std::chrono::system_clock::time_point(as_of.AddDays(1).days()) -
                std::chrono::microseconds(1);
    }
  }
  if (instant) {
    inputs = repository_.ReadAt(supplier, *instant);
    if (!inputs) {
      throw NotFound("the supplier had no status on " + as_of.ToString(), "not_found_on_date");
    }
  }
  auto owned = std::make_shared<const SupplierStatusInputs>(std::move(*inputs));
  auto status = std::make_shared<const SupplierStatus>(EvaluateSupplier(owned->facts, as_of));
  return StatusReport{std::move(owned), as_of, std::move(status)};
}

AuthenticatedInputs StatusService::AuthenticateAndRead(std::string_view bearer_secret,
                                                       const SupplierId& supplier) {
  if (bearer_secret.empty() || bearer_secret.size() > 200) {
    throw Unauthenticated("a valid bearer token is required");
  }
  auto read =
      repository_.ReadAuthenticated(hasher_.Sha256Hex(bearer_secret), clock_.Now(), supplier);
  if (!read.principal) throw Unauthenticated("a valid bearer token is required");
  return read;
}

Principal StatusService::Authenticate(std::string_view bearer_secret) {
  // No supplier has the nil id: the read returns the principal and nothing else.
  return *AuthenticateAndRead(bearer_secret,
                              SupplierId::Parse("00000000-0000-0000-0000-000000000000"))
              .principal;
}

std::pair<Principal, StatusReport> StatusService::ReadAuthenticated(
    std::string_view bearer_secret, const SupplierId& supplier, const Parsed<StatusMoment>& when) {
  auto read = AuthenticateAndRead(bearer_secret, supplier);
  // Authorised before the query is judged.
  Authorize(*read.principal, Permission::kReadStatus, supplier);
  StatusReport report =
      Evaluate(*read.principal, supplier, std::move(read.inputs), when.Value(), true);
  return {*read.principal, std::move(report)};
}

StatusReport StatusService::Read(const Actor& actor, const SupplierId& supplier,
                                 const Parsed<StatusMoment>& when) {
  Authorize(actor.principal, Permission::kReadStatus, supplier);
  const StatusMoment& moment = when.Value();
  return Evaluate(actor.principal, supplier, repository_.Read(supplier), moment, true);
}

PortfolioPage StatusService::Portfolio(const Actor& actor,
                                       const Parsed<PortfolioFilter>& parsed_filter,
                                       const Parsed<PageRequest>& parsed_page,
                                       const Parsed<std::optional<Date>>& as_of) {
  Authorize(actor.principal, Permission::kReadStatus);
  if (actor.principal.role == Role::kSupplier) {
    throw PermissionDenied(
        "the portfolio spans every supplier; read your own status at "
        "/suppliers/{id}/status");
  }
  const PortfolioFilter& filter = parsed_filter.Value();
  const PageRequest& page = parsed_page.Value();
  PortfolioPage result{AsOf(as_of), {}, {}};
  const auto rows = repository_.Portfolio(
      PortfolioQuery{filter.standard, filter.lapsing_before, filter.contract_starts_from,
                     filter.contract_starts_before},
      page);
  for (const auto& fetched : rows.items) {
    auto row = std::make_shared<const PortfolioRow>(fetched);
    PortfolioLine line{row, std::nullopt};
    if (row->service_id)
      line.standard = EvaluateStandard(row->standard, row->triggers, result.as_of);
    const AssuranceStatus status =
        line.standard ? line.standard->status : AssuranceStatus::kNotAssessed;
    if (filter.status && *filter.status != status) continue;
    result.lines.push_back(std::move(line));
  }
  result.next = rows.next;
  return result;
}

std::pair<StatusReport, std::vector<std::string>> StatusService::ReadForAttestation(
    const Actor& actor, const SupplierId& supplier, const Parsed<std::optional<Date>>& as_of) {
  Authorize(actor.principal, Permission::kReadStatus, supplier);
  auto [inputs, hashes] = repository_.ReadForAttestation(supplier);
  return {Evaluate(actor.principal, supplier, std::move(inputs), StatusMoment{as_of.Value(), {}},
                   false),
          std::move(hashes)};
}

PageResult<StatusChangeRecord> StatusService::History(const Actor& actor,
                                                      const SupplierId& supplier,
                                                      const Parsed<HistoryWindow>& window,
                                                      const Parsed<PageRequest>& page) {
  Authorize(actor.principal, Permission::kReadStatus, supplier);
  const HistoryWindow& asked = window.Value();
  const PageRequest& request = page.Value();
  if (!repository_.Read(supplier)) throw NotFound("no such supplier");
  return repository_.History(supplier, asked, request);
}

std::optional<SupplierId> StatusService::FeedScope(const Actor& actor) const {
  Authorize(actor.principal, Permission::kReadStatus);
  if (actor.principal.role == Role::kSupplier) return actor.principal.supplier_id;
  return std::nullopt;
}

namespace {

// A feed's page: what `read` returns after the cursor, and the cursor to poll with next.
template <typename Record, typename Read>
FeedPage<Record> ReadFeed(const FeedRequest& feed, const Read& read) {
  FeedPage<Record> page{read(feed.after, feed.limit), feed.after};
  if (!page.items.empty()) page.next = page.items.back().id;
  return page;
}

}  // namespace

FeedPage<StatusChangeRecord> StatusService::Changes(const Actor& actor,
                                                    const Parsed<FeedRequest>& request) {
  const auto scope = FeedScope(actor);
  return ReadFeed<StatusChangeRecord>(request.Value(), [&](long long after, int limit) {
    return repository_.Changes(after, scope, limit);
  });
}

FeedPage<EventRecord> StatusService::Events(const Actor& actor,
                                            const Parsed<FeedRequest>& request) {
  const auto scope = FeedScope(actor);
  return ReadFeed<EventRecord>(request.Value(), [&](long long after, int limit) {
    return repository_.Events(after, scope, limit);
  });
}

}  // namespace coco::domain
