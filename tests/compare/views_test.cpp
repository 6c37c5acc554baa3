// show ratios, diff verdicts, scaling curves.
#include <catch2/catch.hpp>

#include "fixtures.hpp"
#include "load.hpp"
#include "metric.hpp"
#include "views.hpp"

using namespace tpx::compare;
using namespace tpx::compare::test;

namespace {
std::vector<Run> runs_of(const std::vector<std::pair<Context, std::vector<Bench>>>& files) {
  std::vector<BenchFile> loaded;
  int i = 0;
  for (const auto& [ctx, benches] : files)
    loaded.push_back(parse_benchmark_json(gb_json(ctx, benches), "f" + std::to_string(i++) + ".json"));
  return group_runs(loaded);
}

Run side(const Context& ctx, const std::vector<Bench>& benches, const std::string& label) {
  return merge_all({parse_benchmark_json(gb_json(ctx, benches), label + ".json")}, label);
}

const ShowRow* row_for(const ShowData& d, const std::string& name, const std::string& run) {
  for (const auto& rows : d.rows)
    for (const auto& r : rows)
      if (r.series->name.full == name && r.run == run) return &r;
  return nullptr;
}
}  // namespace

TEST_CASE("show: ratios are to the reference in the same run and slot", "[unit]") {
  const auto runs = runs_of({
      {machine("laptop"),
       {{"empty/mutex_pool/workers:2", around(1000, 5)},
        {"empty/tpx/workers:2", around(250, 5)},
        {"empty/tpx/workers:4", around(200, 5)}}},
      {machine("server", "abc1234", "64"),
       {{"empty/mutex_pool/workers:2", around(2000, 5)}, {"empty/tpx/workers:2", around(1000, 5)}}},
  });
  const ShowData d = compute_show(runs, Options{});
  REQUIRE(d.workloads == std::vector<std::string>{"empty"});
  const ShowRow* laptop = row_for(d, "empty/tpx/workers:2", "laptop");
  const ShowRow* server = row_for(d, "empty/tpx/workers:2", "server");
  REQUIRE(laptop);
  REQUIRE(server);
  CHECK(*laptop->ratio == Approx(0.25));
  CHECK(*server->ratio == Approx(0.5));
  CHECK(*row_for(d, "empty/mutex_pool/workers:2", "laptop")->ratio == Approx(1));
  CHECK_FALSE(row_for(d, "empty/tpx/workers:4", "laptop")->ratio);  // no mutex_pool at 4 workers
  // The reference comes first within its slot.
  CHECK(d.rows[0].front().series->name.contender == "mutex_pool");

  Options o;
  o.ref = "tpx";
  CHECK(*row_for(compute_show(runs, o), "empty/mutex_pool/workers:2", "laptop")->ratio == Approx(4));
}

TEST_CASE("show: a missing reference and non-project names are explained", "[unit]") {
  const auto runs = runs_of({{machine("lab"), {{"empty/tpx/workers:1", around(10, 5)}, {"BM_Foo/8", around(5, 5)}}}});
  Options o;
  o.ref = "nope";
  const ShowData d = compute_show(runs, o);
  REQUIRE(d.workloads.size() == 2);
  bool said_ref = false, said_names = false;
  for (const auto& n : d.notes) {
    said_ref = said_ref || n.text.find("\"nope\" is in no run") != std::string::npos;
    said_names = said_names || n.text.find("not read as <workload>/<contender>/<args>") != std::string::npos;
  }
  CHECK(said_ref);
  CHECK(said_names);
}

TEST_CASE("show: the reference is --ref, else the one the files name, else none", "[unit]") {
  const std::vector<Bench> benches{{"empty/base/workers:2", around(1000, 5)}, {"empty/ours/workers:2", around(250, 5)}};
  Context named = machine("lab");
  named["compare_reference"] = "base";
  const auto runs = runs_of({{named, benches}});
  const ShowData from_file = compute_show(runs, Options{});
  CHECK(from_file.ref == "base");
  CHECK(*row_for(from_file, "empty/ours/workers:2", "lab")->ratio == Approx(0.25));

  Options o;
  o.ref = "ours";
  const ShowData from_option = compute_show(runs, o);
  CHECK(from_option.ref == "ours");
  CHECK(*row_for(from_option, "empty/base/workers:2", "lab")->ratio == Approx(4));

  Context unnamed = machine("lab");
  unnamed.erase("compare_reference");
  const auto unnamed_runs = runs_of({{unnamed, benches}});
  const ShowData none = compute_show(unnamed_runs, Options{});
  CHECK(none.ref.empty());
  CHECK_FALSE(row_for(none, "empty/ours/workers:2", "lab")->ratio);
  bool said = false;
  for (const auto& n : none.notes) said = said || n.text.find("no reference contender") != std::string::npos;
  CHECK(said);

  // Two machines naming different references: the first one's, with a warning.
  Context other = machine("server", "abc1234", "64");
  other["compare_reference"] = "ours";
  const ShowData mixed = compute_show(runs_of({{named, benches}, {other, benches}}), Options{});  // notes only
  CHECK(mixed.ref == "base");
  bool warned = false;
  for (const auto& n : mixed.notes) warned = warned || (n.warning && n.text.find("different reference contenders (base, ours)") != std::string::npos);
  CHECK(warned);
}

TEST_CASE("diff: verdict rules", "[unit]") {
  const Options o;  // threshold 5%, alpha 0.05
  CHECK(judge(0.20, 0.001, "real_time", o) == Verdict::regression);
  CHECK(judge(-0.20, 0.001, "real_time", o) == Verdict::improvement);
  CHECK(judge(-0.20, 0.001, "items_per_second", o) == Verdict::regression);
  CHECK(judge(0.20, 0.001, "p99_us", o) == Verdict::regression);
  CHECK(judge(0.03, 0.001, "real_time", o) == Verdict::noise);         // significant but small
  CHECK(judge(0.50, 0.20, "real_time", o) == Verdict::not_significant);  // large but not significant
  CHECK(judge(0.20, 0.001, "mystery_counter", o) == Verdict::changed);
}

