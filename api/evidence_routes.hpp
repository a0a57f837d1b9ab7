#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "api/router.hpp"
#include "domain/evidence/evidence_service.hpp"

namespace coco::api {

// Bounds the uploads being processed at once (Pistache buffers whole bodies, so each costs
// memory); the one over the limit is answered 503 with Retry-After.
class UploadLimiter {
 public:
  explicit UploadLimiter(int max_uploads) : max_(max_uploads) {}
  bool TryAcquire();
  void Release();

  // One upload's place, held while it is processed. kUnavailable "too_many_uploads" (503 with
  // Retry-After) when every place is taken.
  class Slot {
   public:
    explicit Slot(UploadLimiter& limiter);
    ~Slot();
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    UploadLimiter& limiter_;
  };

 private:
  const int max_;
  std::atomic<int> active_{0};
};

// POST/GET /suppliers/{id}/evidence, GET /evidence/{id}, GET /evidence/{id}/content.
void AddEvidenceRoutes(Router& router, domain::EvidenceService* evidence, UploadLimiter* limiter);

// The SHA-256 (hex) named by an RFC 9530 Content-Digest header ("sha-256=:<base64>:"), if it
// names one; kMalformed "invalid_digest" (400) when the header is malformed.
std::optional<std::string> Sha256FromContentDigest(std::string_view header);
std::string ContentDigest(const std::string& sha256_hex);
// `attachment; filename="..."` with quotes and backslashes escaped and non-ASCII replaced, plus
// an RFC 8187 filename* carrying the exact UTF-8 name.
std::string AttachmentDisposition(const std::string& filename);

}  // namespace coco::api
