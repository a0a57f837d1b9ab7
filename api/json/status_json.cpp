#include "api/json/status_json.hpp"

#include "api/json/paging.hpp"
#include "api/json/writer.hpp"
#include "domain/events/event.hpp"
#include "domain/status/status_journal.hpp"

namespace coco::api::json {
namespace {

// Keys in alphabetical order throughout, as the nlohmann tree this replaced wrote them.

// The rendering of reasons is the domain's (ReasonsJson), which the status journal stores too.
void WriteReasons(JsonWriter& out, const std::vector<domain::Reason>& reasons) {
  out.Key("reasons").Raw(domain::ReasonsJson(reasons));
}

void WriteNextChange(JsonWriter& out, const std::optional<domain::NextChange>& next) {
  out.Key("next_change");
  if (!next) {
    out.Null();
    return;
  }
  out.BeginObject()
      .Key("date")
      .String(next->date.ToString())
      .Key("status")
      .String(domain::ToString(next->status))
      .EndObject();
}

// The members of a standard's status, without the braces: the portfolio writes them into its
// line.
void WriteStandardMembers(JsonWriter& out, const domain::StandardStatus& standard) {
  const auto& facts = *standard.facts;
  const auto& approval = facts.approval;
  out.Key("assessment_id");
  approval ? out.String(approval->assessment_id) : out.Null();
  out.Key("base_status").String(domain::ToString(standard.base_status));
  WriteNextChange(out, standard.next_change);
  WriteReasons(out, standard.reasons);
  out.Key("required").Bool(facts.required);
  out.Key("standard").String(domain::ToString(facts.standard));
  out.Key("status").String(domain::ToString(standard.status));
  out.Key("valid_until");
  approval ? out.String(approval->valid_until.ToString()) : out.Null();
  out.Key("version");
  approval ? out.String(approval->standard_version) : out.Null();
}

void WriteDate(JsonWriter& out, const char* key, const std::optional<domain::Date>& date) {
  out.Key(key);
  date ? out.String(date->ToString()) : out.Null();
}

void WriteService(JsonWriter& out, const domain::ServiceInfo& info,
                  const domain::ServiceStatus* status, const std::string& service_id) {
  out.BeginObject();
  if (status) out.Key("base_status").String(domain::ToString(status->base_status));
  WriteDate(out, "contract_end", info.contract_end);
  out.Key("contract_ref").OptionalString(info.contract_ref);
  WriteDate(out, "contract_start", info.contract_start);
  out.Key("name").String(info.name);
  if (status) {
    WriteNextChange(out, status->next_change);
    WriteReasons(out, status->reasons);
  }
  out.Key("service_id").String(service_id);
  if (status) {
    out.Key("standards").BeginArray();
    for (const auto& standard : status->standards) {
      out.BeginObject();
      WriteStandardMembers(out, standard);
      out.EndObject();
    }
    out.EndArray();
    out.Key("status").String(domain::ToString(status->status));
  }
  out.EndObject();
}

}  // namespace

std::string StatusDocument(const domain::StatusReport& report) {
  const auto& inputs = *report.inputs;
  const auto& status = *report.status;
  JsonWriter out;
  out.BeginObject();
  out.Key("as_of").String(report.as_of.ToString());
  out.Key("base_status").String(domain::ToString(status.base_status));
  WriteNextChange(out, status.next_change);
  WriteReasons(out, status.reasons);
  out.Key("services").BeginArray();
  for (std::size_t i = 0; i < status.services.size(); ++i) {
    WriteService(out, inputs.services[i], &status.services[i],
                 status.services[i].facts->service_id);
  }
  out.EndArray();
  out.Key("status").String(domain::ToString(status.status));
  out.Key("supplier_id").String(inputs.supplier_id);
  out.Key("supplier_name").String(inputs.supplier_name);
  out.EndObject();
  return out.Take();
}

std::string PortfolioPageJson(const domain::PortfolioPage& page) {
  JsonWriter out;
  out.BeginObject();
  out.Key("as_of").String(page.as_of.ToString());
  out.Key("items").BeginArray();
  for (const auto& line : page.lines) {
    const auto& row = *line.row;
    out.BeginObject();
    out.Key("supplier_id").String(row.supplier_id);
    out.Key("supplier_name").String(row.supplier_name);
    out.Key("service");
    if (!line.standard) {
      out.Null();
      out.Key("standard").Null();
      out.Key("status").String(domain::ToString(domain::AssuranceStatus::kNotAssessed));
      out.Key("base_status").String(domain::ToString(domain::AssuranceStatus::kNotAssessed));
      out.Key("next_change").Null();
      out.Key("reasons")
          .BeginArray()
          .BeginObject()
          .Key("code")
          .String(domain::ToString(domain::ReasonCode::kNoServices))
          .EndObject()
          .EndArray();
    } else {
      WriteService(out, row.service, nullptr, *row.service_id);
      WriteStandardMembers(out, *line.standard);
    }
    out.EndObject();
  }
  out.EndArray();
  out.Key("next_cursor")
      .OptionalString(page.next ? std::optional(EncodeCursor(*page.next)) : std::nullopt);
  out.EndObject();
  return out.Take();
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
    cells.insert(
        cells.end(),
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

namespace {

nlohmann::json OptionalStatus(const std::optional<domain::AssuranceStatus>& status) {
  return status ? nlohmann::json(domain::ToString(*status)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json StatusChangeJson(const domain::StatusChangeRecord& change) {
  nlohmann::json cause = {{"kind", change.date_driven ? "date" : "write"}};
  if (change.audit_seq) cause["audit_seq"] = *change.audit_seq;
  if (change.rule) cause["rule"] = *change.rule;
  return {{"id", std::to_string(change.id)},
          {"supplier_id", change.supplier_id},
          {"service_id", change.service_id ? nlohmann::json(*change.service_id) : nullptr},
          {"standard", change.standard ? nlohmann::json(domain::ToString(*change.standard))
                                       : nlohmann::json(nullptr)},
          {"effective_at", domain::FormatTimestamp(change.effective_at)},
          {"from_status", OptionalStatus(change.from)},
          {"to_status", OptionalStatus(change.to)},
          {"base_status", OptionalStatus(change.base)},
          {"reasons", nlohmann::json::parse(change.reasons)},
          {"cause", std::move(cause)}};
}

nlohmann::json EventJson(const domain::EventRecord& event) {
  // The domain writes the shape once, for this feed and for webhook deliveries alike.
  return nlohmann::json::parse(domain::EventText(event));
}

}  // namespace coco::api::json
