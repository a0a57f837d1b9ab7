// The status projection (migrations/0008_status.sql) against an independent recomputation
// (issue #6). A seeded random sequence of operations runs through the domain use cases on real
// PostgreSQL repositories; after every step the facts of the supplier it touched are read from
// the projection (PgStatusRepository::Read) and recomputed from scratch by this file: plain SQL
// over the raw tables (services, assessments, responses, response_evidence, evidence,
// requirements, actions, action_evidence, risk_exceptions, triggers) and DESIGN.md §2's
// definitions written out here in C++. Neither coco_refresh_status nor persistence/pg_status.cpp
// takes part in the recomputation. The two must agree field by field, and so must the statuses
// the pure function (domain::EvaluateSupplier) derives from each at several dates.
//
// It bites: with any one of the projection updates the writes make left out, it fails (checked
// by commenting each call of RefreshStatus / RefreshServiceStatus out in turn).

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
#include "domain/review/decision.hpp"
#include "domain/remediation/remediation_service.hpp"
#include "domain/review/review_service.hpp"
#include "domain/risk_exception/risk_exception_service.hpp"
#include "domain/trigger/trigger_service.hpp"
#include "domain/service/service_service.hpp"
#include "domain/standard/catalogue.hpp"
#include "domain/status/status.hpp"
#include "domain/supplier/supplier_service.hpp"
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
#include "persistence/pg_supplier_repository.hpp"
#include "security/openssl_hasher.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/test_database.hpp"

