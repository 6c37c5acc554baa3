// check: the figures, the verdicts, the fallbacks, --before, exit codes,
// with the project's targets (bench/targets.json, read as data) and with
// small specs written here.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli.hpp"
#include "cli_runner.hpp"
#include "fixtures.hpp"
#include "load.hpp"
#include "spec.hpp"
#include "targets.hpp"

using namespace tpx::compare;
using namespace tpx::compare::test;

namespace {

const Spec& project() {
  static const Spec spec = load_spec(project_spec_path());
  return spec;
}

TargetsData targets(const Run& measured, const Run* before = nullptr) { return compute_targets(measured, before, project()); }

Run side(const std::vector<Bench>& benches, const std::string& label = "measured",
         const Context& ctx = machine("lab")) {
  return merge_all({parse_benchmark_json(gb_json(ctx, benches), label + ".json")}, label);
}

const TargetRow& row(const TargetsData& d, std::string_view id) {
  for (const auto& r : d.rows)
    if (r.spec->id == id) return r;
  FAIL("no row " << id);
  throw;  // unreachable
}

bool has_row(const TargetsData& d, std::string_view id) {
  return std::any_of(d.rows.begin(), d.rows.end(), [&](const TargetRow& r) { return r.spec->id == id; });
}

std::string all_notes(const TargetsData& d) {
  std::string out;
  for (const auto& n : d.notes) out += n.text + "\n";
  return out;
}

// Five repetitions around a value, so that every file has median aggregates.
std::vector<double> five(double v) { return around(v, 5); }
std::map<std::string, std::vector<double>> counter(const std::string& name, double v) {
  return {{name, five(v)}};
}


// The empty workload at 1 and 2 workers: at 2 (the largest), tpx is 20× mutex_pool
// and 3× the best peer (asio); at 1 it would be 2×.
std::vector<Bench> empty_workload(double tpx2 = 50) {
  return {{"empty/mutex_pool/threads:1/real_time", five(1000)},
          {"empty/tpx/threads:1/real_time", five(500)},
          {"empty/mutex_pool/threads:2/real_time", five(1000)},
          {"empty/onetbb/threads:2/real_time", five(200)},
          {"empty/asio/threads:2/real_time", five(150)},
          {"empty/tpx/threads:2/real_time", five(tpx2)}};
}

}  // namespace

TEST_CASE("targets: the project's spec has one row per target, each with its wording", "[unit]") {
  std::set<std::string_view> ids;
  for (const TargetSpec& t : project().targets) {
    INFO(t.id);
    CHECK(ids.insert(t.id).second);
    CHECK_FALSE(t.wording.empty());
    CHECK_FALSE(t.subject.workload.empty());
    CHECK_FALSE(goal_text(t).empty());
  }
  for (const char* id : {"1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b", "5", "6a", "6b", "7", "8", "9", "10a",
                         "10b", "11"})
    CHECK(ids.contains(id));
}

TEST_CASE("targets: met and NOT met, at the largest worker count, from the median aggregate", "[unit]") {
  const Run run = side(empty_workload());
  const TargetsData d = targets(run);

  const TargetRow& a = row(d, "1a");
  CHECK(a.measured.verdict == TargetVerdict::met);
  REQUIRE(a.measured.figure);
  CHECK(*a.measured.figure == Approx(20).epsilon(1e-9));
  CHECK_THAT(a.measured.basis, Catch::Contains("mutex_pool 1.00 us / tpx 50.0 ns, 2 workers"));

  const TargetRow& b = row(d, "1b");
  CHECK(b.measured.verdict == TargetVerdict::not_met);
  CHECK(*b.measured.figure == Approx(3).epsilon(1e-9));
  CHECK_THAT(b.measured.basis, Catch::Contains("best asio 150 ns (onetbb 200 ns)"));

  CHECK(d.measured == 2);
  CHECK(d.not_met == 1);
  CHECK_FALSE(row(d, "1a").before);
}

