#include "api/json/status_json.hpp"

#include "api/json/nullable.hpp"

namespace coco::api::json {
namespace {

nlohmann::json ReasonJson(const domain::Reason& reason) {
  nlohmann::json body = {{"code", domain::ToString(reason.code)}};
  if (reason.standard) body["standard"] = domain::ToString(*reason.standard);
  const std::pair<const char*, std::string_view> ids[] = {
      {"service_id", reason.service_id},         {"requirement_id", reason.requirement_id},
      {"evidence_id", reason.evidence_id},       {"action_id", reason.action_id},
      {"exception_id", reason.exception_id},     {"trigger_id", reason.trigger_id},
      {"assessment_id", reason.assessment_id},
  };
  for (const auto& [name, value] : ids) {
    if (!value.empty()) body[name] = std::string(value);
  }
  if (reason.date) body["date"] = reason.date->ToString();
  return body;
}

nlohmann::json ReasonsJson(const std::vector<domain::Reason>& reasons) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& reason : reasons) list.push_back(ReasonJson(reason));
  return list;
}

nlohmann::json NextChangeJson(const std::optional<domain::NextChange>& next) {
  if (!next) return nullptr;
  return {{"date", next->date.ToString()}, {"status", domain::ToString(next->status)}};
}

nlohmann::json StandardJson(const domain::StandardStatus& standard) {
  const auto& facts = *standard.facts;
  const auto& approval = facts.approval;
  return {{"standard", domain::ToString(facts.standard)},
          {"required", facts.required},
          {"version", approval ? nlohmann::json(approval->standard_version) : nlohmann::json(nullptr)},
          {"status", domain::ToString(standard.status)},
          {"base_status", domain::ToString(standard.base_status)},
          {"assessment_id", approval ? nlohmann::json(approval->assessment_id) : nlohmann::json(nullptr)},
          {"valid_until", approval ? nlohmann::json(approval->valid_until.ToString()) : nlohmann::json(nullptr)},
          {"next_change", NextChangeJson(standard.next_change)},
          {"reasons", ReasonsJson(standard.reasons)}};
}

nlohmann::json ServiceInfoJson(const domain::ServiceInfo& info) {
  return {{"name", info.name},
          {"contract_ref", TextOrNull(info.contract_ref)},
          {"contract_start", DateOrNull(info.contract_start)},
          {"contract_end", DateOrNull(info.contract_end)}};
}

}  // namespace

nlohmann::json StatusDocument(const domain::StatusReport& report) {
  const auto& inputs = *report.inputs;
  const auto& status = *report.status;
  nlohmann::json services = nlohmann::json::array();
  for (std::size_t i = 0; i < status.services.size(); ++i) {
    const auto& service = status.services[i];
    nlohmann::json standards = nlohmann::json::array();
    for (const auto& standard : service.standards) standards.push_back(StandardJson(standard));
    nlohmann::json body = ServiceInfoJson(inputs.services[i]);
    body["service_id"] = service.facts->service_id;
    body["status"] = domain::ToString(service.status);
    body["base_status"] = domain::ToString(service.base_status);
    body["next_change"] = NextChangeJson(service.next_change);
    body["reasons"] = ReasonsJson(service.reasons);
    body["standards"] = std::move(standards);
    services.push_back(std::move(body));
  }
  return {{"supplier_id", inputs.supplier_id},
          {"supplier_name", inputs.supplier_name},
          {"as_of", report.as_of.ToString()},
          {"status", domain::ToString(status.status)},
          {"base_status", domain::ToString(status.base_status)},
          {"reasons", ReasonsJson(status.reasons)},
          {"next_change", NextChangeJson(status.next_change)},
          {"services", std::move(services)}};
}

nlohmann::json PortfolioLineJson(const domain::PortfolioLine& line) {
  const auto& row = *line.row;
  nlohmann::json body = {{"supplier_id", row.supplier_id}, {"supplier_name", row.supplier_name}};
  if (!line.standard) {
    body["service"] = nullptr;
    body["standard"] = nullptr;
    body["status"] = domain::ToString(domain::AssuranceStatus::kNotAssessed);
    body["base_status"] = body["status"];
    body["next_change"] = nullptr;
    body["reasons"] = nlohmann::json::array({{{"code", domain::ToString(domain::ReasonCode::kNoServices)}}});
    return body;
  }
  nlohmann::json service = ServiceInfoJson(row.service);
  service["service_id"] = *row.service_id;
  body["service"] = std::move(service);
  nlohmann::json standard = StandardJson(*line.standard);
  for (auto& [key, value] : standard.items()) body[key] = value;
  return body;
}

std::string CsvCell(std::string_view text) {
  std::string cell(text);
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r')) {
    cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string PortfolioCsvHeader() {
  return "supplier_id,supplier_name,service_id,service_name,contract_ref,contract_start,"
         "contract_end,standard,status,base_status,valid_until,next_change_date,"
         "next_change_status,reasons\r\n";
}

std::string PortfolioCsvRow(const domain::PortfolioLine& line) {
  const auto& row = *line.row;
  std::vector<std::string> cells = {row.supplier_id, row.supplier_name};
  if (!line.standard) {
    cells.insert(cells.end(), {"", "", "", "", "", "", "not_assessed", "not_assessed", "", "", "",
                               "no_services"});
  } else {
    const auto& standard = *line.standard;
    const auto& approval = standard.facts->approval;
    std::string reasons;
    for (const auto& reason : standard.reasons) {
      if (!reasons.empty()) reasons += ';';
      reasons += domain::ToString(reason.code);
    }
    cells.insert(cells.end(),
                 {*row.service_id, row.service.name, row.service.contract_ref.value_or(""),
                  row.service.contract_start ? row.service.contract_start->ToString() : "",
                  row.service.contract_end ? row.service.contract_end->ToString() : "",
                  std::string(domain::ToString(standard.facts->standard)),
                  std::string(domain::ToString(standard.status)),
                  std::string(domain::ToString(standard.base_status)),
                  approval ? approval->valid_until.ToString() : "",
                  standard.next_change ? standard.next_change->date.ToString() : "",
                  standard.next_change ? std::string(domain::ToString(standard.next_change->status)) : "",
                  reasons});
  }
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvCell(cells[i]);
  }
  return out + "\r\n";
}

}  // namespace coco::api::json
