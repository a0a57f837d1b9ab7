#include "domain/evidence/evidence_service.hpp"

#include "domain/common/error.hpp"
#include "domain/identity/authorization.hpp"

namespace coco::domain {

Evidence EvidenceService::Upload(const Actor& actor, const SupplierId& supplier,
                                 const Parsed<domain::Upload>& parsed, std::string_view bytes) {
  Authorize(actor.principal, Permission::kWriteAssessment, supplier);
  domain::Upload upload = parsed.Value();
  std::vector<ErrorDetail> problems;
  if (!IsSafeFilename(upload.filename)) {
    problems.push_back({"filename", "invalid_filename",
                        "filename must be 1 to 255 characters without path separators or "
                        "control characters"});
  }
  if (!IsPlausibleMediaType(upload.media_type)) {
    problems.push_back({"media_type", "invalid_media_type",
                        "Content-Type must be a media type such as application/pdf"});
  }
  if (upload.issued_on && upload.expires_on && *upload.expires_on < *upload.issued_on) {
    problems.push_back({"expires_on", "invalid_range", "expires_on is before issued_on"});
  }
  if (!problems.empty()) {
    throw InvalidArgument("the upload is invalid: " + problems.front().detail, "invalid_upload")
        .WithDetails(std::move(problems));
  }
  if (bytes.empty()) throw Malformed("the file is empty: send its bytes as the body", "empty_body");
  const auto owner = suppliers_.Find(supplier);
  if (!owner) throw NotFound("no such supplier");

  const std::string sha256 = hasher_.Sha256Hex(bytes);
  if (upload.expected_sha256 && *upload.expected_sha256 != sha256) {
    throw Malformed("the body does not match its Content-Digest; nothing was stored",
                    "digest_mismatch");
  }
  Evidence evidence{EvidenceId(ids_.NewId()),
                    supplier,
                    std::move(upload.filename),
                    std::move(upload.media_type),
                    static_cast<long long>(bytes.size()),
                    sha256,
                    upload.kind,
                    upload.issued_on,
                    upload.expires_on,
                    actor.principal.user_id,
                    std::chrono::floor<std::chrono::microseconds>(clock_.Now())};
  AuditEntry audit{"evidence.upload", "evidence", evidence.id.str(), supplier, {}};
  audit.detail.Set("filename", evidence.filename)
      .Set("media_type", evidence.media_type)
      .Set("size", evidence.size)
      .Set("sha256", evidence.sha256)
      .Set("kind", ToString(evidence.kind))
      .Set("issued_on", evidence.issued_on
                            ? std::optional<std::string>(evidence.issued_on->ToString())
                            : std::nullopt)
      .Set("expires_on", evidence.expires_on
                             ? std::optional<std::string>(evidence.expires_on->ToString())
                             : std::nullopt);
  evidence_.Store(evidence, bytes, actor, audit);
  return evidence;
}

Evidence EvidenceService::Get(const Actor& actor, const EvidenceId& id) {
  auto evidence = evidence_.Find(id);
  if (!evidence) throw NotFound("no such evidence");
  AuthorizeFound(actor.principal, Permission::kReadAssessment, evidence->supplier_id,
                 "no such evidence");
  return *evidence;
}

PageResult<Evidence> EvidenceService::List(const Actor& actor, const SupplierId& supplier,
                                           const EvidenceFilter& filter, const PageRequest& page) {
  Authorize(actor.principal, Permission::kReadAssessment, supplier);
  return evidence_.List(supplier, filter, page);
}

std::pair<Evidence, std::string> EvidenceService::Content(const Actor& actor,
                                                          const EvidenceId& id) {
  auto evidence = evidence_.Find(id);
  if (!evidence) throw NotFound("no such evidence");
  AuthorizeFound(actor.principal, Permission::kReadEvidenceBytes, evidence->supplier_id,
                 "no such evidence");
  std::string bytes = evidence_.ReadContent(*evidence);
  return {std::move(*evidence), std::move(bytes)};
}

std::vector<ErrorDetail> ForeignEvidence(const EvidenceLookup& find, const SupplierId& supplier,
                                         const std::vector<EvidenceId>& ids) {
  std::vector<ErrorDetail> problems;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto file = find(ids[i]);
    if (!file || file->supplier_id != supplier) {
      problems.push_back({"evidence_ids[" + std::to_string(i) + "]", "unknown_evidence",
                          "no evidence file of this supplier has this id"});
    }
  }
  return problems;
}

}  // namespace coco::domain