TEST_CASE("targets: the median aggregate, not the mean, and the median of the repetitions without it", "[unit]") {
  const std::vector<Bench> skewed{{"fanout_fib/tpx/threads:2/real_time", {100, 100, 100, 100, 1000}},
                                  {"fanout_fib/onetbb/threads:2/real_time", five(120)}};
  const Run with_aggregates = side(skewed);
  const TargetsData d = targets(with_aggregates);
  CHECK(*row(d, "5").measured.figure == Approx(100.0 / 120).epsilon(1e-6));
  CHECK(row(d, "5").measured.verdict == TargetVerdict::met);
  CHECK(all_notes(d).find("no median aggregate") == std::string::npos);

  const Run raw_only = merge_all({parse_benchmark_json(gb_json(machine("lab"), skewed, true, false), "r.json")}, "m");
  const TargetsData r = targets(raw_only);
  CHECK(*row(r, "5").measured.figure == Approx(100.0 / 120).epsilon(1e-6));
  CHECK_THAT(all_notes(r), Catch::Contains("2 benchmark(s) have no median aggregate"));

  // The same benchmark in two files of one side: the mean of the files' medians, said once.
  const Run two = merge_all({parse_benchmark_json(gb_json(machine("lab"), {{"fanout_fib/tpx/threads:2/real_time", five(100)},
                                                                           {"fanout_fib/onetbb/threads:2/real_time", five(100)}}),
                                                  "a.json"),
                             parse_benchmark_json(gb_json(machine("lab"), {{"fanout_fib/tpx/threads:2/real_time", five(140)}}),
                                                  "b.json")},
                            "m");
  const TargetsData p = targets(two);
  CHECK(*row(p, "5").measured.figure == Approx(1.2).epsilon(1e-6));
  CHECK(row(p, "5").measured.verdict == TargetVerdict::not_met);
  CHECK_THAT(all_notes(p), Catch::Contains("1 benchmark(s) are in several files of one side"));
}

TEST_CASE("targets: not measured names what is missing and changes no verdict count", "[unit]") {
  const Run run = side(empty_workload());
  const TargetsData d = targets(run);
  const TargetRow& cold = row(d, "4a");
  CHECK(cold.measured.verdict == TargetVerdict::not_measured);
  CHECK_FALSE(cold.measured.figure);
  // The cold round trip is roundtrip's cold:1; files before it took the argument named it roundtrip_cold.
  CHECK_THAT(cold.measured.basis, Catch::Contains("missing: roundtrip/tpx/cold:1 or roundtrip_cold/tpx"));
  CHECK_THAT(row(d, "4b").measured.basis,
             Catch::Contains("roundtrip/tpx/cold:1 or roundtrip_cold/tpx") &&
                 Catch::Contains("roundtrip/mutex_pool/cold:1 or roundtrip_cold/mutex_pool"));
  CHECK_THAT(row(d, "11").measured.basis, Catch::Contains("missing: futex_calls/tpx"));

  // A contender absent at the largest count is missing there, with the counts it ran at.
  const Run partial = side({{"fanout_fib/tpx/threads:4/real_time", five(100)},
                            {"fanout_fib/onetbb/threads:2/real_time", five(100)}});
  const TargetsData p = targets(partial);
  CHECK(row(p, "5").measured.verdict == TargetVerdict::not_measured);
  CHECK_THAT(row(p, "5").measured.basis,
             Catch::Contains("fanout_fib/onetbb at 4 workers (ran at 2)") && Catch::Contains("measured tpx 100 ns"));

  // A benchmark being added (map chunk:0) is left out until it exists.
  CHECK_FALSE(has_row(d, "6b"));
  CHECK_THAT(all_notes(d), Catch::Contains("6b left out"));
  const Run chunk0 = side({{"map/tpx/threads:2/chunk:0/real_time", five(1.1)},
                           {"map/onetbb/threads:2/chunk:0/real_time", five(1.0)}});
  const TargetsData c = targets(chunk0);
  REQUIRE(has_row(c, "6b"));
  CHECK(row(c, "6b").measured.verdict == TargetVerdict::met);
  CHECK(row(c, "6a").measured.verdict == TargetVerdict::not_measured);
}

