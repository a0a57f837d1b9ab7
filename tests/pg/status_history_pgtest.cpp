// The status journal (issue #14, docs/status.md "History"): 400 simulated days of writes through
// the domain use cases on real PostgreSQL repositories, with the journal installed as the
// pool's commit hook and the scheduler running most days. Every evening each supplier's status
// is read as procurement would read it that day. Afterwards every past day is read again with
// `as_of`: each answer must equal what that day's read returned. The journal rows themselves,
// replayed, must give each day's supplier status too, which only holds if the date-driven
// changes (caught up after a 40-day gap of the scheduler) were recorded on the day their rule
// says they happened.

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "domain/status/status_journal.hpp"
#include "domain/status/status_service.hpp"
#include "tests/pg/status_operations.hpp"

namespace coco::status_projection {
namespace {

// Everything a status read shows at every level, as text.
std::string Render(const domain::SupplierStatus& status) {
  std::string out;
  const auto next = [](const std::optional<domain::NextChange>& change) {
    return change ? change->date.ToString() + ">" + std::string(domain::ToString(change->status))
                  : std::string("-");
  };
  out += std::string(domain::ToString(status.status)) + "/" +
         std::string(domain::ToString(status.base_status)) + " " + next(status.next_change) + " " +
         domain::ReasonsJson(status.reasons) + "\n";
  for (const auto& service : status.services) {
    out += "  " + service.facts->service_id + " " + std::string(domain::ToString(service.status)) +
           "/" + std::string(domain::ToString(service.base_status)) + " " +
           next(service.next_change) + " " + domain::ReasonsJson(service.reasons) + "\n";
    for (const auto& standard : service.standards) {
      out += "    " + std::string(domain::ToString(standard.facts->standard)) +
             (standard.facts->required ? " " : " (not required) ") +
             std::string(domain::ToString(standard.status)) + " " + next(standard.next_change) +
             " " + domain::ReasonsJson(standard.reasons) + "\n";
    }
  }
  return out;
}

class StatusHistoryTest : public StatusProjectionTest {
 protected:
  std::string Read(const std::string& supplier, std::optional<Date> as_of) {
    domain::StatusService service(stack_->status, hasher_, clock_);
    const auto report = service.Read(*admin_, domain::SupplierId::Parse(supplier),
                                     domain::StatusMoment{as_of, std::nullopt});
    return Render(*report.status);
  }

  // 200 random writes half an hour apart (some approvals with conditions among them, so that
  // dates will change statuses), then the scheduler's work done.
  void WritesThenJournal() {
    for (int i = 0; i < 200; ++i) {
      clock_.Advance(std::chrono::minutes(30));
      try {
        Advance();
      } catch (const domain::Error&) {
      }
    }
    while (stack_->journal.CatchUp(100) == 100) {
    }
  }

