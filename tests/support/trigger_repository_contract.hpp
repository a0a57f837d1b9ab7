#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/common/error.hpp"
#include "domain/trigger/trigger_repository.hpp"
#include "tests/support/fakes.hpp"
#include "tests/support/repository_contract_support.hpp"

// The contract every TriggerRepository keeps, run against the in-memory fake (unit) and
// PostgreSQL (pg). A Harness provides repository(), AuditActions() (the audit actions appended
// so far, oldest first), and seeds what triggers refer to but this port cannot create:
// SeedUser(UserId) and SeedService(ServiceId, SupplierId).
namespace coco::test {

template <typename Harness>
class TriggerRepositoryContract : public ::testing::Test {
 protected:
  TriggerRepositoryContract() {
    harness_.SeedUser(ContractAdminId());
    harness_.SeedService(Service(1), Supplier());
    harness_.SeedService(Service(2), Supplier());
  }

  Harness harness_;
  domain::TriggerRepository& repository() { return harness_.repository(); }

  static domain::SupplierId Supplier() { return domain::SupplierId::Parse(NthUuid(101)); }
  static domain::ServiceId Service(int n) { return domain::ServiceId::Parse(NthUuid(200 + n)); }
  static domain::TriggerId Id(int n) { return domain::TriggerId::Parse(NthUuid(n)); }

  // Trigger n of service `service`, recorded `seconds` after the fixed moment.
  domain::Trigger Recorded(int n, int service, int seconds, const std::string& note,
                           domain::Date occurred_on = domain::Date::FromYmd(2026, 10, 1)) {
    const domain::Trigger trigger{Id(n),
                                  Service(service),
                                  Supplier(),
                                  domain::TriggerKind::kIncident,
                                  occurred_on,
                                  note,
                                  ContractAdminId(),
                                  ContractMoment(seconds)};
    repository().Record(trigger, ContractAdmin(),
                        ContractEntry("trigger.create", "trigger", trigger.id.str(), Supplier()));
    return trigger;
  }

  domain::PageResult<domain::Trigger> List(int service,
                                           domain::PageRequest page = {50, std::nullopt}) {
    return repository().List(Service(service), page);
  }
  static std::vector<std::string> Notes(const domain::PageResult<domain::Trigger>& page) {
    return Each(page, [](const domain::Trigger& trigger) { return trigger.note; });
  }
};

TYPED_TEST_SUITE_P(TriggerRepositoryContract);

TYPED_TEST_P(TriggerRepositoryContract, ARecordedTriggerIsListedAsRecordedWithItsAuditEvent) {
  const auto recorded = this->Recorded(1, 1, 7, "ransomware", domain::Date::FromYmd(2026, 10, 30));
  const auto page = this->List(1);
  ASSERT_EQ(page.items.size(), 1u);
  const auto& found = page.items[0];
  EXPECT_EQ(found.id, recorded.id);
  EXPECT_EQ(found.service_id, this->Service(1));
  EXPECT_EQ(found.supplier_id, this->Supplier());
  EXPECT_EQ(found.kind, domain::TriggerKind::kIncident);
  EXPECT_EQ(found.occurred_on, domain::Date::FromYmd(2026, 10, 30));
  EXPECT_EQ(found.note, "ransomware");
  EXPECT_EQ(found.recorded_by, ContractAdminId());
  EXPECT_EQ(found.recorded_at, ContractMoment(7));
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"trigger.create"});
}

// Oldest recording first, whatever the day the event occurred; only the service's own.
TYPED_TEST_P(TriggerRepositoryContract, ListsAServicesTriggersByRecordingTimeAPageAtATime) {
  this->Recorded(3, 1, 30, "third", domain::Date::FromYmd(2026, 1, 1));
  this->Recorded(1, 1, 10, "first", domain::Date::FromYmd(2026, 9, 1));
  this->Recorded(9, 2, 15, "another service's");
  this->Recorded(2, 1, 20, "second", domain::Date::FromYmd(2026, 5, 1));
  const auto all = this->List(1);
  EXPECT_EQ(this->Notes(all), (std::vector<std::string>{"first", "second", "third"}));
  EXPECT_FALSE(all.next.has_value());

  const auto first = this->List(1, {2, std::nullopt});
  EXPECT_EQ(this->Notes(first), (std::vector<std::string>{"first", "second"}));
  ASSERT_TRUE(first.next.has_value());
  const auto rest = this->List(1, {2, first.next});
  EXPECT_EQ(this->Notes(rest), std::vector<std::string>{"third"});
  EXPECT_FALSE(rest.next.has_value());
  EXPECT_EQ(this->Notes(this->List(2)), std::vector<std::string>{"another service's"});
  EXPECT_TRUE(this->List(3).items.empty());
}

TYPED_TEST_P(TriggerRepositoryContract, RecordingATakenIdIsAlreadyExistsAndKeepsTheFirst) {
  this->Recorded(1, 1, 10, "original");
  EXPECT_EQ(ErrorKindOf([&] { this->Recorded(1, 1, 20, "twin"); }),
            domain::ErrorKind::kAlreadyExists);
  EXPECT_EQ(this->Notes(this->List(1)), std::vector<std::string>{"original"});
  EXPECT_EQ(this->harness_.AuditActions(), std::vector<std::string>{"trigger.create"});
}

REGISTER_TYPED_TEST_SUITE_P(TriggerRepositoryContract,
                            ARecordedTriggerIsListedAsRecordedWithItsAuditEvent,
                            ListsAServicesTriggersByRecordingTimeAPageAtATime,
                            RecordingATakenIdIsAlreadyExistsAndKeepsTheFirst);

}  // namespace coco::test