TEST_CASE("targets: a floor without percentiles falls back to its real_time, and says so", "[unit]") {
  std::vector<Bench> hot{{"roundtrip/tpx/threads:2/real_time", five(300), {{"p50_us", five(0.2)}, {"p99_us", five(0.5)}}},
                         {"cacheline_pingpong/floor/real_time", five(100)},
                         {"futex_roundtrip/floor/same_core:0/real_time", five(40000)},
                         {"futex_roundtrip/floor/same_core:1/real_time", five(4000)},
                         {"roundtrip_cold/tpx/threads:2/real_time", five(50000), counter("p50_us", 45)}};
  const TargetsData old_files = targets(side(hot));
  const TargetRow& a = row(old_files, "3a");
  CHECK(*a.measured.figure == Approx(2.0).epsilon(1e-6));  // 200 ns over 100 ns
  CHECK(a.measured.verdict == TargetVerdict::met);
  CHECK_THAT(a.measured.basis, Catch::Contains("cacheline_pingpong/floor 100 ns (real_time: no p50_us)"));
  CHECK_THAT(all_notes(old_files),
             Catch::Contains("3a: cacheline_pingpong/floor/real_time has no p50_us: its real_time (100 ns) stands in "
                             "for it (an older file: the floor's real time per round trip)"));
  // The round trips carry no cold argument: the older names stand in, and a note says so.
  CHECK_THAT(all_notes(old_files),
             Catch::Contains("3a: no roundtrip/tpx/cold:0: roundtrip/tpx/threads:2/real_time stands in for it") &&
                 Catch::Contains("4a: no roundtrip/tpx/cold:1: roundtrip_cold/tpx/threads:2/real_time stands in"));
  // p99 / p50 of tpx itself.
  CHECK(*row(old_files, "3b").measured.figure == Approx(2.5).epsilon(1e-6));
  // The cold floor is same_core:0, not same_core:1: 45 us over 40 us.
  const TargetRow& c = row(old_files, "4a");
  CHECK(*c.measured.figure == Approx(45.0 / 40).epsilon(1e-6));
  CHECK(c.measured.verdict == TargetVerdict::met);
  CHECK_THAT(c.measured.basis, Catch::Contains("futex_roundtrip/floor/same_core:0"));

  // With the counter, the floor's p50 is used and nothing is said.
  hot[1].counters = counter("p50_us", 0.05);
  const TargetsData new_files = targets(side(hot));
  CHECK(*row(new_files, "3a").measured.figure == Approx(4.0).epsilon(1e-6));
  CHECK(row(new_files, "3a").measured.verdict == TargetVerdict::not_met);
  CHECK(all_notes(new_files).find("3a: cacheline_pingpong") == std::string::npos);
}

TEST_CASE("targets: times in any time_unit compare in ns", "[unit]") {
  Bench tpx{"post_empty/tpx/threads:2/real_time", five(30)};
  tpx.time_unit = "ns";
  Bench floor{"queue_enqdeq/floor", five(20)};
  floor.time_unit = "ms";
  Bench pool{"post_empty/mutex_pool/threads:2/real_time", five(150)};
  pool.time_unit = "s";
  const TargetsData d = targets(side({tpx, floor, pool}));
  CHECK(*row(d, "2a").measured.figure == Approx(1.5).epsilon(1e-6));
  CHECK(row(d, "2a").measured.verdict == TargetVerdict::met);
  CHECK(*row(d, "2b").measured.figure == Approx(5).epsilon(1e-6));
  CHECK(row(d, "2b").measured.verdict == TargetVerdict::met);
}