  // The supplier-level status the journal says held at the end of `day`.
  std::optional<std::string> JournalledOn(const std::string& supplier, Date day) {
    const auto rows =
        Rows("SELECT to_status FROM status_changes WHERE supplier_id = '" + supplier +
             "' AND service_id IS NULL AND effective_at < '" + day.AddDays(1).ToString() +
             "T00:00:00Z' ORDER BY effective_at DESC, id DESC LIMIT 1");
    if (rows.empty()) return std::nullopt;
    return rows[0][0];
  }
};

TEST_F(StatusHistoryTest, EveryPastDayReadsAsItDidThatDayAndTheJournalAgrees) {
  struct Operation {
    const char* name;
    int weight;
    std::string (StatusProjectionTest::*run)();
  };
  const std::vector<Operation> operations = {
      {"advance", 40, &StatusProjectionTest::Advance},
      {"start", 4, &StatusProjectionTest::StartAssessment},
      {"suspend", 2, &StatusProjectionTest::Suspend},
      {"lift", 2, &StatusProjectionTest::Lift},
      {"complete_action", 6, &StatusProjectionTest::CompleteAction},
      {"verify_action", 5, &StatusProjectionTest::VerifyAction},
      {"add_exception", 5, &StatusProjectionTest::AddException},
      {"revoke_exception", 2, &StatusProjectionTest::RevokeException},
      {"record_trigger", 2, &StatusProjectionTest::RecordTrigger},
      {"upload", 1, &StatusProjectionTest::UploadFile},
      {"change_profile", 2, &StatusProjectionTest::ChangeProfile},
  };
  std::vector<int> weights;
  for (const auto& op : operations) weights.push_back(op.weight);
  std::discrete_distribution<std::size_t> choose(weights.begin(), weights.end());

  constexpr int kDays = 400;
  constexpr int kGapFrom = 200;  // the scheduler is down for 40 days
  constexpr int kGapTo = 240;
  std::map<std::string, std::map<std::string, std::string>> seen;  // day -> supplier -> read
  const Date first = Today().AddDays(1);                           // the set-up wrote at noon today
  int refused = 0;
  for (int n = 0; n < kDays; ++n) {
    const Date day = first.AddDays(n);
    clock_.Set(std::chrono::system_clock::time_point(day.days()) + std::chrono::hours(8));
    if (n < kGapFrom || n >= kGapTo) {
      while (stack_->journal.CatchUp(100) == 100) {
      }
    }
    for (int i = Uniform(0, 4); i > 0; --i) {
      clock_.Advance(std::chrono::minutes(Uniform(1, 60)));
      try {
        (this->*operations[choose(random_)].run)();
      } catch (const domain::Error& error) {
        ASSERT_NE(error.kind(), domain::ErrorKind::kInternal) << error.what();
        ++refused;
      }
    }
    clock_.Set(std::chrono::system_clock::time_point(day.days()) + std::chrono::hours(23));
    for (const auto& supplier : suppliers_) seen[day.ToString()][supplier] = Read(supplier, {});
  }
  clock_.Set(std::chrono::system_clock::time_point(first.AddDays(kDays).days()) +
             std::chrono::hours(1));
  while (stack_->journal.CatchUp(100) == 100) {
  }

  int compared = 0;
  for (const auto& [day_text, reads] : seen) {
    const Date day = Date::Parse(day_text);
    for (const auto& [supplier, read] : reads) {
      ASSERT_EQ(Read(supplier, day), read) << "supplier " << supplier << " on " << day_text;
      const auto journalled = JournalledOn(supplier, day);
      ASSERT_TRUE(journalled) << "no journal for " << supplier << " on " << day_text;
      ASSERT_EQ(*journalled + "/", read.substr(0, journalled->size() + 1))
          << "the journal disagrees for supplier " << supplier << " on " << day_text << ":\n"
          << read;
      ++compared;
    }
  }
  EXPECT_EQ(compared, kDays * static_cast<int>(suppliers_.size()));

  // Date-driven changes happened (each kind is shown on its own in
  // domain/status/status_journal_test.cpp), each recorded at the start of a day.
  std::string tally;
  for (const auto& row : Rows("SELECT rule, count(*) FROM status_changes WHERE cause_kind = 'date'"
                              " AND standard_key IS NOT NULL GROUP BY rule ORDER BY rule")) {
    tally += " " + row[0] + "=" + row[1];
  }
  std::cout << "date-driven changes of standards by rule:" << tally << "\n";
  EXPECT_FALSE(tally.empty());
  EXPECT_EQ(Rows("SELECT count(*) FROM status_changes WHERE cause_kind = 'date'"
                 " AND effective_at <> date_trunc('day', effective_at AT TIME ZONE 'UTC')"
                 " AT TIME ZONE 'UTC'")[0][0],
            "0");
  // Changes the scheduler caught up after the gap are dated inside the gap.
  EXPECT_NE(Rows("SELECT count(*) FROM status_changes WHERE cause_kind = 'date'"
                 " AND effective_at > '" +
                 first.AddDays(kGapFrom).ToString() +
                 "'"
                 " AND effective_at < '" +
                 first.AddDays(kGapTo - 1).ToString() + "'")[0][0],
            "0");
  // No change is recorded twice.
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT 1 FROM status_changes GROUP BY supplier_id,"
                 " service_id, standard_key, effective_at, to_status HAVING count(*) > 1) d")[0][0],
            "0");
  std::cout << "status history: " << kDays << " days, " << compared << " past reads compared, "
            << refused << " moves refused, " << Rows("SELECT count(*) FROM status_changes")[0][0]
            << " journal rows ("
            << Rows("SELECT count(*) FROM status_changes WHERE cause_kind = 'date'")[0][0]
            << " date-driven), " << Rows("SELECT count(*) FROM events")[0][0] << " events\n";
}

