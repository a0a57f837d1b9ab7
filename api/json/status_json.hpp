#pragma once

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

}  // namespace coco::api::json
