// The portfolio CSV writer (api/json/status_json.hpp), whose cells carry supplier and service
// names typed by users. A small RFC 4180 reader here parses what the writer wrote:
//   - the document reads back as the header row and then exactly the cells that were written,
//     each one the original text, with a ' in front when it starts like a spreadsheet formula
//     (=, +, -, @, tab, CR);
//   - no cell that reads back starts with a formula character.
#include <string>
#include <string_view>
#include <vector>

#include "api/json/status_json.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using Rows = std::vector<std::vector<std::string>>;

// RFC 4180: records end with CRLF; a field is either quoted ("" is a quote; commas, CR and LF
// are literal inside) or contains none of , " CR LF. Returns false on anything else.
bool ReadCsv(std::string_view text, Rows& rows) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::vector<std::string> row;
    while (true) {
      std::string cell;
      if (i < text.size() && text[i] == '"') {
        ++i;
        while (true) {
          if (i >= text.size()) return false;
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          cell += text[i++];
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\r') {
          if (text[i] == '"' || text[i] == '\n') return false;
          cell += text[i++];
        }
      }
      row.push_back(std::move(cell));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (text.substr(i, 2) != "\r\n") return false;
      i += 2;
      break;
    }
    rows.push_back(std::move(row));
  }
  return true;
}

bool StartsLikeFormula(std::string_view text) {
  return !text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos;
}

std::string Expected(std::string_view text) {
  return StartsLikeFormula(text) ? "'" + std::string(text) : std::string(text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  coco::fuzz::Bytes bytes(data, size);
  // Some rows of free cells written with CsvCell, then one portfolio row of a supplier without
  // services written by PortfolioCsvRow itself.
  const int row_count = bytes.Byte() % 4;
  std::string document = coco::api::json::PortfolioCsvHeader();
  Rows expected;
  for (int r = 0; r < row_count; ++r) {
    const int cells = bytes.Byte() % 8 + 1;
    std::vector<std::string> row;
    std::string line;
    for (int c = 0; c < cells; ++c) {
      const std::string_view text = bytes.Take(bytes.Byte() % 64);
      if (c > 0) line += ',';
      line += coco::api::json::CsvCell(text);
      row.push_back(Expected(text));
    }
    document += line + "\r\n";
    expected.push_back(std::move(row));
  }
  auto portfolio = std::make_shared<coco::domain::PortfolioRow>();
  portfolio->supplier_id = std::string(bytes.Take(bytes.Byte() % 64));
  portfolio->supplier_name = std::string(bytes.Rest());
  document += coco::api::json::PortfolioCsvRow({portfolio, std::nullopt});
  expected.push_back({Expected(portfolio->supplier_id), Expected(portfolio->supplier_name), "", "",
                      "", "", "", "", "not_assessed", "not_assessed", "", "", "", "no_services"});

  Rows rows;
  FUZZ_CHECK(ReadCsv(document, rows));
  FUZZ_CHECK(rows.size() == expected.size() + 1);
  FUZZ_CHECK(rows[0].size() == 14 && rows[0][0] == "supplier_id" && rows[0][13] == "reasons");
  for (std::size_t r = 0; r < expected.size(); ++r) {
    FUZZ_CHECK(rows[r + 1] == expected[r]);
    for (const auto& cell : rows[r + 1]) FUZZ_CHECK(!StartsLikeFormula(cell));
  }
  return 0;
}