TEST_CASE("targets: sleep_1ms on 64 workers against the sleep floor of as many rounds", "[unit]") {
  std::vector<Bench> io{{"sleep_1ms/tpx/workers:16/real_time", five(70000), {{"vs_ideal", five(1.0)}, {"ideal_ms", five(63)}}},
                        {"sleep_1ms/tpx/workers:64/real_time", five(17000), {{"vs_ideal", five(1.1)}, {"ideal_ms", five(16)}}},
                        {"sleep_1ms/tpx/workers:256/real_time", five(7000), {{"vs_ideal", five(1.8)}, {"ideal_ms", five(4)}}},
                        {"sleep_floor/floor/rounds:4", five(4000), counter("wall_ms", 4.1)},
                        {"sleep_floor/floor/rounds:16", five(16000), counter("wall_ms", 16.5)}};
  // No wall_ms yet: vs_ideal × ideal_ms = 17.6 ms, over 16.5 ms.
  const TargetsData d = targets(side(io));
  const TargetRow& s = row(d, "8");
  CHECK(*s.measured.figure == Approx(17.6 / 16.5).epsilon(1e-6));
  CHECK(s.measured.verdict == TargetVerdict::not_met);
  CHECK_THAT(s.measured.basis, Catch::Contains("sleep_floor/floor/rounds:16 16.5 ms") && Catch::Contains("64 workers"));
  CHECK_THAT(all_notes(d), Catch::Contains("8: sleep_1ms/tpx/workers:64/real_time has no wall_ms: its "
                                           "vs_ideal×ideal_ms (17.6 ms) stands in for it"));

  // With wall_ms, that is the figure.
  io[1].counters["wall_ms"] = five(17.0);
  const TargetsData w = targets(side(io));
  CHECK(*row(w, "8").measured.figure == Approx(17.0 / 16.5).epsilon(1e-6));
  CHECK(row(w, "8").measured.verdict == TargetVerdict::met);

  // No floor of 16 rounds: not measured, and which one is missing.
  io.pop_back();
  const TargetsData m = targets(side(io));
  CHECK(row(m, "8").measured.verdict == TargetVerdict::not_measured);
  CHECK_THAT(row(m, "8").measured.basis, Catch::Contains("missing: sleep_floor/floor/rounds:16"));
}

TEST_CASE("targets: every cold percentile against mutex_pool, the worst reported", "[unit]") {
  std::vector<Bench> cold{
      {"roundtrip_cold/tpx/threads:2/real_time", five(1000),
       {{"p50_us", five(10)}, {"p90_us", five(12)}, {"p99_us", five(30)}, {"p999_us", five(40)}, {"max_us", five(90)}}},
      {"roundtrip_cold/mutex_pool/threads:2/real_time", five(2000),
       {{"p50_us", five(20)}, {"p90_us", five(24)}, {"p99_us", five(25)}, {"p999_us", five(80)}, {"max_us", five(100)}}}};
  const TargetsData d = targets(side(cold));
  const TargetRow& r = row(d, "4b");
  CHECK(*r.measured.figure == Approx(1.2).epsilon(1e-6));
  CHECK(r.measured.verdict == TargetVerdict::not_met);
  CHECK_THAT(r.measured.basis, Catch::StartsWith("worst p99: tpx 30.0 us / mutex_pool 25.0 us"));

  // A percentile one side lacks is named; the others still decide.
  cold[0].counters["p99_us"] = five(20);
  cold[1].counters.erase("max_us");
  const TargetsData m = targets(side(cold));
  CHECK(row(m, "4b").measured.verdict == TargetVerdict::met);
  CHECK_THAT(row(m, "4b").measured.basis,
             Catch::Contains("not measured: roundtrip_cold/mutex_pool/threads:2/real_time has no max_us"));
}

TEST_CASE("targets: speedup is higher-is-better, and counts are printed, not rounded to 0", "[unit]") {
  const TargetsData d = targets(
      side({{"work_10us/tpx/threads:2/real_time", five(6500), counter("speedup", 1.5)},
            {"work_10us/asio/threads:2/real_time", five(7000), counter("speedup", 1.4)},
            {"work_10us/onetbb/threads:2/real_time", five(6800), counter("speedup", 1.6)},
            {"futex_calls/tpx/threads:2/real_time", five(130), counter("futex_calls_per_task", 0.0116)},
            {"alloc_post/tpx/threads:2/real_time", five(90), counter("allocs_per_task", 0.0004)},
            {"alloc_submit/tpx/threads:2/real_time", five(120), counter("allocs_per_task", 1)},
            {"idle_cpu/tpx/threads:2/iterations:3/manual_time", five(1e9), counter("idle_cpu_pct_of_core", 1.5)}}));
  const TargetRow& w = row(d, "7");
  CHECK(*w.measured.figure == Approx(1.5 / 1.6).epsilon(1e-6));
  CHECK(w.measured.verdict == TargetVerdict::not_met);
  CHECK_THAT(w.measured.basis, Catch::Contains("speedup: tpx 1.50 / best onetbb 1.60 (asio 1.40, not measured: "
                                               "work_10us/mutex_pool, not measured: work_10us/std_async)"));

  const TargetRow& f = row(d, "11");
  CHECK(f.measured.verdict == TargetVerdict::not_met);
  CHECK(figure_text(*f.measured.figure, FigureKind::count) == "0.0116");
  CHECK(row(d, "10a").measured.verdict == TargetVerdict::met);
  CHECK(figure_text(*row(d, "10a").measured.figure, FigureKind::count) == "0.0004");
  CHECK(row(d, "10b").measured.verdict == TargetVerdict::met);
  CHECK(row(d, "9").measured.verdict == TargetVerdict::not_met);
  CHECK(figure_text(1.5, FigureKind::percent) == "1.5%");
  CHECK(d.not_met == 3);
}

