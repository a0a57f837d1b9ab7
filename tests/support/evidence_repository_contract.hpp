#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/evidence/evidence_repository.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/repository_contract_support.hpp"

// The contract every EvidenceRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg). A Harness provides repository(), AuditActions() (the audit actions appended
// so far, oldest first), SeedSupplier(SupplierId) and SeedUser(UserId): the rows a file refers to
// that this port cannot create.
namespace coco::test {

template <typename Harness>
class EvidenceRepositoryContract : public ::testing::Test {
 protected:
  EvidenceRepositoryContract() {
    harness_.SeedUser(ContractAdminId());
    harness_.SeedSupplier(Supplier(1));
    harness_.SeedSupplier(Supplier(2));
  }

  Harness harness_;
  domain::EvidenceRepository& repository() { return harness_.repository(); }

  static domain::SupplierId Supplier(int n) { return domain::SupplierId::Parse(NthUuid(100 + n)); }
  static domain::EvidenceId Id(int n) { return domain::EvidenceId::Parse(NthUuid(n)); }
  // A SHA-256-shaped hex string per distinct content.
  static std::string Sha(char c) { return std::string(64, c); }

  // File n of `supplier`, uploaded `seconds` after the fixed moment.
  static domain::Evidence Make(int n, int supplier, int seconds, const std::string& filename,
                               domain::EvidenceKind kind = domain::EvidenceKind::kPolicy) {
    return domain::Evidence{Id(n),
                            Supplier(supplier),
                            filename,
                            "application/pdf",
                            5,
                            Sha('a'),
                            kind,
                            std::nullopt,
                            std::nullopt,
                            ContractAdminId(),
                            ContractMoment(seconds)};
  }

  domain::Evidence Stored(domain::Evidence evidence, const std::string& bytes = "bytes") {
    evidence.size = static_cast<long long>(bytes.size());
    repository().Store(
        evidence, bytes, ContractAdmin(),
        ContractEntry("evidence.upload", "evidence", evidence.id.str(), evidence.supplier_id));
    return evidence;
  }
  domain::Evidence Stored(int n, int supplier, int seconds, const std::string& filename) {
    return Stored(Make(n, supplier, seconds, filename));
  }

  domain::PageResult<domain::Evidence> List(int supplier, const domain::EvidenceFilter& filter = {},
                                            domain::PageRequest page = {50, std::nullopt}) {
    return repository().List(Supplier(supplier), filter, page);
  }
  static std::vector<std::string> Names(const domain::PageResult<domain::Evidence>& page) {
    return Each(page, [](const domain::Evidence& evidence) { return evidence.filename; });
  }
};

TYPED_TEST_SUITE_P(EvidenceRepositoryContract);

TYPED_TEST_P(EvidenceRepositoryContract, AStoredFileIsFoundAsStoredWithItsAuditEvent) {
  auto evidence = this->Make(1, 1, 7, "report.pdf", domain::EvidenceKind::kPenTestReport);
  evidence.sha256 = this->Sha('b');
  evidence.issued_on = domain::Date::FromYmd(2026, 3, 1);
  evidence.expires_on = domain::Date::FromYmd(2027, 2, 28);
  this->Stored(evidence, "12345678");

  const auto found = this->repository().Find(evidence.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->supplier_id, this->Supplier(1));
  EXPECT_EQ(found->filename, "report.pdf");
  EXPECT_EQ(found->media_type, "application/pdf");
  EXPECT_EQ(found->size, 8);
  EXPECT_EQ(found->sha256, this->Sha('b'));
  EXPECT_EQ(found->kind, domain::EvidenceKind::kPenTestReport);
  EXPECT_EQ(found->issued_on, domain::Date::FromYmd(2026, 3, 1));
  EXPECT_EQ(found->expires_on, domain::Date::FromYmd(2027, 2, 28));
  EXPECT_EQ(found->uploaded_by, ContractAdminId());
  EXPECT_EQ(found->uploaded_at, ContractMoment(7));
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"evidence.upload"});
  EXPECT_FALSE(this->repository().Find(this->Id(2)).has_value());
}

