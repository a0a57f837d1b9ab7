#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/audit/audit.hpp"
#include "domain/common/parsed.hpp"
#include "domain/common/ports.hpp"
#include "domain/status/status.hpp"
#include "domain/status/status_repository.hpp"

namespace coco::domain {

// A supplier's status as of a day, with the inputs it was computed from. The status points into
// the inputs, which live on the heap and never move: copy the report freely.
struct StatusReport {
  std::shared_ptr<const SupplierStatusInputs> inputs;
  Date as_of;
  std::shared_ptr<const SupplierStatus> status;
};

// When a supplier's status is asked for: a day (`as_of`, the status in force during it), or an
// instant (`at`, the status as it stood then); neither is today. At most one is set.
struct StatusMoment {
  std::optional<Date> as_of;
  std::optional<std::chrono::system_clock::time_point> at;
};

// A page of a feed read `after` a cursor: `next` is the cursor to poll with next (the last id
// returned, or `after` itself when nothing new arrived).
template <typename T>
struct FeedPage {
  std::vector<T> items;
  long long next = 0;
};

struct FeedRequest {
  long long after = 0;
  int limit = 100;
};

struct PortfolioFilter {
  std::optional<AssuranceStatus> status;
  std::optional<StandardKey> standard;
  std::optional<Date> lapsing_before;
  std::optional<Date> contract_starts_from;    // not offered by GET /status: the inbox's
  std::optional<Date> contract_starts_before;  // contracts starting soon
};

// One portfolio row with its status (pointing into `row`, kept alive alongside).
struct PortfolioLine {
  std::shared_ptr<const PortfolioRow> row;
  std::optional<StandardStatus> standard;  // absent for a supplier without services
};

struct PortfolioPage {
  Date as_of;
  std::vector<PortfolioLine> lines;
  std::optional<PagePosition> next;
};

// "Is this supplier assured, today or on a given date, and if not, why?" (DESIGN.md §2): reads
// the status projection and runs the pure status function. Anyone but another supplier's users
// may read a supplier's status. A supplier's status on a day before today (UTC) is computed from
// the facts the journal recorded as in force at that day's end, so it equals what a read on that
// day returned (404 "not_found_on_date" when the supplier had none); the portfolio and the
// attestation are of today or later only (422 "as_of_in_past").
class StatusService {
 public:
  StatusService(StatusRepository& repository, const Hasher& hasher, const Clock& clock)
      : repository_(repository), hasher_(hasher), clock_(clock) {}

  // Authenticates `bearer_secret` and reads the status in one round trip (the status read is
  // the hot path procurement polls). Throws 401 for a bad token, then as Read does.
  std::pair<Principal, StatusReport> ReadAuthenticated(std::string_view bearer_secret,
                                                       const SupplierId& supplier,
                                                       const Parsed<StatusMoment>& when);
  // Only authenticates (401 for a bad token): for a request refused before any read.
  Principal Authenticate(std::string_view bearer_secret);
  StatusReport Read(const Actor& actor, const SupplierId& supplier,
                    const Parsed<StatusMoment>& when);
  // The supplier's status changes in `window`, newest first (404 for an unknown supplier, and
  // for another supplier's users).
  PageResult<StatusChangeRecord> History(const Actor& actor, const SupplierId& supplier,
                                         const Parsed<HistoryWindow>& window,
                                         const Parsed<PageRequest>& page);
  // The portfolio change feed, oldest first: every supplier's for staff, a supplier user's own.
  FeedPage<StatusChangeRecord> Changes(const Actor& actor, const Parsed<FeedRequest>& request);
  // The events outbox, oldest first, scoped as Changes is.
  FeedPage<EventRecord> Events(const Actor& actor, const Parsed<FeedRequest>& request);
  // Staff only (a supplier user sees its own status, not the portfolio): 403 for suppliers.
  // A status filter may leave a page short: follow next_cursor until it is null.
  PortfolioPage Portfolio(const Actor& actor, const Parsed<PortfolioFilter>& filter,
                          const Parsed<PageRequest>& page,
                          const Parsed<std::optional<Date>>& as_of);
  // The status and the SHA-256 of every file it relies on, read together (for the attestation).
  std::pair<StatusReport, std::vector<std::string>> ReadForAttestation(
      const Actor& actor, const SupplierId& supplier, const Parsed<std::optional<Date>>& as_of);
  // The time attestations are issued at.
  std::chrono::system_clock::time_point Now() const { return clock_.Now(); }

 private:
  StatusReport Evaluate(const Principal& principal, const SupplierId& supplier,
                        std::optional<SupplierStatusInputs> inputs, const StatusMoment& when,
                        bool past_allowed);
  // The supplier a feed is narrowed to: a supplier user's own, nobody's for staff.
  std::optional<SupplierId> FeedScope(const Actor& actor) const;
  // The date asked for, or today; 422 "as_of_in_past" for a date before today.
  Date AsOf(const Parsed<std::optional<Date>>& as_of) const;
  AuthenticatedInputs AuthenticateAndRead(std::string_view bearer_secret,
                                          const SupplierId& supplier);

  StatusRepository& repository_;
  const Hasher& hasher_;
  const Clock& clock_;
};

}  // namespace coco::domain