TEST_CASE("targets: --before adds the earlier run's figures beside the measured ones", "[unit]") {
  const Run before = side(empty_workload(200), "before", machine("lab", "old1234"));
  const Run now = side(empty_workload(50), "measured", machine("lab", "new5678"));
  const TargetsData d = targets(now, &before);
  const TargetRow& a = row(d, "1a");
  REQUIRE(a.before);
  CHECK(*a.before->figure == Approx(5).epsilon(1e-6));
  CHECK(a.before->verdict == TargetVerdict::not_met);
  CHECK(*a.measured.figure == Approx(20).epsilon(1e-6));
  CHECK(a.measured.verdict == TargetVerdict::met);
  CHECK(d.not_met == 1);  // 1b now; the before run's verdicts do not count

  std::ostringstream out, err;
  render(targets_report(now, &before, project(), d), Format::markdown, false, out, err);
  CHECK_THAT(out.str(), Catch::Contains("| # | target | goal | before | measured | verdict | figures |"));
  CHECK_THAT(out.str(), Catch::Contains("| 1a | empty: tpx tasks/s ≥ 10× mutex_pool's | ≥ 10× | 5.00× | 20.00× | met |"));
  CHECK_THAT(out.str(), Catch::Contains("| 1b | empty: tpx tasks/s ≥ 5× the best of onetbb and asio | ≥ 5× | 0.75× | 3.00× | **NOT met** |"));
  CHECK_THAT(out.str(), Catch::Contains("before: 1 file(s) from lab, commit old1234"));
}

TEST_CASE("targets: roundtrip's cold argument picks hot and cold; the older names stand in only without it", "[unit]") {
  const auto percentiles = [](double p50) {
    return std::map<std::string, std::vector<double>>{{"p50_us", five(p50)}, {"p90_us", five(p50)}, {"p99_us", five(2 * p50)},
                                                      {"p999_us", five(3 * p50)}, {"max_us", five(4 * p50)}};
  };
  std::vector<Bench> now{{"roundtrip/tpx/threads:2/cold:0/real_time", five(300), percentiles(0.2)},
                         {"roundtrip/tpx/threads:2/cold:1/real_time", five(50000), percentiles(40)},
                         {"roundtrip/mutex_pool/threads:2/cold:1/real_time", five(9000), percentiles(8)},
                         {"cacheline_pingpong/floor/real_time", five(100), counter("p50_us", 0.1)},
                         {"futex_roundtrip/floor/same_core:0/real_time", five(40000), counter("p50_us", 50)}};
  const TargetsData d = targets(side(now));
  CHECK(*row(d, "3a").measured.figure == Approx(2.0).epsilon(1e-6));   // hot p50 0.2 us over 0.1 us
  CHECK(*row(d, "3b").measured.figure == Approx(2.0).epsilon(1e-6));   // hot p99 / p50
  CHECK(*row(d, "4a").measured.figure == Approx(0.8).epsilon(1e-6));   // cold p50 40 us over 50 us
  CHECK(*row(d, "4b").measured.figure == Approx(5.0).epsilon(1e-6));   // every cold percentile 5× mutex_pool's
  CHECK(row(d, "4b").measured.verdict == TargetVerdict::not_met);
  CHECK(all_notes(d).find("stands in") == std::string::npos);

  // A file with both names: the new ones are read, the old ones ignored.
  now.push_back({"roundtrip/tpx/threads:2/real_time", five(300), percentiles(9)});
  now.push_back({"roundtrip_cold/tpx/threads:2/real_time", five(300), percentiles(900)});
  const TargetsData both = targets(side(now));
  CHECK(*row(both, "3a").measured.figure == Approx(2.0).epsilon(1e-6));
  CHECK(*row(both, "4a").measured.figure == Approx(0.8).epsilon(1e-6));
  CHECK(all_notes(both).find("stands in") == std::string::npos);

  // Without cold:0, the hot targets never take a cold:1 row for it (the fallback wants no cold argument at all).
  const TargetsData cold_only = targets(side({{"roundtrip/tpx/threads:2/cold:1/real_time", five(50000), percentiles(40)},
                                              {"cacheline_pingpong/floor/real_time", five(100), counter("p50_us", 0.1)}}));
  CHECK(row(cold_only, "3a").measured.verdict == TargetVerdict::not_measured);
  CHECK_THAT(row(cold_only, "3a").measured.basis,
             Catch::Contains("missing: roundtrip/tpx/cold:0 or roundtrip/tpx without cold"));
}

