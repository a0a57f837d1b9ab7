#pragma once

// The status projection test (status_projection_pgtest.cpp), part 1: deterministic ids, and the
// independent recomputation of a supplier's facts, DESIGN.md §2 written out over the raw tables.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/catalogue_files.hpp"
#include "domain/assessment/assessment_service.hpp"
#include "domain/common/error.hpp"
#include "domain/evidence/evidence_service.hpp"
#include "domain/remediation/remediation_service.hpp"
#include "domain/review/decision.hpp"
#include "domain/review/review_service.hpp"
#include "domain/risk_exception/risk_exception_service.hpp"
#include "domain/service/service_service.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/status/status.hpp"
#include "domain/supplier/supplier_service.hpp"
#include "domain/trigger/trigger_service.hpp"
#include "persistence/connection_pool.hpp"
#include "persistence/pg_assessment_repository.hpp"
#include "persistence/pg_audit.hpp"
#include "persistence/pg_audit_repository.hpp"
#include "persistence/pg_catalogue_repository.hpp"
#include "persistence/pg_evidence_repository.hpp"
#include "persistence/pg_identity_repository.hpp"
#include "persistence/pg_review_repositories.hpp"
#include "persistence/pg_service_repository.hpp"
#include "persistence/pg_status.hpp"
#include "persistence/pg_status_journal.hpp"
#include "persistence/pg_supplier_repository.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/test_database.hpp"

namespace coco::status_projection {

using domain::Date;
using Micros = std::chrono::microseconds;
using TimePoint = std::chrono::system_clock::time_point;

constexpr unsigned kSeed = 20261122;
constexpr int kSteps = 420;
// Every this many steps (and at the end) all suppliers are compared, not only the one touched.
constexpr int kCheckpointEvery = 30;

const std::filesystem::path kShipped = std::filesystem::path(COCO_SOURCE_DIR) / "standards";

constexpr domain::StandardKey kKeys[] = {
    domain::StandardKey::kCoco, domain::StandardKey::kOffshoring,
    domain::StandardKey::kCryptography, domain::StandardKey::kSupplier};

// Deterministic ids, so a failing run can be replayed exactly.
class SequentialIds final : public domain::IdGenerator {
 public:
  domain::Uuid NewId() override { return domain::Uuid::Parse(test::NthUuid(++next_)); }

 private:
  int next_ = 1000;
};

inline std::string Text(const std::optional<Date>& date) { return date ? date->ToString() : "-"; }
inline std::string Text(const std::optional<std::string>& text) { return text ? *text : "-"; }
inline std::string Text(TimePoint at) { return domain::FormatTimestamp(at); }
inline std::string Text(bool flag) { return flag ? "true" : "false"; }

inline TimePoint FromMicros(long long micros) { return TimePoint(Micros(micros)); }

// ---------------------------------------------------------------------------------------------
// The independent recomputation: DESIGN.md §2 over the raw tables.

struct ExpectedFacts {
  domain::SupplierFacts facts;
  // Relied-on evidence: every file that ties for the latest lapse date of a requirement, keyed
  // "service/STANDARD/requirement". DESIGN.md §2 does not say which of equal files is named, so
  // the projection may name any of them.
  std::map<std::string, std::set<std::string>> evidence_ties;
  std::vector<std::string> problems;  // invariants of the raw tables that do not hold
};

inline bool IsOpenState(const std::string& state) {
  return state == "draft" || state == "submitted" || state == "in_review" ||
         state == "changes_requested";
}

// DESIGN.md §2 Evidence: expires_on if given; else issued_on + 12 months for pen test reports,
// IT health checks and both Cyber Essentials certificates; else the file never lapses.
inline std::optional<Date> LapseOf(const std::string& kind, const std::optional<Date>& issued_on,
                                   const std::optional<Date>& expires_on) {
  if (expires_on) return expires_on;
  static const std::set<std::string> kYearly = {"pen_test_report", "it_health_check",
                                                "cyber_essentials_certificate",
                                                "cyber_essentials_plus_certificate"};
  if (kYearly.contains(kind) && issued_on) return issued_on->AddMonthsClamped(12);
  return std::nullopt;
}

inline std::optional<Date> OptionalDateOf(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return Date::Parse(field.as<std::string>());
}

class Recomputation {
 public:
  Recomputation(const std::string& url, domain::Catalogue& catalogue)
      : connection_(url), catalogue_(catalogue) {}