TEST_CASE("diff: regression, improvement and noise from repetitions", "[unit]") {
  const Run old_run = side(machine("lab"),
                           {{"a/tpx/workers:1", around(100, 8)},
                            {"b/tpx/workers:1", around(100, 8)},
                            {"c/tpx/workers:1", around(100, 8)},
                            {"d/tpx/workers:1", around(100, 8), {{"items_per_second", around(1e6, 8)}}}},
                           "OLD");
  const Run new_run = side(machine("lab"),
                           {{"a/tpx/workers:1", around(120, 8)},
                            {"b/tpx/workers:1", around(80, 8)},
                            {"c/tpx/workers:1", around(102, 8)},
                            {"d/tpx/workers:1", around(100, 8, 0.011), {{"items_per_second", around(0.5e6, 8)}}}},
                           "NEW");
  const DiffData d = compute_diff(old_run, new_run, Options{});
  REQUIRE(d.primary.size() == 4);
  CHECK(d.primary[0].verdict == Verdict::regression);
  CHECK(d.primary[0].change == Approx(0.2).epsilon(0.01));
  CHECK(d.primary[0].test->exact);
  CHECK(d.primary[0].test->p == Approx(2.0 / 12870));  // complete separation, C(16, 8) arrangements
  REQUIRE(d.primary[0].ci_low);
  CHECK(*d.primary[0].ci_low > 0.05);
  CHECK(d.primary[1].verdict == Verdict::improvement);
  CHECK(d.primary[2].verdict == Verdict::noise);  // +2%: significant, below the threshold
  CHECK(d.primary[3].verdict == Verdict::not_significant);
  CHECK(d.regression);
  // Counters are compared too, with their own direction.
  REQUIRE(d.counters.size() == 1);
  CHECK(d.counters[0].metric == "items_per_second");
  CHECK(d.counters[0].verdict == Verdict::regression);
}

TEST_CASE("diff: aggregates only cannot be tested, and says why", "[unit]") {
  const Run old_run = merge_all({parse_benchmark_json(gb_json(machine("lab"), {{"BM_A", around(100, 5)}}, false), "old.json")}, "OLD");
  const Run new_run = side(machine("lab"), {{"BM_A", around(200, 5)}}, "NEW");
  const DiffData d = compute_diff(old_run, new_run, Options{});
  REQUIRE(d.primary.size() == 1);
  CHECK(d.primary[0].verdict == Verdict::untestable);
  CHECK_THAT(d.primary[0].reason, Catch::Contains("OLD has aggregates only (old.json)"));
  CHECK(d.primary[0].change == Approx(1.0));
  CHECK_FALSE(d.regression);
}

TEST_CASE("diff: no common benchmarks is an input error", "[unit]") {
  const Run a = side(machine("lab"), {{"BM_A", around(1, 5)}}, "OLD");
  const Run b = side(machine("lab"), {{"BM_B", around(1, 5)}}, "NEW");
  CHECK_THROWS_AS(compute_diff(a, b, Options{}), InputError);
  CHECK_THROWS_WITH(compute_diff(a, b, Options{}), Catch::Contains("no common benchmarks"));
}

TEST_CASE("scaling: speedup, efficiency and the peak", "[unit]") {
  const auto runs = runs_of({{machine("lab"),
                              {{"map/tpx/chunk:64/workers:1", around(1000, 5), {{"items_per_second", around(100, 5)}}},
                               {"map/tpx/chunk:64/workers:2", around(1000, 5), {{"items_per_second", around(180, 5)}}},
                               {"map/tpx/chunk:64/workers:4", around(1000, 5), {{"items_per_second", around(300, 5)}}},
                               {"map/tpx/chunk:64/workers:8", around(1000, 5), {{"items_per_second", around(250, 5)}}},
                               {"map/asio/chunk:64/workers:1", around(1000, 5)},
                               {"map/asio/chunk:64/workers:2", around(500, 5)}}}});
  const ScalingData d = compute_scaling(runs, Options{});
  REQUIRE(d.curves.size() == 2);
  const ScalingCurve& tpx = d.curves[0];
  CHECK(tpx.contender == "tpx");
  CHECK(tpx.variant == "chunk:64");
  CHECK(tpx.unit == "items/s");
  REQUIRE(tpx.points.size() == 4);
  CHECK(tpx.points[1].speedup == Approx(1.8));
  CHECK(tpx.points[2].efficiency == Approx(0.75));
  CHECK(tpx.peak_workers == 4);
  const ScalingCurve& asio = d.curves[1];
  CHECK(asio.unit == "iterations/s");  // no items_per_second: 1 / time
  CHECK(asio.points[1].speedup == Approx(2));
  CHECK(asio.points[1].efficiency == Approx(1));
}

TEST_CASE("values read with three significant digits and a unit", "[unit]") {
  CHECK(format_value(250, "real_time") == "250 ns");
  CHECK(format_value(9998, "real_time") == "10.0 us");
  CHECK(format_value(999.7, "real_time") == "1.00 us");
  CHECK(format_value(1.5e9, "cpu_time") == "1.50 s");
  CHECK(format_value(4.07e9, "items_per_second") == "4.07 G/s");
  CHECK(format_value(1.5, "p99_us") == "1.50");
  CHECK(format_ratio(0.25) == "0.25×");
  CHECK(format_percent(-0.123) == "-12.3%");
}
