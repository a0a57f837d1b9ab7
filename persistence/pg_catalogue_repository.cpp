#include "persistence/pg_catalogue_repository.hpp"

#include "domain/common/error.hpp"
#include "persistence/transaction.hpp"

namespace coco::persistence {
namespace {

std::string ToArray(const std::vector<domain::EvidenceKind>& kinds) {
  std::string literal = "{";
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    if (i > 0) literal += ',';
    literal += domain::ToString(kinds[i]);
  }
  return literal + "}";
}

std::vector<domain::EvidenceKind> ParseKinds(const pqxx::field& field) {
  std::vector<domain::EvidenceKind> kinds;
  auto parser = field.as_array();
  for (auto element = parser.get_next(); element.first != pqxx::array_parser::done;
       element = parser.get_next()) {
    if (element.first != pqxx::array_parser::string_value) continue;
    auto kind = domain::TryParseEvidenceKind(element.second);
    if (!kind) throw domain::Internal("stored evidence kind unknown: " + element.second);
    kinds.push_back(*kind);
  }
  return kinds;
}

domain::AppliesWhen Expression(const std::string& text) {
  return text.empty() ? domain::AppliesWhen::Always() : domain::AppliesWhen::Parse(text);
}

}  // namespace

void PgCatalogueRepository::Prepare(pqxx::connection& connection) {
  connection.prepare("catalogue_lock_version",
                     "SELECT content_sha256 FROM standards WHERE key = $1 AND version = $2 "
                     "FOR UPDATE");
  connection.prepare(
      "catalogue_insert_standard",
      "INSERT INTO standards (key, version, title, description, source_document, source_clause,"
      " source_date, legacy, review_interval_months, applies_when, content_sha256, must_count,"
      " should_count)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)");
  connection.prepare(
      "catalogue_insert_requirement",
      "INSERT INTO requirements (standard_key, standard_version, id, position, title, text, level,"
      " evidence_kinds, source_document, source_clause, source_date, legacy, thresholds, notes,"
      " applies_when)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12, $13::jsonb, $14, $15)");
  connection.prepare(
      "catalogue_list_versions",
      "SELECT key, version, title, review_interval_months,"
      "       to_char(imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
      "       must_count, should_count"
      "  FROM standards");
  connection.prepare("catalogue_load_standard",
                     "SELECT title, description, source_document, source_clause, source_date,"
                     "       legacy, review_interval_months, applies_when, content_sha256"
                     "  FROM standards WHERE key = $1 AND version = $2");
  connection.prepare("catalogue_load_requirements",
                     "SELECT id, title, text, level, evidence_kinds, source_document,"
                     "       source_clause, source_date, legacy, thresholds::text, notes,"
                     "       applies_when"
                     "  FROM requirements WHERE standard_key = $1 AND standard_version = $2"
                     " ORDER BY position");
}

domain::ImportReport PgCatalogueRepository::Import(const std::vector<domain::Standard>& standards) {
  return WithTransaction(
      pool_,
      [&](pqxx::work& tx) {
        domain::ImportReport report;
        for (const auto& standard : standards) {
          const std::string key(domain::ToString(standard.key));
          const std::string label = key + " " + standard.version;
          const pqxx::result existing =
              tx.exec_prepared("catalogue_lock_version", key, standard.version);
          if (!existing.empty()) {
            if (existing[0][0].as<std::string>() != standard.content_sha256) {
              throw domain::FailedPrecondition(
                  label +
                      " is already imported with different content; a published version never "
                      "changes: give the changed file a new version",
                  "catalogue_version_changed");
            }
            report.unchanged.push_back(label);
            continue;
          }
          int must = 0;
          for (const auto& requirement : standard.requirements) {
            if (requirement.level == domain::Level::kMust) ++must;
          }
          const int should = static_cast<int>(standard.requirements.size()) - must;
          tx.exec_prepared("catalogue_insert_standard", key, standard.version, standard.title,
                           standard.description, standard.source.document, standard.source.clause,
                           standard.source.date, standard.legacy, standard.review_interval_months,
                           standard.applies_when.text(), standard.content_sha256, must, should);
          int position = 0;
          for (const auto& requirement : standard.requirements) {
            tx.exec_prepared("catalogue_insert_requirement", key, standard.version, requirement.id,
                             ++position, requirement.title, requirement.text,
                             std::string(domain::ToString(requirement.level)),
                             ToArray(requirement.evidence_kinds), requirement.source.document,
                             requirement.source.clause, requirement.source.date, requirement.legacy,
                             requirement.thresholds_json, requirement.notes,
                             requirement.applies_when.text());
          }
          report.added.push_back(label);
        }
        return report;
      },
      StatementClass::kLong);
}

std::vector<domain::StandardVersionInfo> PgCatalogueRepository::ListVersions() {
  return WithSingleRead(pool_, [&](pqxx::nontransaction& tx) {
    std::vector<domain::StandardVersionInfo> versions;
    for (const auto& row : tx.exec_prepared("catalogue_list_versions")) {
      versions.push_back(domain::StandardVersionInfo{
          *domain::TryParseStandardKey(row[0].as<std::string>()), row[1].as<std::string>(),
          row[2].as<std::string>(), row[5].as<int>(), row[6].as<int>(), row[3].as<int>(),
          row[4].as<std::string>()});
    }
    return versions;
  });
}

std::optional<domain::Standard> PgCatalogueRepository::Load(domain::StandardKey key,
                                                            const std::string& version) {
  return WithTransaction(pool_, [&](pqxx::work& tx) -> std::optional<domain::Standard> {
    const std::string key_text(domain::ToString(key));
    const pqxx::result head = tx.exec_prepared("catalogue_load_standard", key_text, version);
    if (head.empty()) return std::nullopt;
    const pqxx::row row = head[0];
    domain::Standard standard;
    standard.key = key;
    standard.version = version;
    standard.title = row[0].as<std::string>();
    standard.description = row[1].as<std::string>();
    standard.source = {row[2].as<std::string>(), row[3].as<std::string>(),
                       row[4].as<std::string>()};
    standard.legacy = row[5].as<bool>();
    standard.review_interval_months = row[6].as<int>();
    standard.applies_when = Expression(row[7].as<std::string>());
    standard.content_sha256 = row[8].as<std::string>();
    for (const auto& item : tx.exec_prepared("catalogue_load_requirements", key_text, version)) {
      domain::Requirement requirement;
      requirement.id = item[0].as<std::string>();
      requirement.title = item[1].as<std::string>();
      requirement.text = item[2].as<std::string>();
      requirement.level = *domain::TryParseLevel(item[3].as<std::string>());
      requirement.evidence_kinds = ParseKinds(item[4]);
      requirement.source = {item[5].as<std::string>(), item[6].as<std::string>(),
                            item[7].as<std::string>()};
      requirement.legacy = item[8].as<bool>();
      requirement.thresholds_json = item[9].as<std::string>();
      requirement.notes = item[10].as<std::string>();
      requirement.applies_when = Expression(item[11].as<std::string>());
      standard.requirements.push_back(std::move(requirement));
    }
    return standard;
  });
}

}  // namespace coco::persistence