// Two schedulers on two pools, after a gap, at once: the journal lock orders them, and the
// second finds nothing left to record.
TEST_F(StatusHistoryTest, TwoSchedulersRacingRecordEachChangeOnce) {
  WritesThenJournal();
  const auto before = Rows("SELECT count(*) FROM status_changes")[0][0];
  clock_.Advance(std::chrono::hours(24 * 400));
  persistence::ConnectionPool pool_a(persistence::PoolOptions{database_.url(), 2});
  persistence::ConnectionPool pool_b(persistence::PoolOptions{database_.url(), 2});
  persistence::PgStatusJournal a(pool_a, clock_);
  persistence::PgStatusJournal b(pool_b, clock_);
  std::thread first([&] { a.CatchUp(1000); });
  std::thread second([&] { b.CatchUp(1000); });
  first.join();
  second.join();
  EXPECT_NE(Rows("SELECT count(*) FROM status_changes")[0][0], before)
      << "400 days on, some status should have changed by date";
  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT 1 FROM status_changes GROUP BY supplier_id,"
                 " service_id, standard_key, effective_at, to_status HAVING count(*) > 1) d")[0][0],
            "0");
  EXPECT_EQ(Rows("SELECT count(*) FROM status_journal WHERE next_change <= '" + Today().ToString() +
                 "'")[0][0],
            "0");
}

// A change another writer left (plain SQL, no coco transaction to journal it) is recorded at the
// moment it was queued; when that was days ago, the same round also records the days since, so
// the supplier is journalled up to today and not due again.
TEST_F(StatusHistoryTest, ALeftoverChangeIsJournalledAtItsMomentAndUpToToday) {
  WritesThenJournal();
  const auto supplier = Rows(
      "SELECT s.supplier_id FROM services s JOIN status_journal j USING (supplier_id)"
      " WHERE cardinality(s.required_standards) > 0 ORDER BY s.supplier_id LIMIT 1")[0][0];
  database_.Exec("UPDATE services SET required_standards = '{}' WHERE supplier_id = '" + supplier +
                 "'");
  ASSERT_NE(Rows("SELECT count(*) FROM status_pending")[0][0], "0");
  const auto queued = Rows("SELECT min(queued_at) FROM status_pending")[0][0];

  clock_.Advance(std::chrono::hours(24 * 40));
  stack_->journal.CatchUp(1000);
  EXPECT_EQ(Rows("SELECT count(*) FROM status_pending")[0][0], "0");
  EXPECT_NE(Rows("SELECT count(*) FROM status_changes WHERE supplier_id = '" + supplier +
                 "' AND cause_kind = 'write' AND audit_seq IS NULL AND effective_at = '" + queued +
                 "'")[0][0],
            "0")
      << "the SQL write was not recorded at the moment it was queued";
  EXPECT_EQ(
      Rows("SELECT evaluated_on FROM status_journal WHERE supplier_id = '" + supplier + "'")[0][0],
      Today().ToString());
  EXPECT_EQ(Rows("SELECT count(*) FROM status_journal WHERE next_change <= '" + Today().ToString() +
                 "'")[0][0],
            "0");
  EXPECT_EQ(stack_->journal.CatchUp(1000), 0U) << "a supplier was left due after its round";
}

// The scheduler is down for 40 days; 20 days in, a leftover is queued for every supplier. The
// round after it journals each leftover at its moment, then up to today: a lapse warning is of
// the present only, so nothing is announced dated that earlier day (the round announces what is
// due today, and the thresholds passed meanwhile stay unsaid).
TEST_F(StatusHistoryTest, ALeftoverJournalledLateWarnsAsOfTodayOnly) {
  WritesThenJournal();
  clock_.Advance(std::chrono::hours(24 * 20));
  const auto queued_at = clock_.NowMicros();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(queued_at.time_since_epoch()).count();
  for (const auto& supplier : suppliers_) {
    database_.Exec("INSERT INTO status_pending (supplier_id, queued_at) VALUES ('" + supplier +
                   "', 'epoch'::timestamptz + " + std::to_string(micros) +
                   " * interval '1 microsecond')");
  }
  const auto before = Rows("SELECT coalesce(max(id), 0) FROM events")[0][0];
  clock_.Advance(std::chrono::hours(24 * 20));
  ASSERT_LT(Date::Of(queued_at), Today());
  stack_->journal.CatchUp(1000);
  EXPECT_EQ(Rows("SELECT count(*) FROM status_pending")[0][0], "0");
  EXPECT_EQ(
      Rows("SELECT count(*) FROM events WHERE type = 'status.lapsing' AND id > " + before +
           " AND (occurred_at AT TIME ZONE 'UTC')::date <> '" + Today().ToString() + "'")[0][0],
      "0")
      << "a lapse warning was dated the day the leftover was queued";
}