namespace {

Spec inline_spec(const std::string& targets_json, const std::string& extra = "") {
  return parse_spec(R"({)" + extra + R"("targets": )" + targets_json + "}", "inline.json");
}

}  // namespace

TEST_CASE("spec semantics: fallbacks are tried in order, per contender, and each taken says so", "[unit]") {
  const Spec spec = inline_spec(R"([
    {"id": "t", "wording": "ours at most the baseline's latency",
     "subject": {"workload": "w", "contenders": ["ours", "theirs"], "metric": "lat_us", "args": {"size": 2},
                 "fallback": [{"metric": "real_time", "note": "first way"},
                              {"workload": "w_old", "args": {}, "note": "second way"}]},
     "versus": {"workload": "w", "contenders": ["base"], "metric": "lat_us", "args": {"size": 2}},
     "comparison": "at_most", "goal": 1}])");
  const Run run = side({{"w/ours/size:2/threads:2", five(3000)},                        // no lat_us: its real_time
                        {"w_old/theirs/threads:2", five(9000), counter("lat_us", 1)},    // another benchmark
                        {"w/base/size:2/threads:2", five(1), counter("lat_us", 2)}});
  const TargetsData d = compute_targets(run, nullptr, spec);
  const TargetRow& t = row(d, "t");
  // Best of: theirs 1 us (from w_old) beats ours 3 us (its real_time); over base's 2 us.
  CHECK(*t.measured.figure == Approx(0.5).epsilon(1e-6));
  CHECK_THAT(t.measured.basis, Catch::Contains("best theirs 1.00 us (ours 3.00 us (real_time: no lat_us))"));
  CHECK_THAT(all_notes(d), Catch::Contains("t: w/ours/size:2/threads:2 has no lat_us: its real_time (3.00 us) stands in "
                                           "for it (first way)"));
  CHECK_THAT(all_notes(d), Catch::Contains("t: no w/theirs/size:2: w_old/theirs/threads:2 stands in for it (second way)"));
  // The fallbacks are per contender: base needed none.
  CHECK(all_notes(d).find("base") == std::string::npos);
  // Nothing found by any way: every way is named.
  const TargetsData none = compute_targets(side({{"w/base/size:2/threads:2", five(1), counter("lat_us", 2)},
                                                 {"w/ours/size:3/threads:2", five(1)}}),
                                           nullptr, spec);
  CHECK_THAT(row(none, "t").measured.basis,
             Catch::Contains("missing: w/ours/size:2 or w_old/ours, w/theirs/size:2 or w_old/theirs"));
}

