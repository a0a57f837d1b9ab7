#include "tests/support/story.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "tests/support/dates.hpp"

namespace coco::test {

using Json = nlohmann::json;

Json Profile(const ServiceProfile& profile) {
  Json places = Json::array();
  if (profile.offshore) places.push_back({{"country", "IN"}, {"activity", "support"}});
  return {{"classification", "OFFICIAL"},
          {"connects_to_network", profile.connects_to_network},
          {"personal_data", profile.personal_data},
          {"offshore", places},
          {"hmg_crypto", false},
          {"operates_pki", false}};
}

Json NotApplicable(const std::string& justification) {
  return {{"answer", "not_applicable"}, {"justification", justification}};
}

Json NotMet() {
  return {{"answer", "not_met"},
          {"justification", "not in place yet"},
          {"remediation", {{"plan", "put it in place"}, {"due_date", Day(60)}}}};
}

Json Met(const std::vector<std::string>& evidence_ids) {
  return {{"answer", "met"}, {"evidence_ids", evidence_ids}};
}

Json Condition(const std::string& requirement, const std::string& due_date,
               const std::string& description) {
  return {{"requirement_id", requirement}, {"description", description}, {"due_date", due_date}};
}

Story::Story(World& world)
    : world_(&world), own_client_(world.Client()), client_(own_client_.get()) {
  Supplier();
  assessor_token_ = world.Token("assessor");
  risk_owner_token_ = world.Token("risk_owner");
}

Story::Story(World& world, HttpClient& client) : world_(&world), client_(&client) {
  Supplier();
  assessor_token_ = world.Token("assessor");
  risk_owner_token_ = world.Token("risk_owner");
}

Story::Story(HttpClient& client, const std::string& supplier_id, const std::string& supplier_token)
    : client_(&client) {
  Supplier(supplier_id, supplier_token);
}

Story& Story::Supplier(const std::string& persona) {
  if (world_ == nullptr) throw std::logic_error("a story without a World has no personas");
  if (persona == "supplier_a") return Supplier(world_->supplier_a(), world_->Token(persona));
  if (persona == "supplier_b") return Supplier(world_->supplier_b(), world_->Token(persona));
  throw std::invalid_argument("no supplier persona " + persona);
}

Story& Story::Supplier(const std::string& id, const std::string& token) {
  supplier_id_ = id;
  supplier_token_ = token;
  return *this;
}

Story& Story::Assessor(const std::string& token) {
  assessor_token_ = token;
  return *this;
}

Story& Story::RiskOwner(const std::string& token) {
  risk_owner_token_ = token;
  return *this;
}

Story& Story::Service(const Json& profile, const Json& fields) {
  static int counter = 0;
  Json body = {{"name", "story service " + std::to_string(++counter)}, {"profile", profile}};
  for (const auto& [key, value] : fields.items()) body[key] = value;
  service_id_ =
      Expect(supplier_token_, "POST", "/suppliers/" + supplier_id_ + "/services", body, 201)
          .at("id");
  return *this;
}

Story& Story::OnService(const std::string& id) {
  service_id_ = id;
  return *this;
}

Story& Story::Assessment(const std::string& standard) {
  const auto& started = Expect(supplier_token_, "POST",
                               "/services/" + Need(service_id_, "a service") + "/assessments",
                               {{"standard", standard}}, 201);
  assessment_id_ = started.at("id");
  responses_ = Json::array();
  for (const auto& response : started.at("responses")) {
    responses_.push_back(
        {{"requirement_id", response.at("requirement_id")}, {"level", response.at("level")}});
  }
  return *this;
}

Story& Story::Answer(const std::string& requirement, const Json& answer) {
  Expect(supplier_token_, "PUT",
         "/assessments/" + Need(assessment_id_, "an assessment") + "/responses/" + requirement,
         answer, 200);
  return *this;
}

Story& Story::AnswerAll(const std::map<std::string, Json>& answers, const Json& otherwise) {
  for (const auto& requirement : Requirements()) {
    const auto special = answers.find(requirement);
    Answer(requirement, special != answers.end() ? special->second : otherwise);
  }
  return *this;
}

Story& Story::Submit() {
  Expect(supplier_token_, "POST",
         "/assessments/" + Need(assessment_id_, "an assessment") + "/submit", nullptr, 200);
  ExpectState("submit", "submitted");
  return *this;
}

Story& Story::Withdraw() {
  Expect(supplier_token_, "POST",
         "/assessments/" + Need(assessment_id_, "an assessment") + "/withdraw", nullptr, 200);
  ExpectState("withdraw", "withdrawn");
  return *this;
}

Story& Story::Claim() {
  Expect(assessor_token_, "POST",
         "/assessments/" + Need(assessment_id_, "an assessment") + "/claim", nullptr, 200);
  ExpectState("claim", "in_review");
  return *this;
}

Story& Story::Verdict(const std::string& requirement, const std::string& verdict,
                      const std::string& comment) {
  Json body = {{"verdict", verdict}};
  if (!comment.empty()) body["comment"] = comment;
  Expect(assessor_token_, "PUT",
         "/assessments/" + Need(assessment_id_, "an assessment") + "/responses/" + requirement +
             "/review",
         body, 200);
  return *this;
}

Story& Story::AcceptAll(const std::set<std::string>& except) {
  for (const auto& requirement : Requirements()) {
    if (!except.contains(requirement)) Verdict(requirement, "accepted");
  }
  return *this;
}

Story& Story::RequestChanges(const std::string& summary) {
  Expect(assessor_token_, "POST",
         "/assessments/" + Need(assessment_id_, "an assessment") + "/request-changes",
         {{"summary", summary}}, 200);
  ExpectState("request-changes", "changes_requested");
  return *this;
}

Story& Story::Exception(const std::string& requirement, const std::string& expires_on,
                        const std::string& reason) {
  Expect(risk_owner_token_, "POST",
         "/assessments/" + Need(assessment_id_, "an assessment") + "/exceptions",
         {{"requirement_id", requirement}, {"reason", reason}, {"expires_on", expires_on}}, 201);
  return *this;
}

Story& Story::Approve(const Json& approval) {
  Expect(assessor_token_, "POST",
         "/assessments/" + Need(assessment_id_, "an assessment") + "/approve", approval, 200);
  ExpectState("approve", "approved");
  return *this;
}

Story& Story::Reject(const std::string& reason) {
  Expect(assessor_token_, "POST",
         "/assessments/" + Need(assessment_id_, "an assessment") + "/reject", {{"reason", reason}},
         200);
  ExpectState("reject", "rejected");
  return *this;
}

Story& Story::Reviewed(const std::string& standard, const std::map<std::string, Json>& answers) {
  return Assessment(standard).AnswerAll(answers).Submit().Claim().AcceptAll();
}

Story& Story::Approved(const std::string& standard, const std::map<std::string, Json>& answers,
                       const Json& approval) {
  return Reviewed(standard, answers).Approve(approval);
}

std::vector<std::string> Story::Requirements(const std::string& level) const {
  std::vector<std::string> ids;
  for (const auto& response : responses_) {
    if (level.empty() || response.at("level") == level)
      ids.push_back(response.at("requirement_id"));
  }
  return ids;
}

const Json& Story::Expect(const std::string& token, const std::string& method,
                          const std::string& target, const Json& body, int status) {
  if (token.empty()) {
    throw std::logic_error("the story has nobody to send " + method + " " + target +
                           ": set Assessor() or RiskOwner() first");
  }
  std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", "Bearer " + token}};
  if (!body.is_null()) headers.emplace_back("Content-Type", "application/json");
  const auto response = client_->Send(method, target, headers, body.is_null() ? "" : body.dump());
  if (response.status != status) {
    ADD_FAILURE() << "story step " << method << " " << target << " "
                  << (body.is_null() ? "" : body.dump()) << "\nanswered " << response.status
                  << " (not " << status << "): " << response.body;
    throw std::runtime_error("a story step failed: " + method + " " + target);
  }
  last_ = response.body.empty() ? Json() : Json::parse(response.body);
  return last_;
}

void Story::ExpectState(const std::string& step, const std::string& state) {
  if (last_.is_object() && last_.value("state", "") == state) return;
  ADD_FAILURE() << "story step " << step << " of " << assessment_id_ << " left the state "
                << (last_.is_object() ? last_.value("state", "?") : "?") << ", not " << state;
  throw std::runtime_error("a story step failed: " + step);
}

const std::string& Story::Need(const std::string& value, const std::string& what) const {
  if (value.empty()) throw std::logic_error("the story has no " + what + " yet");
  return value;
}

}  // namespace coco::test
