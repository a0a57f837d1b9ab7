#include "api/evidence_routes.hpp"

#include <nlohmann/json.hpp>

#include "api/context.hpp"
#include "api/json/body.hpp"
#include "api/json/nullable.hpp"
#include "api/json/paging.hpp"
#include "api/query.hpp"
#include "domain/common/error.hpp"

namespace coco::api {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  unsigned value = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;
    const char* found = std::char_traits<char>::find(kBase64, 64, c);
    if (found == nullptr) return std::nullopt;
    value = (value << 6) | static_cast<unsigned>(found - kBase64);
    bits += 6;
    if (bits >= 8) {
      out.push_back(static_cast<char>((value >> (bits - 8)) & 0xff));
      bits -= 8;
    }
  }
  if (padding > 2) return std::nullopt;
  return out;
}

std::string EncodeBase64(const std::string& raw) {
  std::string out;
  std::size_t i = 0;
  for (; i + 3 <= raw.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(raw[i]) << 16) |
                       (static_cast<unsigned char>(raw[i + 1]) << 8) |
                       static_cast<unsigned char>(raw[i + 2]);
    out +=
        {kBase64[(v >> 18) & 63], kBase64[(v >> 12) & 63], kBase64[(v >> 6) & 63], kBase64[v & 63]};
  }
  if (i < raw.size()) {
    unsigned v = static_cast<unsigned char>(raw[i]) << 16;
    if (i + 1 < raw.size()) v |= static_cast<unsigned char>(raw[i + 1]) << 8;
    out += {kBase64[(v >> 18) & 63], kBase64[(v >> 12) & 63]};
    out += i + 1 < raw.size() ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string Hex(const std::string& raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex.push_back(kDigits[c >> 4]);
    hex.push_back(kDigits[c & 15]);
  }
  return hex;
}

std::string Raw(const std::string& hex) {
  std::string raw;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    raw.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return raw;
}

nlohmann::json EvidenceJson(const domain::Evidence& evidence) {
  return {{"id", evidence.id.str()},
          {"supplier_id", evidence.supplier_id.str()},
          {"filename", evidence.filename},
          {"media_type", evidence.media_type},
          {"size", evidence.size},
          {"sha256", evidence.sha256},
          {"kind", domain::ToString(evidence.kind)},
          {"issued_on", json::DateOrNull(evidence.issued_on)},
          {"expires_on", json::DateOrNull(evidence.expires_on)},
          {"lapses_on", json::DateOrNull(evidence.LapsesOn())},
          {"uploaded_by", evidence.uploaded_by.str()},
          {"uploaded_at", domain::FormatTimestamp(evidence.uploaded_at)}};
}

domain::EvidenceKind KindFromQuery(const Request& request, bool required) {
  const auto text = request.Query("kind");
  if (!text && !required) return domain::EvidenceKind::kOther;
  const auto kind = text ? domain::TryParseEvidenceKind(*text) : std::nullopt;
  if (!kind) {
    throw domain::InvalidArgument("kind must be one of the evidence kinds of the catalogue",
                                  "invalid_query")
        .WithDetail({"query/kind", text ? "invalid_enum" : "required",
                     "kind must be one of pen_test_report, it_health_check, "
                     "iso27001_certificate, cyber_essentials_certificate, "
                     "cyber_essentials_plus_certificate, policy, network_diagram, tls_scan, "
                     "signed_code_of_connection, siro_approval, dpia, other"});
  }
  return *kind;
}

}  // namespace

bool UploadLimiter::TryAcquire() {
  int current = active_.load();
  while (current < max_) {
    if (active_.compare_exchange_weak(current, current + 1)) return true;
  }
  return false;
}

void UploadLimiter::Release() { --active_; }

UploadLimiter::Slot::Slot(UploadLimiter& limiter) : limiter_(limiter) {
  if (!limiter_.TryAcquire()) {
    throw domain::Unavailable("too many uploads at once; retry shortly", "too_many_uploads");
  }
}

UploadLimiter::Slot::~Slot() { limiter_.Release(); }

std::optional<std::string> Sha256FromContentDigest(std::string_view header) {
  // A dictionary of algorithm=:base64: members (RFC 8941 byte sequences), comma separated.
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view member = header.substr(start, end - start);
    while (!member.empty() && member.front() == ' ') member.remove_prefix(1);
    while (!member.empty() && member.back() == ' ') member.remove_suffix(1);
    const auto equals = member.find('=');
    if (equals == std::string_view::npos) {
      throw domain::Malformed("Content-Digest is malformed", "invalid_digest");
    }
    const std::string_view algorithm = member.substr(0, equals);
    const std::string_view value = member.substr(equals + 1);
    if (algorithm == "sha-256") {
      if (value.size() < 2 || value.front() != ':' || value.back() != ':') {
        throw domain::Malformed("Content-Digest sha-256 must be :<base64>:", "invalid_digest");
      }
      const auto raw = DecodeBase64(value.substr(1, value.size() - 2));
      if (!raw || raw->size() != 32) {
        throw domain::Malformed("Content-Digest sha-256 is not 32 bytes of base64",
                                "invalid_digest");
      }
      return Hex(*raw);
    }
    start = end + 1;
  }
  return std::nullopt;
}