namespace coco {
namespace {

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

std::string Text(const std::optional<Date>& date) { return date ? date->ToString() : "-"; }
std::string Text(const std::optional<std::string>& text) { return text ? *text : "-"; }
std::string Text(TimePoint at) { return domain::FormatTimestamp(at); }
std::string Text(bool flag) { return flag ? "true" : "false"; }

TimePoint FromMicros(long long micros) { return TimePoint(Micros(micros)); }

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

bool IsOpenState(const std::string& state) {
  return state == "draft" || state == "submitted" || state == "in_review" ||
         state == "changes_requested";
}

// DESIGN.md §2 Evidence: expires_on if given; else issued_on + 12 months for pen test reports,
// IT health checks and both Cyber Essentials certificates; else the file never lapses.
std::optional<Date> LapseOf(const std::string& kind, const std::optional<Date>& issued_on,
                            const std::optional<Date>& expires_on) {
  if (expires_on) return expires_on;
  static const std::set<std::string> kYearly = {"pen_test_report", "it_health_check",
                                                "cyber_essentials_certificate",
                                                "cyber_essentials_plus_certificate"};
  if (kYearly.contains(kind) && issued_on) return issued_on->AddMonthsClamped(12);
  return std::nullopt;
}

std::optional<Date> OptionalDateOf(const pqxx::field& field) {
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

// ---------------------------------------------------------------------------------------------
// Comparison, field by field.

template <typename T, typename Key>
void SortBy(std::vector<T>& items, Key key) {
  std::sort(items.begin(), items.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

void Normalise(domain::SupplierFacts& facts) {
  for (auto& service : facts.services) {
    SortBy(service.standards, [](const auto& s) { return static_cast<int>(s.standard); });
    SortBy(service.triggers, [](const auto& t) { return t.id; });
    for (auto& standard : service.standards) {
      if (!standard.approval) continue;
      SortBy(standard.approval->actions, [](const auto& a) { return a.id; });
      SortBy(standard.approval->exceptions, [](const auto& e) { return e.id; });
      SortBy(standard.approval->evidence, [](const auto& e) { return e.requirement_id; });
    }
  }
}

class Differences {
 public:
  template <typename A, typename B>
  void Field(const std::string& where, const A& projection, const B& expected) {
    const std::string p = Text(projection), e = Text(expected);
    if (p != e) lines_.push_back(where + ": projection " + p + ", recomputed " + e);
  }
  void Add(std::string line) { lines_.push_back(std::move(line)); }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  static std::string Text(const std::string& text) { return text; }
  static std::string Text(const char* text) { return text; }
  template <typename T>
  static std::string Text(const T& value) {
    return coco::Text(value);
  }

  std::vector<std::string> lines_;
};

// Compares the projection's facts with the recomputed ones. Where the projection names one of
// several equally good evidence files, the recomputation adopts its choice, so the statuses
// compared afterwards can name the same file.
std::vector<std::string> CompareFacts(domain::SupplierFacts projection, ExpectedFacts& expected) {
  Normalise(projection);
  Normalise(expected.facts);
  Differences d;
  for (const auto& problem : expected.problems) d.Add("raw tables: " + problem);
  std::string p_order, e_order;
  for (const auto& s : projection.services) p_order += s.service_id + " ";
  for (const auto& s : expected.facts.services) e_order += s.service_id + " ";
  d.Field("services (in order)", p_order, e_order);
  for (auto& es : expected.facts.services) {
    const auto ps_it = std::find_if(projection.services.begin(), projection.services.end(),
                                    [&](const auto& s) { return s.service_id == es.service_id; });
    if (ps_it == projection.services.end()) continue;
    const auto& ps = *ps_it;
    const std::string sw = "service " + es.service_id;
    {
      std::string p_triggers, e_triggers;
      for (const auto& t : ps.triggers) {
        p_triggers += t.id + "@" + t.occurred_on.ToString() + "/" + Text(t.recorded_at) + " ";
      }
      for (const auto& t : es.triggers) {
        e_triggers += t.id + "@" + t.occurred_on.ToString() + "/" + Text(t.recorded_at) + " ";
      }
      d.Field(sw + " triggers", p_triggers, e_triggers);
    }
    std::string p_keys, e_keys;
    for (const auto& s : ps.standards) p_keys += std::string(domain::ToString(s.standard)) + " ";
    for (const auto& s : es.standards) e_keys += std::string(domain::ToString(s.standard)) + " ";
    d.Field(sw + " standards listed", p_keys, e_keys);
    for (auto& e : es.standards) {
      const auto p_it = std::find_if(ps.standards.begin(), ps.standards.end(),
                                     [&](const auto& s) { return s.standard == e.standard; });
      if (p_it == ps.standards.end()) continue;
      const auto& p = *p_it;
      const std::string key(domain::ToString(e.standard));
      const std::string w = sw + " " + key;
      d.Field(w + " required", p.required, e.required);
      d.Field(w + " open_assessment_id", p.open_assessment_id, e.open_assessment_id);
      d.Field(w + " rejected_assessment_id", p.rejected_assessment_id, e.rejected_assessment_id);
      d.Field(w + " rejected_on", p.rejected_on, e.rejected_on);
      d.Field(w + " governing approval", p.approval ? p.approval->assessment_id : "none",
              e.approval ? e.approval->assessment_id : "none");
      if (!p.approval || !e.approval || p.approval->assessment_id != e.approval->assessment_id) {
        continue;
      }
      const auto& pa = *p.approval;
      auto& ea = *e.approval;
      d.Field(w + " standard_version", pa.standard_version, ea.standard_version);
      d.Field(w + " decided_at", pa.decided_at, ea.decided_at);
      d.Field(w + " valid_until", std::optional<Date>(pa.valid_until),
              std::optional<Date>(ea.valid_until));
      d.Field(w + " suspended", pa.suspended, ea.suspended);
      d.Field(w + " profile_changed", pa.profile_changed, ea.profile_changed);
      std::string p_actions, e_actions;
      for (const auto& a : pa.actions) {
        p_actions += a.id + ":" + a.requirement_id + ":" + a.due_date.ToString() +
                     (a.verified ? ":verified " : ":unverified ");
      }
      for (const auto& a : ea.actions) {
        e_actions += a.id + ":" + a.requirement_id + ":" + a.due_date.ToString() +
                     (a.verified ? ":verified " : ":unverified ");
      }
      d.Field(w + " actions", p_actions, e_actions);
      std::string p_exceptions, e_exceptions;
      for (const auto& x : pa.exceptions) {
        p_exceptions += x.id + ":" + x.requirement_id + ":expires " + x.expires_on.ToString() +
                        ":revoked " + Text(x.RevokedOn()) +
                        ":at " + std::to_string(x.revoked_at ? x.revoked_at->time_since_epoch().count() : 0) +
                        (x.requirement_not_met ? ":not_met " : ":met ");
      }
      for (const auto& x : ea.exceptions) {
        e_exceptions += x.id + ":" + x.requirement_id + ":expires " + x.expires_on.ToString() +
                        ":revoked " + Text(x.RevokedOn()) +
                        ":at " + std::to_string(x.revoked_at ? x.revoked_at->time_since_epoch().count() : 0) +
                        (x.requirement_not_met ? ":not_met " : ":met ");
      }
      d.Field(w + " exceptions", p_exceptions, e_exceptions);
      // Evidence: requirement, MUST or not, lapse date; the file named must be one of the files
      // that lapse last.
      std::string p_evidence, e_evidence;
      for (const auto& x : pa.evidence) {
        p_evidence +=
            x.requirement_id + (x.must ? ":MUST:" : ":SHOULD:") + x.lapses_on.ToString() + " ";
      }
      for (const auto& x : ea.evidence) {
        e_evidence +=
            x.requirement_id + (x.must ? ":MUST:" : ":SHOULD:") + x.lapses_on.ToString() + " ";
      }
      d.Field(w + " relied-on evidence", p_evidence, e_evidence);
      for (auto& x : ea.evidence) {
        const auto& tied =
            expected.evidence_ties[es.service_id + "/" + key + "/" + x.requirement_id];
        const auto named = std::find_if(pa.evidence.begin(), pa.evidence.end(), [&](const auto& y) {
          return y.requirement_id == x.requirement_id;
        });
        if (named == pa.evidence.end()) continue;
        if (tied.contains(named->evidence_id)) {
          x.evidence_id = named->evidence_id;
        } else {
          d.Add(w + " relied-on evidence of " + x.requirement_id + ": projection names " +
                named->evidence_id + ", not one of the files lapsing last");
        }
      }
    }
  }
  return d.lines();
}

// A status tree as lines, reasons sorted, for comparing two evaluations.
std::string ReasonText(const domain::Reason& r) {
  std::string text(domain::ToString(r.code));
  if (r.standard) text += " standard=" + std::string(domain::ToString(*r.standard));
  if (!r.service_id.empty()) text += " service=" + std::string(r.service_id);
  if (!r.requirement_id.empty()) text += " requirement=" + std::string(r.requirement_id);
  if (!r.evidence_id.empty()) text += " evidence=" + std::string(r.evidence_id);
  if (!r.action_id.empty()) text += " action=" + std::string(r.action_id);
  if (!r.exception_id.empty()) text += " exception=" + std::string(r.exception_id);
  if (!r.trigger_id.empty()) text += " trigger=" + std::string(r.trigger_id);
  if (!r.assessment_id.empty()) text += " assessment=" + std::string(r.assessment_id);
  if (r.date) text += " date=" + r.date->ToString();
  return text;
}

template <typename Status>
void StatusLines(const std::string& who, const Status& status, std::vector<std::string>& lines) {
  std::string head = who + " status=" + std::string(domain::ToString(status.status)) +
                     " base_status=" + std::string(domain::ToString(status.base_status)) +
                     " next_change=";
  head += status.next_change ? status.next_change->date.ToString() + ":" +
                                   std::string(domain::ToString(status.next_change->status))
                             : "none";
  lines.push_back(head);
  std::vector<std::string> reasons;
  for (const auto& reason : status.reasons)
    reasons.push_back(who + "   reason " + ReasonText(reason));
  std::sort(reasons.begin(), reasons.end());
  lines.insert(lines.end(), reasons.begin(), reasons.end());
}

std::vector<std::string> StatusTree(const domain::SupplierFacts& facts, Date as_of) {
  const auto status = domain::EvaluateSupplier(facts, as_of);
  std::vector<std::string> lines;
  StatusLines("supplier", status, lines);
  for (const auto& service : status.services) {
    const std::string who = "service " + service.facts->service_id;
    StatusLines(who, service, lines);
    for (const auto& standard : service.standards) {
      StatusLines(who + " " + std::string(domain::ToString(standard.facts->standard)), standard,
                  lines);
    }
  }
  return lines;
}

std::vector<std::string> CompareStatuses(domain::SupplierFacts projection,
                                         domain::SupplierFacts expected, Date today) {
  Normalise(projection);
  Normalise(expected);
  // Services in the same order on both sides, so the trees line up even when the order differs
  // (that is reported by the facts comparison).
  SortBy(projection.services, [](const auto& s) { return s.service_id; });
  SortBy(expected.services, [](const auto& s) { return s.service_id; });
  std::vector<std::string> out;
  for (const int offset : {0, 29, 30, 31, 200, 400}) {
    const Date as_of = today.AddDays(offset);
    const auto p = StatusTree(projection, as_of);
    const auto e = StatusTree(expected, as_of);
    if (p == e) continue;
    // The first line each side has that the other lacks.
    const auto only = [](const std::vector<std::string>& in,
                         const std::vector<std::string>& other) {
      for (const auto& line : in) {
        if (std::find(other.begin(), other.end(), line) == other.end()) return "`" + line + "`";
      }
      return std::string("(none)");
    };
    out.push_back("status as of " + as_of.ToString() + " (today+" + std::to_string(offset) +
                  "): only in the projection's " + only(p, e) + "; only in the recomputation's " +
                  only(e, p));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The world the operations run in.

struct Stack {
  Stack(persistence::ConnectionPool& pool, const domain::Hasher& hasher, domain::IdGenerator& ids,
        const domain::Clock& clock)
      : audit_log(hasher, clock),
        catalogue_repository(pool),
        catalogue(catalogue_repository),
        supplier_repository(pool, audit_log),
        suppliers(supplier_repository, ids, clock),
        service_repository(pool, audit_log),
        services(service_repository, supplier_repository, catalogue, ids, hasher, clock),
        evidence_repository(pool, audit_log),
        evidence(evidence_repository, supplier_repository, hasher, ids, clock),
        assessment_repository(pool, audit_log),
        assessments(assessment_repository, service_repository, evidence_repository, catalogue, ids,
                    clock),
        action_repository(pool, audit_log),
        exception_repository(pool, audit_log),
        trigger_repository(pool, audit_log),
        comment_repository(pool, audit_log),
        reviews(assessment_repository, exception_repository, comment_repository, catalogue, ids,
                clock),
        actions(action_repository, evidence_repository, clock),
        exceptions(exception_repository, assessment_repository, ids, clock),
        triggers(trigger_repository, service_repository, ids, clock),
        status(pool) {}

  persistence::PgAuditLog audit_log;
  persistence::PgCatalogueRepository catalogue_repository;
  domain::Catalogue catalogue;
  persistence::PgSupplierRepository supplier_repository;
  domain::SupplierService suppliers;
  persistence::PgServiceRepository service_repository;
  domain::ServiceService services;
  persistence::PgEvidenceRepository evidence_repository;
  domain::EvidenceService evidence;
  persistence::PgAssessmentRepository assessment_repository;
  domain::AssessmentService assessments;
  persistence::PgRemediationActionRepository action_repository;
  persistence::PgRiskExceptionRepository exception_repository;
  persistence::PgTriggerRepository trigger_repository;
  persistence::PgCommentRepository comment_repository;
  domain::ReviewService reviews;
  domain::RemediationService actions;
  domain::RiskExceptionService exceptions;
  domain::TriggerService triggers;
  persistence::PgStatusRepository status;
};

struct File {
  std::string id;
  std::string kind;
};

class StatusProjectionTest : public ::testing::Test {
 public:
  void SetUp() override {
    database_.Migrate();
    pool_ = std::make_unique<persistence::ConnectionPool>(
        persistence::PoolOptions{database_.url(), 3});
    stack_ = std::make_unique<Stack>(*pool_, hasher_, ids_, clock_);
    stack_->catalogue_repository.Import(app::LoadCatalogueDirectory(kShipped, hasher_));
    recompute_ = std::make_unique<Recomputation>(database_.url(), stack_->catalogue);
    raw_ = std::make_unique<pqxx::connection>(database_.url());

    admin_ = NewUser("admin", domain::Role::kAdmin, std::nullopt);
    for (const char* name : {"Acme Hosting", "Bolt Networks", "Quiet Ltd"}) {
      const auto supplier = stack_->suppliers.Create(
          *admin_, domain::NewSupplier{name, std::nullopt, "security@example.com"});
      suppliers_.push_back(supplier.id.str());
    }
    // Quiet Ltd has no services (no_services); the other two get users, services and files.
    for (int i = 0; i < 2; ++i) {
      supplier_users_.emplace(suppliers_[i],
                              NewUser("supplier " + std::to_string(i), domain::Role::kSupplier,
                                      domain::SupplierId::Parse(suppliers_[i])));
    }
    assessors_ = {NewUser("assessor one", domain::Role::kAssessor, std::nullopt),
                  NewUser("assessor two", domain::Role::kAssessor, std::nullopt)};
    risk_owner_ = NewUser("risk owner", domain::Role::kRiskOwner, std::nullopt);

    domain::ScopeProfile connected_offshore;
    connected_offshore.connects_to_network = true;
    connected_offshore.personal_data = true;
    connected_offshore.offshore = {{"IN", domain::OffshoreActivity::kDevelopment}};
    domain::ScopeProfile plain;
    domain::ScopeProfile connected;
    connected.connects_to_network = true;
    AddService(0, "payroll", connected_offshore);
    AddService(0, "website", plain);
    AddService(1, "gateway", connected);
    for (int i = 0; i < 2; ++i) {
      for (int n = 0; n < 14; ++n) Upload(suppliers_[i], std::nullopt);
    }
  }

  // --- set-up helpers ---

  domain::Actor NewUser(const std::string& name, domain::Role role,
                        std::optional<domain::SupplierId> supplier) {
    const auto id = domain::UserId(ids_.NewId());
    pqxx::work tx(*RawConnection());
    tx.exec_params("INSERT INTO users (id, name, role, supplier_id) VALUES ($1, $2, $3, $4)",
                   id.str(), name, std::string(domain::ToString(role)),
                   supplier ? std::optional<std::string>(supplier->str()) : std::nullopt);
    tx.commit();
    domain::Principal principal{id,
                                name,
                                role,
                                supplier,
                                {},
                                domain::TokenId(ids_.NewId()),
                                clock_.Now() + std::chrono::hours(24 * 365 * 20)};
    return domain::Actor{principal, "status-projection-test"};
  }

  pqxx::connection* RawConnection() {
    if (!raw_) raw_ = std::make_unique<pqxx::connection>(database_.url());
    return raw_.get();
  }

  void AddService(int supplier, const std::string& name, const domain::ScopeProfile& profile) {
    const auto service = stack_->services.Create(
        SupplierActor(suppliers_[supplier]), domain::SupplierId::Parse(suppliers_[supplier]),
        domain::NewService{name, std::nullopt, std::nullopt, std::nullopt, profile});
    services_.push_back({service.id.str(), suppliers_[supplier]});
  }

  const domain::Actor& SupplierActor(const std::string& supplier) {
    return supplier_users_.at(supplier);
  }

  const domain::Actor& AssessorById(const std::string& user) {
    for (const auto& a : assessors_) {
      if (a.principal.user_id.str() == user) return a;
    }
    throw std::runtime_error("no such assessor " + user);
  }

  int Uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(random_); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Uniform(0, static_cast<int>(items.size()) - 1))];
  }

  Date Today() const { return clock_.Today(); }

  // A new file of `kind` (random when absent) with random dates.
  File Upload(const std::string& supplier, std::optional<std::string> kind) {
    static const std::vector<std::string> kKinds = {"pen_test_report",
                                                    "it_health_check",
                                                    "iso27001_certificate",
                                                    "cyber_essentials_certificate",
                                                    "cyber_essentials_plus_certificate",
                                                    "policy",
                                                    "network_diagram",
                                                    "tls_scan",
                                                    "signed_code_of_connection",
                                                    "siro_approval",
                                                    "dpia",
                                                    "other",
                                                    "policy",
                                                    "other"};
    const std::string chosen = kind ? *kind : Pick(kKinds);
    domain::Upload upload{"file-" + std::to_string(++uploads_) + ".pdf",
                          *domain::TryParseEvidenceKind(chosen),
                          std::nullopt,
                          std::nullopt,
                          "application/pdf",
                          std::nullopt};
    if (!Chance(0.1)) upload.issued_on = Today().AddDays(-Uniform(0, 420));
    if (Chance(0.45)) {
      const Date from = upload.issued_on.value_or(Today().AddDays(-30));
      upload.expires_on = from.AddDays(Uniform(20, 540));
    }
    const auto evidence =
        stack_->evidence.Upload(SupplierActor(supplier), domain::SupplierId::Parse(supplier),
                                upload, "bytes of file " + std::to_string(uploads_));
    File file{evidence.id.str(), chosen};
    files_[supplier].push_back(file);
    return file;
  }

  std::vector<std::string> KindsOf(const std::string& assessment, const std::string& requirement) {
    pqxx::read_transaction tx(*RawConnection());
    std::vector<std::string> kinds;
    for (const auto& row : tx.exec_params(
             "SELECT unnest(rq.evidence_kinds) FROM requirements rq JOIN assessments a"
             " ON a.standard_key = rq.standard_key AND a.standard_version = rq.standard_version"
             " WHERE a.id = $1 AND rq.id = $2",
             assessment, requirement)) {
      kinds.push_back(row[0].as<std::string>());
    }
    return kinds;
  }

  // Files for a requirement: usually one or two of its kinds (uploading one if the supplier has
  // none), sometimes one of another kind too.
  std::vector<domain::EvidenceId> FilesFor(const std::string& supplier,
                                           const std::vector<std::string>& kinds,
                                           bool need_qualifying) {
    std::vector<domain::EvidenceId> chosen;
    std::vector<File> qualifying;
    for (const auto& file : files_[supplier]) {
      if (std::find(kinds.begin(), kinds.end(), file.kind) != kinds.end())
        qualifying.push_back(file);
    }
    if (need_qualifying || Chance(0.8)) {
      if (qualifying.empty() || Chance(0.08)) qualifying.push_back(Upload(supplier, Pick(kinds)));
      const int count = Chance(0.3) ? 2 : 1;
      for (int i = 0; i < count; ++i) {
        const auto id = domain::EvidenceId::Parse(Pick(qualifying).id);
        if (std::find(chosen.begin(), chosen.end(), id) == chosen.end()) chosen.push_back(id);
      }
    }
    if (Chance(0.2)) {
      const auto id = domain::EvidenceId::Parse(Pick(files_[supplier]).id);
      if (std::find(chosen.begin(), chosen.end(), id) == chosen.end()) chosen.push_back(id);
    }
    return chosen;
  }

  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    pqxx::read_transaction tx(*RawConnection());
    std::vector<std::vector<std::string>> rows;
    for (const auto& row : tx.exec(sql)) {
      std::vector<std::string> values;
      for (const auto& field : row)
        values.push_back(field.is_null() ? "" : field.as<std::string>());
      rows.push_back(std::move(values));
    }
    return rows;
  }

  // --- the operations; each returns the supplier it touched ("" when it did nothing) ---

  // A random assessment matching `where`, as (id, supplier, state, claimed_by or "").
  std::optional<std::vector<std::string>> PickAssessment(const std::string& where) {
    const auto rows = Rows(
        "SELECT id, supplier_id, state, COALESCE(claimed_by::text, '')"
        " FROM assessments WHERE " +
        where + " ORDER BY id");
    if (rows.empty()) return std::nullopt;
    return Pick(rows);
  }

  // Mostly a (service, standard) the profile requires with nothing open; now and then any pair,
  // for the refusals.
  std::string StartAssessment() {
    std::vector<std::pair<std::size_t, domain::StandardKey>> candidates;
    if (!Chance(0.1)) {
      const auto open = Rows(
          "SELECT service_id || standard_key FROM assessments"
          " WHERE state IN ('draft', 'submitted', 'in_review', 'changes_requested')");
      for (std::size_t i = 0; i < services_.size(); ++i) {
        const auto& [service, supplier] = services_[i];
        const auto profile =
            stack_->services.Get(SupplierActor(supplier), domain::ServiceId::Parse(service))
                .profile;
        for (const auto key : kKeys) {
          const std::string pair = service + std::string(domain::ToString(key));
          const bool is_open = std::any_of(open.begin(), open.end(),
                                           [&](const auto& row) { return row[0] == pair; });
          if (!is_open && stack_->catalogue.Latest(key)->AppliesTo(profile)) {
            candidates.push_back({i, key});
          }
        }
      }
    }
    if (candidates.empty()) {
      candidates.push_back(
          {static_cast<std::size_t>(Uniform(0, static_cast<int>(services_.size()) - 1)),
           kKeys[Uniform(0, 3)]});
    }
    const auto [index, key] = Pick(candidates);
    const auto& [service, supplier] = services_[index];
    stack_->assessments.Start(SupplierActor(supplier), domain::ServiceId::Parse(service), key);
    return supplier;
  }

  // Answers a draft's unanswered responses (and now and then changes a few answered ones), or
  // the responses open for changes.
  std::string AnswerResponses(const std::vector<std::string>& row) {
    const auto id = domain::AssessmentId::Parse(row[0]);
    const auto& actor = SupplierActor(row[1]);
    const auto assessment = stack_->assessments.Get(actor, id);
    const bool changes = assessment.state == domain::AssessmentState::kChangesRequested;
    std::set<std::string> revisit;
    if (!changes && Chance(0.15)) {
      for (int i = Uniform(1, 3); i > 0; --i)
        revisit.insert(Pick(assessment.responses).requirement_id);
    }
    const bool skip_some = Chance(0.08);  // leaves a MUST unanswered now and then
    for (const auto& response : assessment.responses) {
      const bool fix = to_fix_[row[0]].contains(response.requirement_id);
      const bool wanted =
          changes ? response.open_for_changes
                  : !response.answer || fix || revisit.contains(response.requirement_id);
      if (!wanted || (skip_some && !fix && Chance(0.1))) continue;
      const bool must = response.level == domain::Level::kMust;
      const int roll = Uniform(0, 99);
      if (!must && roll >= 85) continue;  // SHOULDs may stay unanswered
      domain::ResponseUpdate update{domain::Answer::kMet, "because", {}, std::nullopt};
      if (roll < (must ? 74 : 55)) {
        update.answer = domain::Answer::kMet;
      } else if (roll < (must ? 82 : 65)) {
        update.answer = domain::Answer::kPartiallyMet;
      } else if (roll < (must ? 92 : 75)) {
        update.answer = domain::Answer::kNotMet;
      } else {
        update.answer = domain::Answer::kNotApplicable;
      }
      if (update.answer == domain::Answer::kMet || update.answer == domain::Answer::kPartiallyMet) {
        const bool need_qualifying = must && !Chance(0.01);
        update.evidence_ids =
            FilesFor(row[1], KindsOf(row[0], response.requirement_id), need_qualifying);
      }
      if (update.answer == domain::Answer::kPartiallyMet ||
          update.answer == domain::Answer::kNotMet) {
        update.remediation = domain::Remediation{"a plan", Today().AddDays(Uniform(5, 200))};
      }
      stack_->assessments.Answer(actor, id, response.requirement_id, update, std::nullopt);
    }
    if (changes) answered_changes_.insert(row[0]);
    to_fix_.erase(row[0]);
    return row[1];
  }

  // Submits; when refused, remembers what the server said needs fixing.
  std::string SubmitAssessment(const std::vector<std::string>& row) {
    try {
      stack_->assessments.Submit(SupplierActor(row[1]), domain::AssessmentId::Parse(row[0]),
                                 std::nullopt);
    } catch (const domain::Error& error) {
      if (error.code() == "assessment_incomplete") {
        ++failed_submits_[row[0]];
        for (const auto& detail : error.details()) to_fix_[row[0]].insert(detail.requirement_id);
      }
      throw;
    }
    answered_changes_.erase(row[0]);
    return row[1];
  }

  std::string ClaimAssessment(const std::vector<std::string>& row) {
    stack_->assessments.Claim(Pick(assessors_), domain::AssessmentId::Parse(row[0]), std::nullopt);
    return row[1];
  }

  // Verdicts on every response without one: most rounds accept everything; some reject or
  // query a response or two, or reopen one.
  std::string ReviewResponses(const std::vector<std::string>& row) {
    const auto& assessor = AssessorById(row[3]);
    const auto id = domain::AssessmentId::Parse(row[0]);
    const auto assessment = stack_->assessments.Get(assessor, id);
    std::set<std::string> objections;
    if (Chance(0.2)) {
      for (int i = Uniform(1, 2); i > 0; --i)
        objections.insert(Pick(assessment.responses).requirement_id);
    }
    std::optional<std::string> reopen;
    if (Chance(0.06)) reopen = Pick(assessment.responses).requirement_id;
    for (const auto& response : assessment.responses) {
      if (response.review && !objections.contains(response.requirement_id) && !Chance(0.03))
        continue;
      if (objections.contains(response.requirement_id)) {
        const auto verdict = Chance(0.5) ? domain::Verdict::kRejected : domain::Verdict::kQuery;
        stack_->reviews.Review(assessor, id, response.requirement_id,
                               domain::VerdictRequest{verdict, "please explain"}, std::nullopt);
      } else {
        stack_->reviews.Review(assessor, id, response.requirement_id,
                               domain::VerdictRequest{domain::Verdict::kAccepted, std::nullopt},
                               std::nullopt);
      }
    }
    if (reopen) stack_->reviews.Reopen(assessor, id, *reopen, std::nullopt);
    return row[1];
  }

  std::string ReleaseAssessment(const std::vector<std::string>& row) {
    stack_->assessments.Release(AssessorById(row[3]), domain::AssessmentId::Parse(row[0]),
                                std::nullopt);
    return row[1];
  }

  std::string RequestChangesTo(const std::vector<std::string>& row) {
    stack_->reviews.RequestChanges(AssessorById(row[3]), domain::AssessmentId::Parse(row[0]),
                                   "please fix", std::nullopt);
    answered_changes_.erase(row[0]);
    return row[1];
  }

  // Approves with a condition for every MUST not fully met that no exception covers (and now
  // and then more), valid until the default or an earlier day.
  std::string ApproveAssessment(const std::vector<std::string>& row) {
    const auto& assessor = AssessorById(row[3]);
    const auto id = domain::AssessmentId::Parse(row[0]);
    const auto assessment = stack_->assessments.Get(assessor, id);
    const Date today = Today();
    const Date latest = domain::LatestValidUntil(today, 12);
    const int span = static_cast<int>((latest.days() - today.days()).count());
    domain::ApprovalRequest request;
    if (Chance(0.5)) {
      const int shortest = Chance(0.5) ? 1 : span / 2;
      request.valid_until = today.AddDays(Uniform(shortest, span));
    }
    const Date valid_until = request.valid_until.value_or(latest);
    const int window = static_cast<int>((valid_until.days() - today.days()).count());
    std::set<std::string> covered;
    for (const auto& r :
         Rows("SELECT requirement_id FROM risk_exceptions WHERE assessment_id = '" + id.str() +
              "' AND revoked_at IS NULL AND expires_on >= '" + today.ToString() + "'")) {
      covered.insert(r[0]);
    }
    for (const auto& response : assessment.responses) {
      const bool needs = domain::NeedsCover(response);
      if ((needs && (!covered.contains(response.requirement_id) || Chance(0.3))) ||
          (!needs && Chance(0.03))) {
        request.conditions.push_back(
            {response.requirement_id, "fix it", today.AddDays(Uniform(1, std::min(window, 120)))});
      }
    }
    stack_->reviews.Approve(assessor, id, request, std::nullopt);
    return row[1];
  }

  std::string RejectAssessment(const std::vector<std::string>& row) {
    stack_->reviews.Reject(AssessorById(row[3]), domain::AssessmentId::Parse(row[0]),
                           "not good enough", std::nullopt);
    return row[1];
  }

  // Takes a random open assessment one step along its natural way to a decision.
  std::string Advance() {
    const auto row =
        PickAssessment("state IN ('draft', 'submitted', 'in_review', 'changes_requested')");
    if (!row) return StartAssessment();
    const std::string& state = (*row)[2];
    const std::string& id = (*row)[0];
    if (state == "draft") {
      const auto unanswered = Rows("SELECT 1 FROM responses WHERE assessment_id = '" + id +
                                   "' AND level = 'MUST' AND answer IS NULL");
      const bool ready = unanswered.empty() && to_fix_[id].empty();
      return ready && !Chance(0.1) ? SubmitAssessment(*row) : AnswerResponses(*row);
    }
    if (state == "changes_requested") {
      // A locked response may need fixing (a remediation date passed): the supplier gives up.
      if (failed_submits_[id] >= 2) return Withdraw(*row);
      return answered_changes_.contains(id) && to_fix_[id].empty() ? SubmitAssessment(*row)
                                                                   : AnswerResponses(*row);
    }
    if (state == "submitted") return ClaimAssessment(*row);
    const auto assessment =
        stack_->assessments.Get(AssessorById((*row)[3]), domain::AssessmentId::Parse((*row)[0]));
    // Scoped on a profile the service no longer has: it cannot be approved.
    const auto current =
        Rows("SELECT profile_hash FROM services WHERE id = '" + assessment.service_id.str() + "'");
    if (current[0][0] != assessment.profile_hash && Chance(0.9)) return RejectAssessment(*row);
    bool unreviewed = false, objected = false;
    for (const auto& response : assessment.responses) {
      if (!response.review) unreviewed = true;
      if (response.reopened ||
          (response.review && response.review->verdict != domain::Verdict::kAccepted &&
           response.level == domain::Level::kMust)) {
        objected = true;
      }
    }
    if (unreviewed && !objected) return ReviewResponses(*row);
    if (objected) return Chance(0.85) ? RequestChangesTo(*row) : RejectAssessment(*row);
    return Chance(0.92) ? ApproveAssessment(*row) : RejectAssessment(*row);
  }

  std::string AnswerAny() {
    const auto row = PickAssessment("state IN ('draft', 'changes_requested')");
    return row ? AnswerResponses(*row) : "";
  }
  std::string SubmitAny() {
    const auto row = PickAssessment("state IN ('draft', 'changes_requested')");
    return row ? SubmitAssessment(*row) : "";
  }
  std::string Withdraw(const std::vector<std::string>& row) {
    stack_->assessments.Withdraw(SupplierActor(row[1]), domain::AssessmentId::Parse(row[0]),
                                 std::nullopt);
    return row[1];
  }
  std::string WithdrawAny() {
    const auto row = PickAssessment("state IN ('draft', 'changes_requested')");
    return row ? Withdraw(*row) : "";
  }
  std::string ClaimAny() {
    const auto row = PickAssessment("state = 'submitted'");
    return row ? ClaimAssessment(*row) : "";
  }
  std::string ReleaseAny() {
    const auto row = PickAssessment("state = 'in_review'");
    return row ? ReleaseAssessment(*row) : "";
  }
  std::string ReviewAny() {
    const auto row = PickAssessment("state = 'in_review'");
    return row ? ReviewResponses(*row) : "";
  }
  std::string RequestChangesAny() {
    const auto row = PickAssessment("state = 'in_review'");
    return row ? RequestChangesTo(*row) : "";
  }
  std::string ApproveAny() {
    const auto row = PickAssessment("state = 'in_review'");
    return row ? ApproveAssessment(*row) : "";
  }
  std::string RejectAny() {
    const auto row = PickAssessment("state = 'in_review'");
    return row ? RejectAssessment(*row) : "";
  }

  std::string Suspend() {
    const auto rows = Rows(
        "SELECT id, supplier_id FROM assessments"
        " WHERE state = 'approved' AND suspended_at IS NULL ORDER BY id");
    if (rows.empty()) return "";
    const auto& row = Pick(rows);
    stack_->reviews.Suspend(Pick(assessors_), domain::AssessmentId::Parse(row[0]), "compromised",
                            std::nullopt);
    return row[1];
  }

  std::string Lift() {
    const auto rows = Rows(
        "SELECT id, supplier_id FROM assessments"
        " WHERE state = 'approved' AND suspended_at IS NOT NULL ORDER BY id");
    if (rows.empty()) return "";
    const auto& row = Pick(rows);
    stack_->reviews.Lift(Pick(assessors_), domain::AssessmentId::Parse(row[0]), std::nullopt);
    return row[1];
  }

  // Actions in `states`, mostly of governing approvals.
  std::optional<std::vector<std::string>> ActionIn(const std::string& states) {
    const bool governing = Chance(0.85);
    const auto rows = Rows(
        "SELECT ac.id, ac.supplier_id, ac.assessment_id, ac.requirement_id FROM actions ac"
        " JOIN assessments a ON a.id = ac.assessment_id WHERE ac.state IN (" +
        states + ")" + (governing ? " AND a.state = 'approved'" : "") + " ORDER BY ac.id");
    if (rows.empty()) return std::nullopt;
    return Pick(rows);
  }

  std::string CompleteAction() {
    const auto row = ActionIn("'open'");
    if (!row) return "";
    const auto& r = *row;
    stack_->actions.Complete(
        SupplierActor(r[1]), domain::ActionId::Parse(r[0]),
        domain::CompletionRequest{"done it", FilesFor(r[1], KindsOf(r[2], r[3]), false)},
        std::nullopt);
    return r[1];
  }

  std::string VerifyAction() {
    const auto row = ActionIn("'done'");
    if (!row) return "";
    stack_->actions.Verify(Pick(assessors_), domain::ActionId::Parse((*row)[0]), std::nullopt);
    return (*row)[1];
  }

  std::string ReopenAction() {
    const auto row = ActionIn("'done', 'verified'");
    if (!row) return "";
    stack_->actions.Reopen(Pick(assessors_), domain::ActionId::Parse((*row)[0]), "not enough",
                           std::nullopt);
    return (*row)[1];
  }

  std::string AddException() {
    const bool approved = Chance(0.75);
    const auto rows = Rows(
        "SELECT r.assessment_id, r.requirement_id, a.supplier_id FROM responses r"
        " JOIN assessments a ON a.id = r.assessment_id"
        " WHERE r.level = 'MUST' AND r.answer IN ('partially_met', 'not_met') AND a.state IN " +
        std::string(approved ? "('approved')" : "('submitted', 'in_review', 'changes_requested')") +
        " ORDER BY r.assessment_id, r.requirement_id");
    if (rows.empty()) return "";
    const auto& row = Pick(rows);
    const Date today = Today();
    const int span = static_cast<int>((today.AddMonthsClamped(12).days() - today.days()).count());
    const bool soon = Chance(0.4);
    const Date expires_on = today.AddDays(soon ? Uniform(1, 45) : Uniform(1, span));
    stack_->exceptions.Add(*risk_owner_, domain::AssessmentId::Parse(row[0]),
                           domain::NewRiskException{row[1], "accepted risk", expires_on});
    return row[2];
  }

  std::string RevokeException() {
    const bool approved = Chance(0.8);
    const auto rows = Rows(
        "SELECT e.id, e.supplier_id FROM risk_exceptions e JOIN assessments a ON a.id = "
        "e.assessment_id"
        " WHERE e.revoked_at IS NULL" +
        std::string(approved ? " AND a.state = 'approved'" : "") + " ORDER BY e.id");
    if (rows.empty()) return "";
    const auto& row = Pick(rows);
    stack_->exceptions.Revoke(*risk_owner_, domain::ExceptionId::Parse(row[0]), std::nullopt);
    return row[1];
  }

  std::string RecordTrigger() {
    const auto& [service, supplier] = Pick(services_);
    const auto& actor = Chance(0.5) ? SupplierActor(supplier) : Pick(assessors_);
    const auto kind =
        Chance(0.5) ? domain::TriggerKind::kIncident : domain::TriggerKind::kMajorChange;
    const Date occurred_on = Today().AddDays(-Uniform(0, 20));
    stack_->triggers.Record(actor, domain::ServiceId::Parse(service),
                            domain::NewTrigger{kind, occurred_on, "something happened"});
    return supplier;
  }

  std::string UploadFile() {
    const auto& supplier = suppliers_[static_cast<std::size_t>(Uniform(0, 1))];
    Upload(supplier, std::nullopt);
    return supplier;
  }

  // Toggles one profile field (or none): whether COCO and OFFSHORING are required changes, drafts
  // are re-scoped or withdrawn, approvals scoped on the old profile go stale.
  std::string ChangeProfile() {
    auto [service, supplier] = Pick(services_);
    int change = Uniform(0, 5);
    // Half the time, a change that ends a standard a draft is open for (the draft is withdrawn).
    const auto drafts = Rows(
        "SELECT service_id, standard_key FROM assessments WHERE state = 'draft'"
        " AND standard_key IN ('COCO', 'OFFSHORING') ORDER BY id");
    if (!drafts.empty() && Chance(0.5)) {
      const auto& draft = Pick(drafts);
      service = draft[0];
      supplier = std::find_if(services_.begin(), services_.end(), [&](const auto& s) {
                   return s.first == service;
                 })->second;
      change = draft[1] == "COCO" ? 0 : 2;
    }
    const auto& actor = SupplierActor(supplier);
    const auto id = domain::ServiceId::Parse(service);
    domain::ScopeProfile profile = stack_->services.Get(actor, id).profile;
    switch (change) {
      case 0:
      case 1:
        profile.connects_to_network = !profile.connects_to_network;
        break;
      case 2:
        if (profile.offshore.empty()) {
          profile.offshore = {{"IN", Chance(0.5) ? domain::OffshoreActivity::kDevelopment
                                                 : domain::OffshoreActivity::kHosting}};
        } else {
          profile.offshore.clear();
        }
        break;
      case 3:
        profile.hmg_crypto = !profile.hmg_crypto;
        break;
      case 4:
        profile.personal_data = !profile.personal_data;
        break;
      default:
        break;  // the same profile again: nothing changes
    }
    domain::ServicePatch patch;
    patch.profile = profile;
    stack_->services.Patch(actor, id, patch, std::nullopt);
    return supplier;
  }

  // Publishes SUPPLIER 1.1, whose evidence kinds differ from 1.0's for a few requirements:
  // approvals of either version stay governed by their own version's kinds.
  void PublishSupplierVersion() {
    std::ifstream in(kShipped / "supplier-1.0.json");
    auto document = nlohmann::json::parse(in);
    document["version"] = "1.1";
    for (auto& requirement : document["requirements"]) {
      const auto id = requirement["id"].get<std::string>();
      if (id == "SUP-01") requirement["evidence_kinds"] = {"pen_test_report", "policy"};
      if (id == "SUP-02") requirement["evidence_kinds"] = {"cyber_essentials_certificate", "other"};
      if (id == "SUP-09") requirement["evidence_kinds"].push_back("policy");
    }
    stack_->catalogue_repository.Import(
        {app::ParseCatalogueFile("supplier-1.1.json", document.dump(2), hasher_)});
    recompute_->ForgetVersions();
  }

  std::string AdvanceDays() {
    clock_.Advance(std::chrono::hours(24 * Uniform(1, 40)));
    return "*";  // dates move for everyone
  }

  // --- the check ---

  // Compares one supplier; returns the differences found (empty when they agree).
  std::vector<std::string> Check(const std::string& supplier) {
    auto read = stack_->status.Read(domain::SupplierId::Parse(supplier));
    if (!read) return {"the projection does not know supplier " + supplier};
    ExpectedFacts expected = recompute_->Facts(supplier);
    auto differences = CompareFacts(read->facts, expected);
    for (auto& line : CompareStatuses(read->facts, expected.facts, Today())) {
      differences.push_back(std::move(line));
    }
    ++checks_;
    for (const auto& service : expected.facts.services) {
      for (const auto& standard : service.standards) {
        if (standard.rejected_assessment_id) ++seen_["rejected"];
        if (standard.open_assessment_id) ++seen_["open"];
        if (!standard.approval) continue;
        const auto& a = *standard.approval;
        ++seen_["approval"];
        if (a.suspended) ++seen_["suspended"];
        if (a.profile_changed) ++seen_["profile_changed"];
        if (!a.actions.empty()) ++seen_["actions"];
        if (std::any_of(a.actions.begin(), a.actions.end(), [](auto& x) { return x.verified; })) {
          ++seen_["verified_action"];
        }
        if (!a.exceptions.empty()) ++seen_["exceptions"];
        if (std::any_of(a.exceptions.begin(), a.exceptions.end(),
                        [](auto& x) { return x.revoked_at.has_value(); })) {
          ++seen_["revoked_exception"];
        }
        if (!a.evidence.empty()) ++seen_["relied_on_evidence"];
      }
      if (!service.triggers.empty()) ++seen_["triggers_after_approval"];
    }
    return differences;
  }

  security::OpensslHasher hasher_;
  test::FakeClock clock_;
  SequentialIds ids_;
  test::TestDatabase database_;
  std::unique_ptr<persistence::ConnectionPool> pool_;
  std::unique_ptr<Stack> stack_;
  std::unique_ptr<Recomputation> recompute_;
  std::unique_ptr<pqxx::connection> raw_;
  std::mt19937 random_{kSeed};

  std::optional<domain::Actor> admin_;
  std::map<std::string, domain::Actor> supplier_users_;
  std::vector<domain::Actor> assessors_;
  std::optional<domain::Actor> risk_owner_;
  std::vector<std::string> suppliers_;
  std::vector<std::pair<std::string, std::string>> services_;  // (service, supplier)
  std::map<std::string, std::vector<File>> files_;
  std::set<std::string> answered_changes_;               // changes_requested and answered since
  std::map<std::string, std::set<std::string>> to_fix_;  // assessment -> requirements
  std::map<std::string, int> failed_submits_;
  int uploads_ = 0;
  int checks_ = 0;
  std::map<std::string, int> seen_;
};

TEST_F(StatusProjectionTest, EqualsAnIndependentRecomputationAfterRandomOperations) {
  struct Operation {
    const char* name;
    int weight;
    std::string (StatusProjectionTest::*run)();
  };
  const std::vector<Operation> operations = {
      {"advance", 55, &StatusProjectionTest::Advance},
      {"start", 4, &StatusProjectionTest::StartAssessment},
      {"answer", 2, &StatusProjectionTest::AnswerAny},
      {"submit", 2, &StatusProjectionTest::SubmitAny},
      {"withdraw", 2, &StatusProjectionTest::WithdrawAny},
      {"claim", 1, &StatusProjectionTest::ClaimAny},
      {"release", 1, &StatusProjectionTest::ReleaseAny},
      {"review", 1, &StatusProjectionTest::ReviewAny},
      {"request_changes", 1, &StatusProjectionTest::RequestChangesAny},
      {"approve", 1, &StatusProjectionTest::ApproveAny},
      {"reject", 1, &StatusProjectionTest::RejectAny},
      {"suspend", 2, &StatusProjectionTest::Suspend},
      {"lift", 2, &StatusProjectionTest::Lift},
      {"complete_action", 6, &StatusProjectionTest::CompleteAction},
      {"verify_action", 5, &StatusProjectionTest::VerifyAction},
      {"reopen_action", 2, &StatusProjectionTest::ReopenAction},
      {"add_exception", 5, &StatusProjectionTest::AddException},
      {"revoke_exception", 3, &StatusProjectionTest::RevokeException},
      {"record_trigger", 3, &StatusProjectionTest::RecordTrigger},
      {"upload", 1, &StatusProjectionTest::UploadFile},
      {"change_profile", 3, &StatusProjectionTest::ChangeProfile},
      {"advance_days", 5, &StatusProjectionTest::AdvanceDays},
  };
  std::vector<int> weights;
  for (const auto& op : operations) weights.push_back(op.weight);
  std::discrete_distribution<std::size_t> choose(weights.begin(), weights.end());
  std::map<std::string, std::pair<int, int>> tally;  // name -> (done, refused)
  std::map<std::string, int> refusals;               // "operation:code" -> count
  using Clock = std::chrono::steady_clock;
  Clock::duration in_operations{}, in_checks{};

  const auto check = [&](int step, const std::string& what, const std::vector<std::string>& which) {
    for (const auto& supplier : which) {
      const auto differences = Check(supplier);
      if (differences.empty()) continue;
      std::string message = "after step " + std::to_string(step) + " (" + what + "), supplier " +
                            supplier + ": the projection and the recomputation differ (" +
                            std::to_string(differences.size()) + "):\n";
      for (std::size_t i = 0; i < differences.size() && i < 20; ++i) {
        message += "  " + differences[i] + "\n";
      }
      ADD_FAILURE() << message;
      return false;
    }
    return true;
  };

  ASSERT_TRUE(check(0, "set-up", suppliers_));
  for (int step = 1; step <= kSteps; ++step) {
    // Time always moves on a little, so no two writes share an instant.
    clock_.Advance(std::chrono::minutes(Uniform(1, 180)));
    if (step == kSteps / 3) PublishSupplierVersion();
    const Operation& op = operations[choose(random_)];
    std::string touched;
    const auto started = Clock::now();
    try {
      touched = (this->*op.run)();
      if (!touched.empty()) ++tally[op.name].first;
    } catch (const domain::Error& error) {
      // The domain refusing a move is part of the game; an internal error is not.
      ASSERT_NE(error.kind(), domain::ErrorKind::kInternal)
          << "step " << step << " (" << op.name << "): " << error.what();
      ++tally[op.name].second;
      ++refusals[std::string(op.name) + ":" + error.code() +
                 (error.details().empty() ? "" : "/" + error.details().front().code)];
      touched = "*";  // a refused move may have done part of its work (answering)
    }
    const auto operated = Clock::now();
    in_operations += operated - started;
    const bool checkpoint = step % kCheckpointEvery == 0 || step == kSteps;
    std::vector<std::string> which;
    if (checkpoint || touched == "*") {
      which = suppliers_;
    } else if (!touched.empty()) {
      which = {touched};
    }
    const bool agreed = check(step, op.name, which);
    in_checks += Clock::now() - operated;
    if (!agreed) break;
  }

  std::ostringstream summary;
  summary << "status projection: " << kSteps << " steps, " << checks_ << " supplier comparisons,"
          << " clock at " << Today().ToString() << "\n  operations (done/refused):";
  for (const auto& [name, counts] : tally) {
    summary << " " << name << "=" << counts.first << "/" << counts.second;
  }
  summary << "\n  refusals:";
  for (const auto& [name, count] : refusals) summary << " " << name << "=" << count;
  const auto ms = [](Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  summary << "\n  time: operations " << ms(in_operations) << " ms, comparisons " << ms(in_checks)
          << " ms";
  summary << "\n  assessments by state:";
  for (const auto& r :
       Rows("SELECT state, count(*) FROM assessments GROUP BY state ORDER BY state")) {
    summary << " " << r[0] << "=" << r[1];
  }
  summary << "\n  decisions by standard version:";
  for (const auto& r :
       Rows("SELECT standard_key || ' ' || standard_version || ' ' || state, count(*)"
            " FROM assessments WHERE decided_at IS NOT NULL GROUP BY 1 ORDER BY 1")) {
    summary << " " << r[0] << "=" << r[1];
  }
  summary << "\n  drafts withdrawn by a profile change: "
          << Rows(
                 "SELECT count(*) FROM audit_events WHERE action = 'service.update'"
                 " AND detail LIKE '%withdrawn_assessments%'")[0][0]
          << ", actions verified now: "
          << Rows("SELECT count(*) FROM actions WHERE state = 'verified'")[0][0]
          << ", exceptions: " << Rows("SELECT count(*) FROM risk_exceptions")[0][0]
          << ", triggers: " << Rows("SELECT count(*) FROM triggers")[0][0];
  summary << "\n  facts seen in comparisons:";
  for (const auto& [name, count] : seen_) summary << " " << name << "=" << count;
  std::cout << summary.str() << "\n";
}

}  // namespace
}  // namespace coco
