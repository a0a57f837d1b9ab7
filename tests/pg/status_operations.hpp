#pragma once

// The status projection test (status_projection_pgtest.cpp), part 3: the domain use cases on
// real PostgreSQL repositories, and the random operations the test runs through them.

#include <gtest/gtest.h>

#include "tests/pg/status_comparison.hpp"

namespace coco::status_projection {

// ---------------------------------------------------------------------------------------------
// The world the operations run in.

struct Stack {
  Stack(persistence::ConnectionPool& pool, const domain::Hasher& hasher, domain::IdGenerator& ids,
        const domain::Clock& clock)
      : journal(pool, clock),
        audit_log(hasher, clock),
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
        reviews(assessment_repository, comment_repository, catalogue, ids, clock),
        actions(action_repository, evidence_repository, clock),
        exceptions(exception_repository, assessment_repository, ids, clock),
        triggers(trigger_repository, service_repository, ids, clock),
        status(pool) {}

  persistence::PgStatusJournal journal;  // first: every write below is journalled
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
    pool_ =
        std::make_unique<persistence::ConnectionPool>(persistence::PoolOptions{database_.url(), 3});
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
    // Named copies, not a structured binding: the lambda below captures them (clang 14 cannot
    // capture a binding).
    const auto picked = Pick(services_);
    std::string service = picked.first;
    std::string supplier = picked.second;
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

 protected:
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

}  // namespace coco::status_projection