std::string ContentDigest(const std::string& sha256_hex) {
  return "sha-256=:" + EncodeBase64(Raw(sha256_hex)) + ":";
}

std::string AttachmentDisposition(const std::string& filename) {
  std::string ascii;
  std::string encoded;
  static constexpr char kDigits[] = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    if (c == '"' || c == '\\') {
      ascii.push_back('\\');
      ascii.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c >= 0x7f) {
      ascii.push_back('_');
    } else {
      ascii.push_back(static_cast<char>(c));
    }
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += {'%', kDigits[c >> 4], kDigits[c & 15]};
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

// What an upload says about its file: the query, the Content-Type and the Content-Digest.
domain::Upload ReadUpload(const Request& request) {
  RejectUnknownQuery(request, {"filename", "kind", "issued_on", "expires_on"});
  domain::Upload upload;
  const auto filename = request.Query("filename");
  if (!filename) {
    throw domain::InvalidArgument("filename is required", "invalid_query")
        .WithDetail({"query/filename", "required", "filename is required"});
  }
  upload.filename = *filename;
  upload.kind = KindFromQuery(request, true);
  upload.issued_on = QueryDate(request, "issued_on");
  upload.expires_on = QueryDate(request, "expires_on");
  upload.media_type =
      std::string(request.Header("content-type").value_or("application/octet-stream"));
  if (auto digest = request.Header("content-digest")) {
    upload.expected_sha256 = Sha256FromContentDigest(*digest);
  }
  return upload;
}

void AddEvidenceRoutes(Router& router, domain::EvidenceService* evidence, UploadLimiter* limiter) {
  router.Add(Method::kPost, "/suppliers/{id}/evidence", Access::kAuthenticated, Body::kRaw,
             Creates::kYes, [evidence, limiter](Request& request) {
               const auto supplier = domain::SupplierId::Parse(request.PathParam("id"));
               request.field_locations["media_type"] = "header/content-type";
               // A slot is taken once the upload reads, and held until it is stored; a full
               // limiter is judged, like the upload, only after the caller is authorised.
               std::optional<UploadLimiter::Slot> slot;
               const auto upload = Parse([&] {
                 auto read = ReadUpload(request);
                 slot.emplace(*limiter);
                 return read;
               });
               const auto stored =
                   evidence->Upload(ActorOf(request), supplier, upload, request.body);
               Response response = json::Ok(EvidenceJson(stored), 201);
               response.WithHeader("Location", "/evidence/" + stored.id.str());
               return response;
             });

  router.Add(Method::kGet, "/suppliers/{id}/evidence", Access::kAuthenticated, Body::kNone,
             [evidence](Request& request) {
               RejectUnknownQuery(request, {"kind", "expiring_before", "limit", "cursor"});
               const auto supplier = domain::SupplierId::Parse(request.PathParam("id"));
               domain::EvidenceFilter filter;
               if (request.Query("kind")) filter.kind = KindFromQuery(request, true);
               filter.expiring_before = QueryDate(request, "expiring_before");
               const auto page =
                   evidence->List(ActorOf(request), supplier, filter, json::PageFromQuery(request));
               nlohmann::json items = nlohmann::json::array();
               for (const auto& item : page.items) items.push_back(EvidenceJson(item));
               return json::Ok(json::PageJson(std::move(items), page.next));
             });

  router.Add(Method::kGet, "/evidence/{id}", Access::kAuthenticated, Body::kNone,
             [evidence](Request& request) {
               RejectUnknownQuery(request, {});
               return json::Ok(EvidenceJson(evidence->Get(
                   ActorOf(request), domain::EvidenceId::Parse(request.PathParam("id")))));
             });

  router.Add(Method::kGet, "/evidence/{id}/content", Access::kAuthenticated, Body::kNone,
             [evidence](Request& request) {
               RejectUnknownQuery(request, {});
               auto [meta, bytes] = evidence->Content(
                   ActorOf(request), domain::EvidenceId::Parse(request.PathParam("id")));
               Response response{200, meta.media_type, std::move(bytes), {}};
               response.WithHeader("Content-Disposition", AttachmentDisposition(meta.filename));
               response.WithHeader("ETag", "\"" + meta.sha256 + "\"");
               response.WithHeader("Content-Digest", ContentDigest(meta.sha256));
               response.WithHeader("X-Content-Type-Options", "nosniff");
               response.WithHeader("Cache-Control", "private, no-store");
               return response;
             });
}

}  // namespace coco::api