TEST_CASE("spec semantics: benchmarks by full name, arguments from the subject, arguments that must be absent", "[unit]") {
  const Spec spec = inline_spec(R"([
    {"id": "named", "wording": "BM_New at most 0.8× the best old one",
     "subject": {"benchmarks": ["BM_New/64"]}, "versus": {"benchmarks": ["BM_Old/64", "BM_Older/64"]},
     "comparison": "at_most", "goal": 0.8},
    {"id": "rounds", "wording": "wall time ≤ 1.1× the floor of as many rounds",
     "subject": {"workload": "sleep", "contenders": ["ours"], "metric": "wall_ms"},
     "versus": {"workload": "floor", "contenders": ["floor"], "metric": "wall_ms", "args": {"rounds": {"from_subject": "rounds"}}},
     "comparison": "at_most", "goal": 1.1},
    {"id": "plain", "wording": "the plain variant: ours ≤ theirs",
     "subject": {"workload": "v", "contenders": ["ours"], "args": {"variant": null}},
     "versus": {"workload": "v", "contenders": ["theirs"], "args": {"variant": null}},
     "comparison": "at_most", "goal": 1}])");
  const Run run = side({{"BM_New/64", five(70)},
                        {"BM_Old/64", five(100)},
                        {"BM_Older/64", five(120)},
                        {"sleep/ours/threads:4", five(1), {{"wall_ms", five(10.5)}, {"rounds", five(10)}}},
                        {"floor/floor/rounds:8", five(1), counter("wall_ms", 8)},
                        {"floor/floor/rounds:10", five(1), counter("wall_ms", 10)},
                        {"v/ours/variant:fast/threads:2", five(1)},
                        {"v/ours/threads:2", five(90)},
                        {"v/theirs/variant:fast/threads:2", five(1000)},
                        {"v/theirs/threads:2", five(100)}});
  const TargetsData d = compute_targets(run, nullptr, spec);
  CHECK(*row(d, "named").measured.figure == Approx(0.7).epsilon(1e-6));
  CHECK_THAT(row(d, "named").measured.basis, Catch::Contains("BM_New/64 70.0 ns / best BM_Old/64 100 ns (BM_Older/64 120 ns)"));
  CHECK(*row(d, "rounds").measured.figure == Approx(1.05).epsilon(1e-6));  // over rounds:10, not rounds:8
  CHECK_THAT(row(d, "rounds").measured.basis, Catch::Contains("floor/floor/rounds:10"));
  CHECK(*row(d, "plain").measured.figure == Approx(0.9).epsilon(1e-6));  // variant:fast rows left out
  CHECK(d.not_met == 0);
}

