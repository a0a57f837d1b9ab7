#pragma once

#include "domain/standard/catalogue_repository.hpp"
#include "persistence/connection_pool.hpp"

namespace coco::persistence {

class PgCatalogueRepository final : public domain::CatalogueRepository {
 public:
  explicit PgCatalogueRepository(ConnectionPool& pool) : pool_(pool) { pool_.Use(&Prepare); }

  domain::ImportReport Import(const std::vector<domain::Standard>& standards) override;
  std::vector<domain::StandardVersionInfo> ListVersions() override;
  std::optional<domain::Standard> Load(domain::StandardKey key,
                                       const std::string& version) override;

 private:
  // The named statements this repository runs; registered with the pool by the constructor.
  static void Prepare(pqxx::connection& connection);

  ConnectionPool& pool_;
};

}  // namespace coco::persistence