  // After a catalogue import: which version of a standard is the newest may have changed.
  void ForgetVersions() { latest_.clear(); }

  ExpectedFacts Facts(const std::string& supplier) {
    pqxx::read_transaction tx(connection_);
    ExpectedFacts expected;
    expected.facts.supplier_id = supplier;

    // Each requirement's evidence kinds, per standard version.
    std::map<std::string, std::set<std::string>> kinds_of;
    for (const auto& row : tx.exec("SELECT standard_key, standard_version, id,"
                                   " array_to_string(evidence_kinds, ',') FROM requirements")) {
      std::set<std::string> kinds;
      std::stringstream list(row[3].as<std::string>());
      for (std::string kind; std::getline(list, kind, ',');) kinds.insert(kind);
      kinds_of[RequirementKey(row[0].as<std::string>(), row[1].as<std::string>(),
                              row[2].as<std::string>())] = kinds;
    }

    struct AssessmentRow {
      std::string id, service, standard, version, state, profile_hash;
      std::optional<TimePoint> decided_at = {};
      std::optional<Date> valid_until = {};
      bool suspended = false;
    };
    std::vector<AssessmentRow> assessments;
    for (const auto& row : tx.exec_params(
             "SELECT id, service_id, standard_key, standard_version, state, profile_hash,"
             " floor(extract(epoch FROM decided_at) * 1000000)::bigint, valid_until::text,"
             " suspended_at IS NOT NULL FROM assessments WHERE supplier_id = $1",
             supplier)) {
      AssessmentRow a{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                      row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<std::string>()};
      if (!row[6].is_null()) a.decided_at = FromMicros(row[6].as<long long>());
      a.valid_until = OptionalDateOf(row[7]);
      a.suspended = row[8].as<bool>();
      assessments.push_back(std::move(a));
    }

    // Responses of approved assessments: (assessment, requirement) -> level, answer, verdict.
    struct ResponseRow {
      std::string level;
      std::optional<std::string> answer = {};
      std::optional<std::string> verdict = {};
    };
    std::map<std::pair<std::string, std::string>, ResponseRow> responses;
    for (const auto& row :
         tx.exec_params("SELECT r.assessment_id, r.requirement_id, r.level, r.answer, r.verdict"
                        " FROM responses r JOIN assessments a ON a.id = r.assessment_id"
                        " WHERE a.supplier_id = $1 AND a.state = 'approved'",
                        supplier)) {
      ResponseRow r{row[2].as<std::string>()};
      if (!row[3].is_null()) r.answer = row[3].as<std::string>();
      if (!row[4].is_null()) r.verdict = row[4].as<std::string>();
      responses[{row[0].as<std::string>(), row[1].as<std::string>()}] = r;
    }

    struct FileRow {
      std::string owner, requirement, evidence, kind;
      std::optional<Date> lapse;
    };
    std::vector<FileRow> response_files;
    for (const auto& row : tx.exec_params(
             "SELECT re.assessment_id, re.requirement_id, e.id, e.kind, e.issued_on::text,"
             " e.expires_on::text FROM response_evidence re"
             " JOIN evidence e ON e.id = re.evidence_id"
             " JOIN assessments a ON a.id = re.assessment_id"
             " WHERE a.supplier_id = $1 AND a.state = 'approved'",
             supplier)) {
      const std::string kind = row[3].as<std::string>();
      response_files.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                                row[2].as<std::string>(), kind,
                                LapseOf(kind, OptionalDateOf(row[4]), OptionalDateOf(row[5]))});
    }

