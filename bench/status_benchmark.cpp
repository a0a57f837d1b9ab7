// Google Benchmark of the pure status function (domain/status/status.hpp): evaluations per
// second of one (service, standard) and of a whole supplier as the status read evaluates it.
#include <benchmark/benchmark.h>

#include "domain/status/status.hpp"

namespace {

using namespace coco::domain;

// A governing approval with what a real one carries: two open actions, an exception, relied-on
// evidence for three requirements.
StandardFacts Facts(StandardKey key) {
  StandardFacts facts;
  facts.standard = key;
  GoverningApproval approval{"5b0f6c8e-8d0a-4e0e-9a53-0d7f3f5b0a11", "1.0",
                             std::chrono::sys_days(Date::Parse("2026-06-01").days()),
                             Date::Parse("2027-06-30")};
  approval.actions = {{"a1", "COCO-04", Date::Parse("2027-01-15"), false},
                      {"a2", "COCO-09", Date::Parse("2027-03-01"), true}};
  approval.exceptions = {{"e1", "COCO-08", Date::Parse("2027-02-28")}};
  approval.evidence = {{"COCO-11", true, "f1", Date::Parse("2027-05-01")},
                       {"COCO-12", true, "f2", Date::Parse("2027-04-01")},
                       {"COCO-30", false, "f3", Date::Parse("2026-12-01")}};
  facts.approval = std::move(approval);
  return facts;
}

void BM_EvaluateStandard(benchmark::State& state) {
  const StandardFacts facts = Facts(StandardKey::kCoco);
  const std::vector<TriggerFact> triggers;
  const Date as_of = Date::Parse("2026-11-22");
  for (auto _ : state) benchmark::DoNotOptimize(EvaluateStandard(facts, triggers, as_of));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateStandard);

void BM_StandardStatusOn(benchmark::State& state) {
  const StandardFacts facts = Facts(StandardKey::kCoco);
  const std::vector<TriggerFact> triggers;
  const Date as_of = Date::Parse("2026-11-22");
  for (auto _ : state) benchmark::DoNotOptimize(StandardStatusOn(facts, triggers, as_of));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StandardStatusOn);

// The benchmark's supplier: one service, three approved standards.
void BM_EvaluateSupplier(benchmark::State& state) {
  SupplierFacts supplier{
      "s1",
      {ServiceFacts{"svc1",
                    {Facts(StandardKey::kCoco), Facts(StandardKey::kCryptography),
                     Facts(StandardKey::kSupplier)},
                    {}}}};
  const Date as_of = Date::Parse("2026-11-22");
  for (auto _ : state) benchmark::DoNotOptimize(EvaluateSupplier(supplier, as_of));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateSupplier);

}  // namespace

BENCHMARK_MAIN();
