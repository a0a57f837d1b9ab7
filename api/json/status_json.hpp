#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "domain/status/status_service.hpp"

// The status document (GET /suppliers/{id}/status, the attestation's payload) and the portfolio
// rows (GET /status as JSON and CSV).
namespace coco::api::json {

// Written as text (api/json/writer.hpp): the status read is the hot path of issue #6.
std::string StatusDocument(const domain::StatusReport& report);
// A page of the portfolio: {as_of, items, next_cursor}.
std::string PortfolioPageJson(const domain::PortfolioPage& page);

// The CSV header and one line per portfolio row, RFC 4180 quoting, and every cell that a
// spreadsheet would read as a formula (=, +, -, @, tab, CR first) prefixed with '.
std::string PortfolioCsvHeader();
std::string PortfolioCsvRow(const domain::PortfolioLine& line);
std::string CsvCell(std::string_view text);

// One status change of the journal: {id, supplier_id, service_id, standard, effective_at,
// from_status, to_status, base_status, reasons, cause: {kind, audit_seq?, rule?}}.
nlohmann::json StatusChangeJson(const domain::StatusChangeRecord& change);
// One event of the outbox: {id, type, supplier_id, subject: {entity, id}, data, occurred_at}.
nlohmann::json EventJson(const domain::EventRecord& event);

}  // namespace coco::api::json