TEST_CASE("check command: exit codes 0, 1 and 2", "[behaviour]") {
  TempDir dir;
  const std::string spec = project_spec_path();
  const auto met = dir.write("met.json", gb_json(machine("lab"), {{"empty/mutex_pool/threads:2/real_time", five(1000)},
                                                                   {"empty/tpx/threads:2/real_time", five(50)}}));
  const Result ok = run_cli({"check", "--spec", spec, met, "--no-color"});
  INFO(ok.err);
  CHECK(ok.code == 0);
  CHECK_THAT(ok.out, Catch::Contains("1 of 16 target(s) measured: 1 met, 0 NOT met"));
  CHECK_THAT(ok.out, Catch::Contains("not measured"));
  CHECK_THAT(ok.out, Catch::Contains("targets: " + spec));

  // "targets" is the same command.
  const auto all = dir.write("all.json", gb_json(machine("lab"), empty_workload()));
  for (const char* command : {"check", "targets"}) {
    const Result not_met = run_cli({command, all, "--spec", spec});
    INFO(command << ": " << not_met.err);
    CHECK(not_met.code == 1);
    CHECK_THAT(not_met.out, Catch::Contains("NOT met"));
  }

  // --before, the earlier run first or after; repeated per file.
  const auto old = dir.write("old.json", gb_json(machine("lab", "old1234"), empty_workload(200)));
  const auto old_overhead = dir.write("old2.json", gb_json(machine("lab", "old1234"),
                                                           {{"alloc_post/tpx/threads:2/real_time", five(90), counter("allocs_per_task", 0)}}));
  for (const auto& args : {std::vector<std::string>{"check", "--spec", spec, all, "--before", old, old_overhead},
                           std::vector<std::string>{"check", "--before", old, "--before", old_overhead, "--spec", spec, all}}) {
    const Result b = run_cli(args);
    INFO(b.err);
    CHECK(b.code == 1);
    CHECK_THAT(b.out, Catch::Contains("before: 2 file(s) from lab, commit old1234") &&
                          Catch::Contains("measured: 1 file(s) from lab, commit abc1234"));
  }

  const auto check2 = [&](const std::vector<std::string>& args, const std::string& expected) {
    const Result r = run_cli(args);
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(expected));
    CHECK(r.out.empty());
  };
  // No spec: the targets are data, and the message says where they are.
  check2({"check", all}, "check needs the targets to check: pass a spec file with --spec FILE (e.g. --spec "
                         "bench/targets.json");
  check2({"targets", all}, "--spec FILE");
  check2({"check", "--spec", dir.path("nospec.json"), all}, "nospec.json: no such spec file");
  check2({"check", "--spec", spec, dir.path("missing.json")}, "missing.json: no such file");
  check2({"check", "--spec", spec, all, "--before", dir.path("gone.json")}, "gone.json: no such file");
  check2({"check", "--spec", spec, all, "--before", "--format", "markdown"}, "--before takes file names");
  check2({"check", "--spec", spec, all, "--format", "pdf"}, "--format");
  check2({"check", "--spec", spec}, "FILES is required");
  // Another program's files: none of the spec's benchmarks, no name format of their own.
  const auto foreign = dir.write("foreign.json", gb_json(foreign_machine("x"), {{"BM_Sort/1024", five(10)}}));
  check2({"check", "--spec", spec, foreign},
         "not one target can be measured from " + foreign + ": none of their benchmarks is one " + spec +
             " names (workloads empty, post_empty, queue_enqdeq, roundtrip, cacheline_pingpong, roundtrip_cold, …)");
  check2({"check", "--spec", spec, all, "--before", foreign}, "--before: not one target can be measured");

  // Files that declare their name format, with none of these workloads (a filtered run): a warning, exit 0.
  const auto filtered = dir.write("http.json", gb_json(machine("lab"), {{"http_loopback/tpx/workers:16/real_time", five(40000)}}));
  const Result f = run_cli({"check", "--spec", spec, filtered, "--no-color"});
  CHECK(f.code == 0);
  CHECK_THAT(f.out, Catch::Contains("warning: not one target can be measured from these files"));
}

TEST_CASE("check command: help, markdown and json", "[behaviour]") {
  for (const char* command : {"check", "targets"}) {
    const Result help = run_cli({command, "--help"});
    INFO(command);
    CHECK(help.code == 0);
    CHECK_THAT(help.out, Catch::Contains("Examples:") && Catch::Contains("--spec") && Catch::Contains("--before") &&
                             Catch::Contains("--format") && Catch::Contains("Exit codes") &&
                             Catch::Contains("not measured") && Catch::Contains("\"comparison\""));
  }
  CHECK_THAT(run_cli({"--help"}).out, Catch::Contains("check"));

  TempDir dir;
  const auto all = dir.write("all.json", gb_json(machine("lab"), empty_workload()));
  const Result md = run_cli({"check", "--spec", project_spec_path(), all, "--format", "markdown"});
  CHECK(md.code == 1);
  CHECK_THAT(md.out, Catch::StartsWith("### Targets\n"));
  CHECK_THAT(md.out, Catch::Contains("| 1b | empty: tpx tasks/s ≥ 5× the best of onetbb and asio | ≥ 5× | 3.00× | **NOT met** |"));
  CHECK_THAT(md.out, Catch::Contains("| 4a |") &&
                         Catch::Contains("| — | not measured | missing: roundtrip/tpx/cold:1 or roundtrip_cold/tpx"));

  const Result json = run_cli({"check", "--spec", project_spec_path(), all, "--format", "json"});
  CHECK(json.code == 1);
  const auto doc = nlohmann::json::parse(json.out);
  const auto& rows = doc["sections"][0]["rows"];
  REQUIRE(rows.size() >= 2);
  CHECK(rows[0]["#"] == "1a");
  CHECK(rows[0]["measured"] == Approx(20));
  CHECK(rows[0]["verdict"] == "met");
  CHECK(rows[0]["goal"] == 10);
}
