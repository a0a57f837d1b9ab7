#include "api/status_routes.hpp"

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/json/body.hpp"
#include "api/json/paging.hpp"
#include "api/json/status_json.hpp"
#include "api/query.hpp"
#include "domain/common/base64url.hpp"
#include "domain/common/error.hpp"
#include "domain/status/attestation.hpp"

namespace coco::api {
namespace {

// The payload issuer of attestations.
constexpr const char* kIssuer = "coco";

// The date a status is asked for (absent: today), judged once the caller may read it.
domain::Parsed<std::optional<domain::Date>> AsOf(const Request& request) {
  return Parse([&]() -> std::optional<domain::Date> {
    const auto text = request.Query("as_of");
    if (!text) return std::nullopt;
    try {
      return domain::Date::Parse(*text, "as_of");
    } catch (const domain::Error&) {
      throw domain::InvalidArgument("as_of is a date, YYYY-MM-DD", "invalid_query")
          .WithDetail({"query/as_of", "invalid_date", "as_of is a date, YYYY-MM-DD"});
    }
  });
}

// When a supplier's status is asked for: `as_of` (a day) or `at` (an RFC 3339 instant), not
// both.
domain::Parsed<domain::StatusMoment> Moment(const Request& request) {
  return Parse([&] {
    domain::StatusMoment moment;
    moment.as_of = AsOf(request).Value();
    if (const auto text = request.Query("at")) {
      moment.at = domain::ParseTimestamp(*text);
      if (!moment.at) {
        throw domain::InvalidArgument("at is an RFC 3339 date-time", "invalid_query")
            .WithDetail({"query/at", "invalid_timestamp",
                         "at is an RFC 3339 date-time, such as 2026-03-03T09:30:00Z"});
      }
      moment.at = std::chrono::floor<std::chrono::microseconds>(*moment.at);
      if (moment.as_of) {
        throw domain::InvalidArgument("give as_of or at, not both", "invalid_query")
            .WithDetail({"query/at", "conflicting", "as_of is given too"});
      }
    }
    return moment;
  });
}

// A feed's position: `after` (the id of the last item read; default 0, the beginning) and
// `limit` (1..200, default 100).
domain::FeedRequest FeedFromQuery(const Request& request) {
  domain::FeedRequest feed;
  if (const auto after = request.Query("after")) {
    if (!json::IsRowNumber(*after)) {
      throw domain::InvalidArgument("after is the id of the last item read", "invalid_query")
          .WithDetail({"query/after", "invalid_cursor", "after is a non-negative integer id"});
    }
    feed.after = std::stoll(std::string(*after));
  }
  feed.limit = json::LimitFromQuery(request, feed.limit);
  return feed;
}

// A history window from `from` and `to` (days, both included).
domain::HistoryWindow WindowFromQuery(const Request& request) {
  domain::HistoryWindow window;
  const auto from = QueryDate(request, "from");
  const auto to = QueryDate(request, "to");
  if (from && to && *to < *from) {
    throw domain::InvalidArgument("to is before from", "invalid_query")
        .WithDetail({"query/to", "before_from", "to must not be before from"});
  }
  if (from) window.from = std::chrono::system_clock::time_point(from->days());
  if (to) window.to = std::chrono::system_clock::time_point(to->AddDays(1).days());
  return window;
}

template <typename Record>
Response FeedResponse(const domain::FeedPage<Record>& page,
                      nlohmann::json (*render)(const Record&)) {
  auto items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(render(item));
  return json::Ok({{"items", std::move(items)}, {"next_cursor", std::to_string(page.next)}});
}

bool WantsCsv(const Request& request) {
  const auto accept = request.Header("accept");
  return accept && accept->find("text/csv") != std::string_view::npos;
}

domain::PortfolioFilter FilterFromQuery(const Request& request) {
  domain::PortfolioFilter filter;
  if (auto text = request.Query("status")) {
    filter.status = domain::TryParseAssuranceStatus(*text);
    if (!filter.status) {
      throw domain::InvalidArgument("unknown status", "invalid_query")
          .WithDetail({"query/status", "invalid_enum", "not an assurance status"});
    }
  }
  if (auto text = request.Query("standard")) {
    filter.standard = domain::TryParseStandardKey(*text);
    if (!filter.standard) {
      throw domain::InvalidArgument("unknown standard", "invalid_query")
          .WithDetail({"query/standard", "invalid_enum",
                       "standard is COCO, OFFSHORING, CRYPTOGRAPHY or SUPPLIER"});
    }
  }
  filter.lapsing_before = QueryDate(request, "lapsing_before");
  return filter;
}

Response Csv(std::string body) {
  Response response;
  response.status = 200;
  response.content_type = "text/csv; charset=utf-8";
  response.body = std::move(body);
  response.WithHeader("Content-Disposition", "attachment; filename=\"portfolio.csv\"");
  return response;
}

}  // namespace

void AddStatusRoutes(Router& router, domain::StatusService* status, domain::SignerSource* signers,
                     domain::SigningKeys* signing_keys) {
  router.Add(Method::kGet, "/suppliers/{id}/status", Access::kBearerInHandler, Body::kNone,
             [status](Request& request) {
               // Authentication first, in the same round trip as the read; a malformed id is
               // only reported to an authenticated caller.
               const std::string id_text(request.PathParam("id"));
               if (!domain::Uuid::IsValid(id_text)) {
                 request.principal = status->Authenticate(request.bearer_secret);
               }
               auto [principal, report] = status->ReadAuthenticated(
                   request.bearer_secret, domain::SupplierId::Parse(id_text), Moment(request));
               request.principal = principal;
               RejectUnknownQuery(request, {"as_of", "at"});
               return json::OkText(json::StatusDocument(report));
             });

  router.Add(
      Method::kGet, "/status", Access::kAuthenticated, Body::kNone, [status](Request& request) {
        const bool csv = WantsCsv(request);
        const auto filter = Parse([&] {
          if (csv) {
            RejectUnknownQuery(request, {"status", "standard", "as_of", "lapsing_before"});
          } else {
            RejectUnknownQuery(
                request, {"status", "standard", "as_of", "lapsing_before", "limit", "cursor"});
          }
          return FilterFromQuery(request);
        });
        const auto as_of = AsOf(request);
        if (!csv) {
          return json::OkText(json::PortfolioPageJson(status->Portfolio(
              ActorOf(request), filter,
              Parse([&] { return json::PageFromQuery(request, json::CursorKey::kUuidPair); }),
              as_of)));
        }
        // The whole portfolio, in large pages.
        std::string body = json::PortfolioCsvHeader();
        domain::PageRequest page{5000, std::nullopt};
        for (;;) {
          const auto chunk = status->Portfolio(ActorOf(request), filter, page, as_of);
          for (const auto& line : chunk.lines) body += json::PortfolioCsvRow(line);
          if (!chunk.next) break;
          page.after = chunk.next;
        }
        return Csv(std::move(body));
      });

  router.Add(Method::kGet, "/suppliers/{id}/attestation", Access::kAuthenticated, Body::kNone,
             [status, signers](Request& request) {
               RejectUnknownQuery(request, {"as_of"});
               const auto supplier = domain::SupplierId::Parse(request.PathParam("id"));
               const auto [report, hashes] =
                   status->ReadForAttestation(ActorOf(request), supplier, AsOf(request));
               auto payload = nlohmann::json::parse(json::StatusDocument(report));
               payload["iss"] = kIssuer;
               payload["iat"] = std::chrono::duration_cast<std::chrono::seconds>(
                                    status->Now().time_since_epoch())
                                    .count();
               payload["evidence_sha256"] = hashes;
               Response response;
               response.status = 200;
               response.content_type = "application/jose";
               // One snapshot of the signer, so a rotation meanwhile cannot split kid and
               // signature.
               const auto signer = signers->Current();
               response.body = domain::CompactJws(*signer, payload.dump());
               return response;
             });

  router.Add(
      Method::kGet, "/suppliers/{id}/status/history", Access::kAuthenticated, Body::kNone,
      [status](Request& request) {
        const auto supplier = domain::SupplierId::Parse(request.PathParam("id"));
        const auto page = status->History(
            ActorOf(request), supplier, Parse([&] {
              RejectUnknownQuery(request, {"from", "to", "limit", "cursor"});
              return WindowFromQuery(request);
            }),
            Parse([&] { return json::PageFromQuery(request, json::CursorKey::kRowNumber); }));
        auto items = nlohmann::json::array();
        for (const auto& change : page.items) items.push_back(json::StatusChangeJson(change));
        return json::Ok(json::PageJson(std::move(items), page.next));
      });

  router.Add(Method::kGet, "/status/changes", Access::kAuthenticated, Body::kNone,
             [status](Request& request) {
               const auto page = status->Changes(ActorOf(request), Parse([&] {
                                                   RejectUnknownQuery(request, {"after", "limit"});
                                                   return FeedFromQuery(request);
                                                 }));
               return FeedResponse(page, &json::StatusChangeJson);
             });

  router.Add(Method::kGet, "/events", Access::kAuthenticated, Body::kNone,
             [status](Request& request) {
               const auto page = status->Events(ActorOf(request), Parse([&] {
                                                  RejectUnknownQuery(request, {"after", "limit"});
                                                  return FeedFromQuery(request);
                                                }));
               return FeedResponse(page, &json::EventJson);
             });

  router.Add(Method::kGet, "/.well-known/jwks.json", Access::kPublic, Body::kNone,
             [signing_keys](Request& request) {
               RejectUnknownQuery(request, {});
               // Every node reads the same recorded keys, so they all publish the same set:
               // the signing key and the retired keys until their retirement moment.
               auto keys = nlohmann::json::array();
               for (const auto& key : signing_keys->Published()) {
                 keys.push_back(nlohmann::json{{"kty", "OKP"},
                                               {"crv", "Ed25519"},
                                               {"x", domain::Base64UrlEncode(key.public_key)},
                                               {"kid", key.kid},
                                               {"alg", key.algorithm},
                                               {"use", "sig"}});
               }
               Response response = json::Ok({{"keys", keys}});
               response.content_type = "application/jwk-set+json";
               response.WithHeader("Cache-Control", "public, max-age=300");
               return response;
             });
}

}  // namespace coco::api