    struct ActionRow {
      std::string id, assessment, requirement, state;
      Date due;
    };
    std::vector<ActionRow> actions;
    for (const auto& row : tx.exec_params(
             "SELECT id, assessment_id, requirement_id, state, due_date::text FROM actions"
             " WHERE supplier_id = $1",
             supplier)) {
      actions.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                         row[2].as<std::string>(), row[3].as<std::string>(),
                         Date::Parse(row[4].as<std::string>())});
    }
    std::vector<FileRow> action_files;  // owner = action id
    for (const auto& row :
         tx.exec_params("SELECT ae.action_id, e.id, e.kind, e.issued_on::text, e.expires_on::text"
                        " FROM action_evidence ae JOIN evidence e ON e.id = ae.evidence_id"
                        " JOIN actions ac ON ac.id = ae.action_id WHERE ac.supplier_id = $1",
                        supplier)) {
      const std::string kind = row[2].as<std::string>();
      action_files.push_back({row[0].as<std::string>(), "", row[1].as<std::string>(), kind,
                              LapseOf(kind, OptionalDateOf(row[3]), OptionalDateOf(row[4]))});
    }

    struct ExceptionRow {
      std::string id, assessment, requirement;
      Date expires_on;
      std::optional<TimePoint> revoked_at = {};
    };
    std::vector<ExceptionRow> exceptions;
    for (const auto& row : tx.exec_params(
             "SELECT id, assessment_id, requirement_id, expires_on::text,"
             " floor(extract(epoch FROM revoked_at) * 1000000)::bigint FROM risk_exceptions"
             " WHERE supplier_id = $1",
             supplier)) {
      ExceptionRow e{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                     Date::Parse(row[3].as<std::string>())};
      if (!row[4].is_null()) e.revoked_at = FromMicros(row[4].as<long long>());
      exceptions.push_back(std::move(e));
    }

    struct TriggerRow {
      std::string id, service;
      Date occurred_on;
      TimePoint recorded_at;
    };
    std::vector<TriggerRow> triggers;
    for (const auto& row :
         tx.exec_params("SELECT id, service_id, occurred_on::text,"
                        " floor(extract(epoch FROM recorded_at) * 1000000)::bigint FROM triggers"
                        " WHERE supplier_id = $1",
                        supplier)) {
      triggers.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                          Date::Parse(row[2].as<std::string>()),
                          FromMicros(row[3].as<long long>())});
    }

    for (const auto& service_row :
         tx.exec_params("SELECT id, classification, connects_to_network, personal_data,"
                        " array_to_string(offshore, ','), hmg_crypto, operates_pki, profile_hash"
                        " FROM services WHERE supplier_id = $1 ORDER BY created_at, id",
                        supplier)) {
      const std::string service_id = service_row[0].as<std::string>();
      const std::string profile_hash = service_row[7].as<std::string>();
      domain::ScopeProfile profile;
      profile.classification = *domain::TryParseClassification(service_row[1].as<std::string>());
      profile.connects_to_network = service_row[2].as<bool>();
      profile.personal_data = service_row[3].as<bool>();
      std::stringstream offshore(service_row[4].as<std::string>());
      for (std::string entry; std::getline(offshore, entry, ',');) {
        const auto colon = entry.find(':');
        profile.offshore.push_back(
            {entry.substr(0, colon), *domain::TryParseOffshoreActivity(entry.substr(colon + 1))});
      }
      profile.hmg_crypto = service_row[5].as<bool>();
      profile.operates_pki = service_row[6].as<bool>();

      domain::ServiceFacts service{service_id, {}, {}};
      std::set<std::string> trigger_ids;
      for (const auto key : kKeys) {
        const std::string key_text(domain::ToString(key));
        std::vector<const AssessmentRow*> mine;
        for (const auto& a : assessments) {
          if (a.service == service_id && a.standard == key_text) mine.push_back(&a);
        }
        // DESIGN.md §2: the standards the profile requires (the catalogue's applies_when),
        // and any other standard the service was ever assessed against (listed, not counted).
        const bool required = Latest(key).AppliesTo(profile);
        if (!required && mine.empty()) continue;
        domain::StandardFacts facts;
        facts.standard = key;
        facts.required = required;

        const AssessmentRow* governing = nullptr;
        const AssessmentRow* newest_decided = nullptr;
        for (const AssessmentRow* a : mine) {
          if (a->state == "approved") {
            if (governing != nullptr) {
              expected.problems.push_back(service_id + "/" + key_text +
                                          ": two approved assessments");
            }
            governing = a;
          }
          if (IsOpenState(a->state)) {
            if (facts.open_assessment_id) {
              expected.problems.push_back(service_id + "/" + key_text + ": two open assessments");
            }
            facts.open_assessment_id = a->id;
          }
          // The newest decided assessment, ignoring withdrawn and superseded ones.
          if (a->state == "approved" || a->state == "rejected") {
            if (newest_decided == nullptr || *newest_decided->decided_at < *a->decided_at) {
              newest_decided = a;
            } else if (*newest_decided->decided_at == *a->decided_at) {
              expected.problems.push_back(service_id + "/" + key_text +
                                          ": two decisions at the same instant");
            }
          }
        }
        if (newest_decided != nullptr && newest_decided->state == "rejected") {
          facts.rejected_assessment_id = newest_decided->id;
          facts.rejected_on = Date::Of(*newest_decided->decided_at);
        }

        if (governing != nullptr) {
          const AssessmentRow& g = *governing;
          domain::GoverningApproval approval{g.id, g.version, *g.decided_at, *g.valid_until};
          approval.suspended = g.suspended;
          approval.profile_changed = g.profile_hash != profile_hash;
          const auto response_of = [&](const std::string& requirement) -> const ResponseRow* {
            const auto found = responses.find({g.id, requirement});
            return found == responses.end() ? nullptr : &found->second;
          };
          const auto is_must = [&](const std::string& requirement) {
            const ResponseRow* r = response_of(requirement);
            return r != nullptr && r->level == "MUST";
          };
          const auto qualifies = [&](const std::string& requirement, const std::string& kind) {
            const auto found = kinds_of.find(RequirementKey(g.standard, g.version, requirement));
            return found != kinds_of.end() && found->second.contains(kind);
          };

          for (const auto& action : actions) {
            if (action.assessment != g.id) continue;
            approval.actions.push_back(
                {action.id, action.requirement, action.due, action.state == "verified"});
          }
          for (const auto& exception : exceptions) {
            if (exception.assessment != g.id) continue;
            domain::ExceptionFact fact{exception.id, exception.requirement, exception.expires_on};
            fact.revoked_at = exception.revoked_at;
            const ResponseRow* r = response_of(exception.requirement);
            fact.requirement_not_met = r != nullptr && r->level == "MUST" && r->answer &&
                                       (*r->answer == "partially_met" || *r->answer == "not_met");
            approval.exceptions.push_back(std::move(fact));
          }

          // Relied-on evidence: files of accepted responses answered met or partially met, and
          // files of verified actions, of one of the requirement's kinds.
          std::map<std::string, std::vector<const FileRow*>> files;
          for (const auto& file : response_files) {
            if (file.owner != g.id) continue;
            const ResponseRow* r = response_of(file.requirement);
            if (r == nullptr || r->verdict != "accepted" || !r->answer ||
                (*r->answer != "met" && *r->answer != "partially_met")) {
              continue;
            }
            if (qualifies(file.requirement, file.kind)) files[file.requirement].push_back(&file);
          }
          for (const auto& action : actions) {
            if (action.assessment != g.id || action.state != "verified") continue;
            for (const auto& file : action_files) {
              if (file.owner == action.id && qualifies(action.requirement, file.kind)) {
                files[action.requirement].push_back(&file);
              }
            }
          }
          for (const auto& [requirement, candidates] : files) {
            // A response lapses at the latest lapse date among its files: never, if one of them
            // never lapses.
            const bool never = std::any_of(candidates.begin(), candidates.end(),
                                           [](const FileRow* file) { return !file->lapse; });
            if (never) continue;
            Date last = *candidates.front()->lapse;
            for (const FileRow* file : candidates) last = std::max(last, *file->lapse);
            std::set<std::string> tied;
            for (const FileRow* file : candidates) {
              if (*file->lapse == last) tied.insert(file->evidence);
            }
            approval.evidence.push_back({requirement, is_must(requirement), *tied.begin(), last});
            expected.evidence_ties[service_id + "/" + key_text + "/" + requirement] = tied;
          }

          // Triggers recorded after this approval.
          for (const auto& trigger : triggers) {
            if (trigger.service == service_id && approval.decided_at < trigger.recorded_at &&
                trigger_ids.insert(trigger.id).second) {
              service.triggers.push_back({trigger.id, trigger.occurred_on, trigger.recorded_at});
            }
          }
          facts.approval = std::move(approval);
        }
        service.standards.push_back(std::move(facts));
      }
      expected.facts.services.push_back(std::move(service));
    }
    return expected;
  }

 private:
  static std::string RequirementKey(const std::string& standard, const std::string& version,
                                    const std::string& id) {
    return standard + "|" + version + "|" + id;
  }

  // The newest version of a standard (versions never change once imported).
  const domain::Standard& Latest(domain::StandardKey key) {
    auto& standard = latest_[key];
    if (!standard) standard = catalogue_.Latest(key);
    return *standard;
  }

  pqxx::connection connection_;
  domain::Catalogue& catalogue_;
  std::map<domain::StandardKey, std::shared_ptr<const domain::Standard>> latest_;
};

}  // namespace coco::status_projection