TYPED_TEST_P(EvidenceRepositoryContract, ReadsBackTheExactBytes) {
  const std::string bytes("%PDF\0\x01\xff end", 11);  // binary: a NUL and a high byte
  const auto evidence = this->Stored(this->Make(1, 1, 0, "scan.pdf"), bytes);
  EXPECT_EQ(this->repository().ReadContent(evidence), bytes);
  EXPECT_EQ(this->repository().ReadContent(*this->repository().Find(evidence.id)), bytes);
}

// The bytes are kept once per (supplier, SHA-256): a second upload of a hash the supplier has
// reads the first copy; another supplier's upload of that hash keeps its own.
TYPED_TEST_P(EvidenceRepositoryContract, BytesAreKeptOncePerSupplierAndHash) {
  const auto first = this->Stored(this->Make(1, 1, 0, "first.pdf"), "first");
  const auto again = this->Stored(this->Make(2, 1, 1, "again.pdf"), "other");
  const auto elsewhere = this->Stored(this->Make(3, 2, 2, "elsewhere.pdf"), "their");
  EXPECT_EQ(this->repository().ReadContent(first), "first");
  EXPECT_EQ(this->repository().ReadContent(again), "first");
  EXPECT_EQ(this->repository().ReadContent(elsewhere), "their");
  EXPECT_TRUE(this->repository().Find(again.id).has_value());
}

TYPED_TEST_P(EvidenceRepositoryContract, ListsOneSuppliersFilesOldestFirstAPageAtATime) {
  this->Stored(3, 1, 30, "third");
  this->Stored(1, 1, 10, "first");
  this->Stored(9, 2, 15, "another supplier's");
  this->Stored(2, 1, 20, "second");
  const auto all = this->List(1);
  EXPECT_EQ(this->Names(all), (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_FALSE(all.next.has_value());

  const auto first = this->List(1, {}, {2, std::nullopt});
  EXPECT_EQ(this->Names(first), (std::vector<std::string>{"first", "second"}));
  ASSERT_TRUE(first.next.has_value());
  const auto rest = this->List(1, {}, {2, first.next});
  EXPECT_EQ(this->Names(rest), std::vector<std::string>{"third"});
  EXPECT_FALSE(rest.next.has_value());

  EXPECT_EQ(this->Names(this->List(2)), std::vector<std::string>{"another supplier's"});
  EXPECT_TRUE(this->List(3).items.empty());
}

// Files uploaded in the same microsecond still page in a stable order (by id), none twice.
TYPED_TEST_P(EvidenceRepositoryContract, FilesOfTheSameMomentPageByIdWithoutRepeats) {
  this->Stored(3, 1, 5, "c");
  this->Stored(1, 1, 5, "a");
  this->Stored(2, 1, 5, "b");
  const auto first = this->List(1, {}, {1, std::nullopt});
  const auto second = this->List(1, {}, {1, first.next});
  const auto third = this->List(1, {}, {1, second.next});
  EXPECT_EQ(this->Names(first), std::vector<std::string>{"a"});
  EXPECT_EQ(this->Names(second), std::vector<std::string>{"b"});
  EXPECT_EQ(this->Names(third), std::vector<std::string>{"c"});
  EXPECT_FALSE(third.next.has_value());
}

TYPED_TEST_P(EvidenceRepositoryContract, FiltersByKind) {
  this->Stored(this->Make(1, 1, 1, "policy", domain::EvidenceKind::kPolicy));
  this->Stored(this->Make(2, 1, 2, "diagram", domain::EvidenceKind::kNetworkDiagram));
  this->Stored(this->Make(3, 1, 3, "policy two", domain::EvidenceKind::kPolicy));
  domain::EvidenceFilter filter;
  filter.kind = domain::EvidenceKind::kPolicy;
  EXPECT_EQ(this->Names(this->List(1, filter)), (std::vector<std::string>{"policy", "policy two"}));
  filter.kind = domain::EvidenceKind::kDpia;
  EXPECT_TRUE(this->List(1, filter).items.empty());
}

// `expiring_before` selects files whose lapse date (expires_on, else issued_on + 12 months for
// the yearly kinds) is strictly before the date; files that never lapse are never selected.
TYPED_TEST_P(EvidenceRepositoryContract, FiltersByLapseDateBeforeTheGivenDay) {
  auto expires = this->Make(1, 1, 1, "expires 2027-01-10");
  expires.expires_on = domain::Date::FromYmd(2027, 1, 10);
  auto yearly =
      this->Make(2, 1, 2, "pen test issued 2026-01-05", domain::EvidenceKind::kPenTestReport);
  yearly.issued_on = domain::Date::FromYmd(2026, 1, 5);  // lapses 2027-01-05
  auto never = this->Make(3, 1, 3, "policy issued 2020-01-01");
  never.issued_on = domain::Date::FromYmd(2020, 1, 1);  // policies do not lapse by age
  auto later = this->Make(4, 1, 4, "expires 2027-06-01");
  later.expires_on = domain::Date::FromYmd(2027, 6, 1);
  for (const auto& evidence : {expires, yearly, never, later}) this->Stored(evidence);

  domain::EvidenceFilter filter;
  filter.expiring_before = domain::Date::FromYmd(2027, 1, 10);
  EXPECT_EQ(this->Names(this->List(1, filter)),
            std::vector<std::string>{"pen test issued 2026-01-05"});
  filter.expiring_before = domain::Date::FromYmd(2027, 1, 11);
  EXPECT_EQ(this->Names(this->List(1, filter)),
            (std::vector<std::string>{"expires 2027-01-10", "pen test issued 2026-01-05"}));
  filter.kind = domain::EvidenceKind::kPenTestReport;
  EXPECT_EQ(this->Names(this->List(1, filter)),
            std::vector<std::string>{"pen test issued 2026-01-05"});
}

TYPED_TEST_P(EvidenceRepositoryContract, StoringAnIdTwiceIsAlreadyExistsAndKeepsTheFirst) {
  this->Stored(1, 1, 0, "original");
  auto twin = this->Make(1, 1, 5, "twin");
  twin.sha256 = this->Sha('c');
  EXPECT_EQ(ErrorKindOf([&] { this->Stored(twin, "other bytes"); }),
            domain::ErrorKind::kAlreadyExists);
  EXPECT_EQ(this->repository().Find(this->Id(1))->filename, "original");
  EXPECT_EQ(this->Names(this->List(1)), std::vector<std::string>{"original"});
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"evidence.upload"});
}