// Lapse warnings (docs/status.md "Lapse warnings"): after the random writes, 150 quiet days in
// which two schedulers on two pools race every morning. Each supplier-level worsening in that
// time is announced 30, 7 and 1 days ahead, on exactly that day, once, by whichever node got
// there first; and nothing is announced that did not happen.
TEST_F(StatusHistoryTest, EachWorseningIsWarnedOfOnceAtEachThresholdByRacingNodes) {
  WritesThenJournal();
  const Date quiet = Today().AddDays(1);
  constexpr int kQuietDays = 150;
  persistence::ConnectionPool pool_a(persistence::PoolOptions{database_.url(), 2});
  persistence::ConnectionPool pool_b(persistence::PoolOptions{database_.url(), 2});
  persistence::PgStatusJournal a(pool_a, clock_);
  persistence::PgStatusJournal b(pool_b, clock_);
  for (int n = 0; n < kQuietDays; ++n) {
    clock_.Set(std::chrono::system_clock::time_point(quiet.AddDays(n).days()) +
               std::chrono::hours(8));
    std::thread first([&] { a.CatchUp(1000); });
    std::thread second([&] { b.CatchUp(1000); });
    first.join();
    second.join();
  }
  const Date end = quiet.AddDays(kQuietDays);

  EXPECT_EQ(Rows("SELECT count(*) FROM (SELECT 1 FROM events WHERE type = 'status.lapsing'"
                 " GROUP BY supplier_id, data->>'worsens_on', data->>'threshold'"
                 " HAVING count(*) > 1) d")[0][0],
            "0");
  // supplier/worsens_on/threshold -> the day it was announced
  std::map<std::string, std::string> announced;
  for (const auto& row : Rows("SELECT supplier_id, data->>'worsens_on', data->>'threshold',"
                              " to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM events"
                              " WHERE type = 'status.lapsing'")) {
    announced[row[0] + "/" + row[1] + "/" + row[2]] = row[3];
  }

  // The supplier-level worsenings by date in the quiet days, with the day of the change before.
  std::set<std::string> worsenings;  // supplier/day
  int checked = 0;
  for (const auto& row : Rows(
           "SELECT supplier_id, to_char(effective_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), cause_kind,"
           " base_status, prev_base, to_char(prev_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM"
           " (SELECT *, lag(base_status) OVER w AS prev_base, lag(effective_at) OVER w AS prev_at"
           "  FROM status_changes WHERE service_id IS NULL"
           "  WINDOW w AS (PARTITION BY supplier_id ORDER BY effective_at, id)) c"
           " WHERE cause_kind = 'date' AND prev_base IS NOT NULL")) {
    const Date day = Date::Parse(row[1]);
    if (day < quiet || end <= day) continue;
    const auto base = domain::TryParseAssuranceStatus(row[3]);
    const auto before = domain::TryParseAssuranceStatus(row[4]);
    ASSERT_TRUE(base && before) << row[3] << " " << row[4];
    if (!(*base < *before)) continue;  // worst first: only a lower base status is worse
    worsenings.insert(row[0] + "/" + row[1]);
    // Each threshold that fell on a quiet day since the change before was announced that day.
    const Date looked_from = std::max(quiet, Date::Parse(row[5]));
    for (const int threshold : domain::kLapseWarningDays) {
      const Date due = day.AddDays(-threshold);
      if (due < looked_from) continue;
      const auto found = announced.find(row[0] + "/" + row[1] + "/" + std::to_string(threshold));
      ASSERT_NE(found, announced.end())
          << "no " << threshold << "-day warning for supplier " << row[0] << " worse on " << row[1];
      EXPECT_EQ(found->second, due.ToString()) << row[0] << " " << row[1] << " " << threshold;
      ++checked;
    }
  }
  EXPECT_GT(checked, 0) << "the random world should lapse in 150 quiet days";
  // Every warning announced in the quiet days whose day came was a worsening that happened.
  int confirmed = 0;
  for (const auto& [key, day] : announced) {
    const std::string worsens_on = key.substr(key.find('/') + 1, 10);
    if (Date::Parse(day) < quiet || end <= Date::Parse(worsens_on)) continue;
    EXPECT_TRUE(worsenings.contains(key.substr(0, key.rfind('/'))))
        << key << " was announced on " << day << " but nothing got worse";
    ++confirmed;
  }
  std::cout << "lapse warnings: " << announced.size() << " announced; " << worsenings.size()
            << " worsenings in the quiet days, " << checked << " thresholds checked, " << confirmed
            << " warnings confirmed\n";
}

}  // namespace
}  // namespace coco::status_projection