// ForeignEvidence (what attaching files relies on) names every id that is not a file of the
// supplier: another supplier's file reads the same as a missing one.
TYPED_TEST_P(EvidenceRepositoryContract, ForeignEvidenceNamesOtherSuppliersAndMissingFiles) {
  this->Stored(1, 1, 0, "ours");
  this->Stored(2, 2, 1, "theirs");
  const domain::EvidenceLookup find = [this](const domain::EvidenceId& id) {
    return this->repository().Find(id);
  };
  const auto problems =
      domain::ForeignEvidence(find, this->Supplier(1), {this->Id(1), this->Id(2), this->Id(3)});
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "evidence_ids[1]");
  EXPECT_EQ(problems[0].code, "unknown_evidence");
  EXPECT_EQ(problems[1].field, "evidence_ids[2]");
  EXPECT_TRUE(domain::ForeignEvidence(find, this->Supplier(1), {this->Id(1)}).empty());
}

REGISTER_TYPED_TEST_SUITE_P(EvidenceRepositoryContract, AStoredFileIsFoundAsStoredWithItsAuditEvent,
                            ReadsBackTheExactBytes, BytesAreKeptOncePerSupplierAndHash,
                            ListsOneSuppliersFilesOldestFirstAPageAtATime,
                            FilesOfTheSameMomentPageByIdWithoutRepeats, FiltersByKind,
                            FiltersByLapseDateBeforeTheGivenDay,
                            StoringAnIdTwiceIsAlreadyExistsAndKeepsTheFirst,
                            ForeignEvidenceNamesOtherSuppliersAndMissingFiles);

}  // namespace coco::test
