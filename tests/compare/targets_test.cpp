// targets: the figures, the verdicts, the fallbacks, --before, exit codes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli.hpp"
#include "cli_runner.hpp"
#include "fixtures.hpp"
#include "load.hpp"
#include "targets.hpp"

using namespace tpx::compare;
using namespace tpx::compare::test;

namespace {

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

TEST_CASE("targets: one row per target of the issue, each with its wording", "[unit]") {
  std::set<std::string_view> ids;
  for (const TargetSpec& t : target_specs()) {
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
  const TargetsData d = compute_targets(run, nullptr);

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
  const TargetsData d = compute_targets(with_aggregates, nullptr);
  CHECK(*row(d, "5").measured.figure == Approx(100.0 / 120).epsilon(1e-6));
  CHECK(row(d, "5").measured.verdict == TargetVerdict::met);
  CHECK(all_notes(d).find("no median aggregate") == std::string::npos);

  const Run raw_only = merge_all({parse_benchmark_json(gb_json(machine("lab"), skewed, true, false), "r.json")}, "m");
  const TargetsData r = compute_targets(raw_only, nullptr);
  CHECK(*row(r, "5").measured.figure == Approx(100.0 / 120).epsilon(1e-6));
  CHECK_THAT(all_notes(r), Catch::Contains("2 benchmark(s) have no median aggregate"));

  // The same benchmark in two files of one side: the mean of the files' medians, said once.
  const Run two = merge_all({parse_benchmark_json(gb_json(machine("lab"), {{"fanout_fib/tpx/threads:2/real_time", five(100)},
                                                                           {"fanout_fib/onetbb/threads:2/real_time", five(100)}}),
                                                  "a.json"),
                             parse_benchmark_json(gb_json(machine("lab"), {{"fanout_fib/tpx/threads:2/real_time", five(140)}}),
                                                  "b.json")},
                            "m");
  const TargetsData p = compute_targets(two, nullptr);
  CHECK(*row(p, "5").measured.figure == Approx(1.2).epsilon(1e-6));
  CHECK(row(p, "5").measured.verdict == TargetVerdict::not_met);
  CHECK_THAT(all_notes(p), Catch::Contains("1 benchmark(s) are in several files of one side"));
}

TEST_CASE("targets: not measured names what is missing and changes no verdict count", "[unit]") {
  const Run run = side(empty_workload());
  const TargetsData d = compute_targets(run, nullptr);
  const TargetRow& cold = row(d, "4a");
  CHECK(cold.measured.verdict == TargetVerdict::not_measured);
  CHECK_FALSE(cold.measured.figure);
  CHECK_THAT(cold.measured.basis, Catch::Contains("missing: roundtrip_cold/tpx"));
  CHECK_THAT(row(d, "4b").measured.basis,
             Catch::Contains("roundtrip_cold/tpx") && Catch::Contains("roundtrip_cold/mutex_pool"));
  CHECK_THAT(row(d, "11").measured.basis, Catch::Contains("missing: futex_calls/tpx"));

  // A contender absent at the largest count is missing there, with the counts it ran at.
  const Run partial = side({{"fanout_fib/tpx/threads:4/real_time", five(100)},
                            {"fanout_fib/onetbb/threads:2/real_time", five(100)}});
  const TargetsData p = compute_targets(partial, nullptr);
  CHECK(row(p, "5").measured.verdict == TargetVerdict::not_measured);
  CHECK_THAT(row(p, "5").measured.basis,
             Catch::Contains("fanout_fib/onetbb at 4 workers (ran at 2)") && Catch::Contains("measured tpx 100 ns"));

  // A benchmark being added (map chunk:0) is left out until it exists.
  CHECK_FALSE(has_row(d, "6b"));
  CHECK_THAT(all_notes(d), Catch::Contains("6b left out"));
  const Run chunk0 = side({{"map/tpx/threads:2/chunk:0/real_time", five(1.1)},
                           {"map/onetbb/threads:2/chunk:0/real_time", five(1.0)}});
  const TargetsData c = compute_targets(chunk0, nullptr);
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
  const TargetsData old_files = compute_targets(side(hot), nullptr);
  const TargetRow& a = row(old_files, "3a");
  CHECK(*a.measured.figure == Approx(2.0).epsilon(1e-6));  // 200 ns over 100 ns
  CHECK(a.measured.verdict == TargetVerdict::met);
  CHECK_THAT(a.measured.basis, Catch::Contains("cacheline_pingpong/floor 100 ns (real_time: no p50_us)"));
  CHECK_THAT(all_notes(old_files), Catch::Contains("3a: cacheline_pingpong/floor/real_time has no p50_us counter") &&
                                       Catch::Contains("stands in for it"));
  // p99 / p50 of tpx itself.
  CHECK(*row(old_files, "3b").measured.figure == Approx(2.5).epsilon(1e-6));
  // The cold floor is same_core:0, not same_core:1: 45 us over 40 us.
  const TargetRow& c = row(old_files, "4a");
  CHECK(*c.measured.figure == Approx(45.0 / 40).epsilon(1e-6));
  CHECK(c.measured.verdict == TargetVerdict::met);
  CHECK_THAT(c.measured.basis, Catch::Contains("futex_roundtrip/floor/same_core:0"));

  // With the counter, the floor's p50 is used and nothing is said.
  hot[1].counters = counter("p50_us", 0.05);
  const TargetsData new_files = compute_targets(side(hot), nullptr);
  CHECK(*row(new_files, "3a").measured.figure == Approx(4.0).epsilon(1e-6));
  CHECK(row(new_files, "3a").measured.verdict == TargetVerdict::not_met);
  CHECK(all_notes(new_files).find("3a:") == std::string::npos);
}

TEST_CASE("targets: times in any time_unit compare in ns", "[unit]") {
  Bench tpx{"post_empty/tpx/threads:2/real_time", five(30)};
  tpx.time_unit = "ns";
  Bench floor{"queue_enqdeq/floor", five(20)};
  floor.time_unit = "ms";
  Bench pool{"post_empty/mutex_pool/threads:2/real_time", five(150)};
  pool.time_unit = "s";
  const TargetsData d = compute_targets(side({tpx, floor, pool}), nullptr);
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
  const TargetsData d = compute_targets(side(io), nullptr);
  const TargetRow& s = row(d, "8");
  CHECK(*s.measured.figure == Approx(17.6 / 16.5).epsilon(1e-6));
  CHECK(s.measured.verdict == TargetVerdict::not_met);
  CHECK_THAT(s.measured.basis, Catch::Contains("sleep_floor/floor/rounds:16 16.5 ms") && Catch::Contains("64 workers"));
  CHECK_THAT(all_notes(d), Catch::Contains("8: sleep_1ms/tpx/workers:64/real_time has no wall_ms counter"));

  // With wall_ms, that is the figure.
  io[1].counters["wall_ms"] = five(17.0);
  const TargetsData w = compute_targets(side(io), nullptr);
  CHECK(*row(w, "8").measured.figure == Approx(17.0 / 16.5).epsilon(1e-6));
  CHECK(row(w, "8").measured.verdict == TargetVerdict::met);

  // No floor of 16 rounds: not measured, and which one is missing.
  io.pop_back();
  const TargetsData m = compute_targets(side(io), nullptr);
  CHECK(row(m, "8").measured.verdict == TargetVerdict::not_measured);
  CHECK_THAT(row(m, "8").measured.basis, Catch::Contains("missing: sleep_floor/floor/rounds:16"));
}

TEST_CASE("targets: every cold percentile against mutex_pool, the worst reported", "[unit]") {
  std::vector<Bench> cold{
      {"roundtrip_cold/tpx/threads:2/real_time", five(1000),
       {{"p50_us", five(10)}, {"p90_us", five(12)}, {"p99_us", five(30)}, {"p999_us", five(40)}, {"max_us", five(90)}}},
      {"roundtrip_cold/mutex_pool/threads:2/real_time", five(2000),
       {{"p50_us", five(20)}, {"p90_us", five(24)}, {"p99_us", five(25)}, {"p999_us", five(80)}, {"max_us", five(100)}}}};
  const TargetsData d = compute_targets(side(cold), nullptr);
  const TargetRow& r = row(d, "4b");
  CHECK(*r.measured.figure == Approx(1.2).epsilon(1e-6));
  CHECK(r.measured.verdict == TargetVerdict::not_met);
  CHECK_THAT(r.measured.basis, Catch::StartsWith("worst p99: tpx 30.0 us / mutex_pool 25.0 us"));

  // A percentile one side lacks is named; the others still decide.
  cold[0].counters["p99_us"] = five(20);
  cold[1].counters.erase("max_us");
  const TargetsData m = compute_targets(side(cold), nullptr);
  CHECK(row(m, "4b").measured.verdict == TargetVerdict::met);
  CHECK_THAT(row(m, "4b").measured.basis, Catch::Contains("not measured: roundtrip_cold/mutex_pool/threads:2/real_time has no max_us"));
}

TEST_CASE("targets: speedup is higher-is-better, and counts are printed, not rounded to 0", "[unit]") {
  const TargetsData d = compute_targets(
      side({{"work_10us/tpx/threads:2/real_time", five(6500), counter("speedup", 1.5)},
            {"work_10us/asio/threads:2/real_time", five(7000), counter("speedup", 1.4)},
            {"work_10us/onetbb/threads:2/real_time", five(6800), counter("speedup", 1.6)},
            {"futex_calls/tpx/threads:2/real_time", five(130), counter("futex_calls_per_task", 0.0116)},
            {"alloc_post/tpx/threads:2/real_time", five(90), counter("allocs_per_task", 0.0004)},
            {"alloc_submit/tpx/threads:2/real_time", five(120), counter("allocs_per_task", 1)},
            {"idle_cpu/tpx/threads:2/iterations:3/manual_time", five(1e9), counter("idle_cpu_pct_of_core", 1.5)}}),
      nullptr);
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
  const TargetsData d = compute_targets(now, &before);
  const TargetRow& a = row(d, "1a");
  REQUIRE(a.before);
  CHECK(*a.before->figure == Approx(5).epsilon(1e-6));
  CHECK(a.before->verdict == TargetVerdict::not_met);
  CHECK(*a.measured.figure == Approx(20).epsilon(1e-6));
  CHECK(a.measured.verdict == TargetVerdict::met);
  CHECK(d.not_met == 1);  // 1b now; the before run's verdicts do not count

  std::ostringstream out, err;
  render(targets_report(now, &before, d), Format::markdown, false, out, err);
  CHECK_THAT(out.str(), Catch::Contains("| # | target | goal | before | measured | verdict | figures |"));
  CHECK_THAT(out.str(), Catch::Contains("| 1a | empty: tpx tasks/s ≥ 10× mutex_pool's | ≥ 10× | 5.00× | 20.00× | met |"));
  CHECK_THAT(out.str(), Catch::Contains("| 1b | empty: tpx tasks/s ≥ 5× the best of onetbb and asio | ≥ 5× | 0.75× | 3.00× | **NOT met** |"));
  CHECK_THAT(out.str(), Catch::Contains("before: 1 file(s) from lab, commit old1234"));
}

TEST_CASE("targets command: exit codes 0, 1 and 2", "[behaviour]") {
  TempDir dir;
  const auto met = dir.write("met.json", gb_json(machine("lab"), {{"empty/mutex_pool/threads:2/real_time", five(1000)},
                                                                   {"empty/tpx/threads:2/real_time", five(50)}}));
  const Result ok = run_cli({"targets", met, "--no-color"});
  INFO(ok.err);
  CHECK(ok.code == 0);
  CHECK_THAT(ok.out, Catch::Contains("1 of 16 target(s) measured: 1 met, 0 NOT met"));
  CHECK_THAT(ok.out, Catch::Contains("not measured"));

  const auto all = dir.write("all.json", gb_json(machine("lab"), empty_workload()));
  const Result not_met = run_cli({"targets", all});
  CHECK(not_met.code == 1);
  CHECK_THAT(not_met.out, Catch::Contains("NOT met"));

  // --before, the earlier run first or after; repeated per file.
  const auto old = dir.write("old.json", gb_json(machine("lab", "old1234"), empty_workload(200)));
  const auto old_overhead = dir.write("old2.json", gb_json(machine("lab", "old1234"),
                                                           {{"alloc_post/tpx/threads:2/real_time", five(90), counter("allocs_per_task", 0)}}));
  for (const auto& args : {std::vector<std::string>{"targets", all, "--before", old, old_overhead},
                           std::vector<std::string>{"targets", "--before", old, "--before", old_overhead, all}}) {
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
  check2({"targets", dir.path("missing.json")}, "missing.json: no such file");
  check2({"targets", all, "--before", dir.path("gone.json")}, "gone.json: no such file");
  check2({"targets", all, "--before", "--format", "markdown"}, "--before takes file names");
  check2({"targets", all, "--format", "pdf"}, "--format");
  check2({"targets"}, "FILES is required");
  const auto foreign = dir.write("foreign.json", gb_json({{"host_name", "x"}, {"num_cpus", "4"}}, {{"BM_Sort/1024", five(10)}}));
  check2({"targets", foreign}, "these are not the tpx benchmarks' files");
  check2({"targets", all, "--before", foreign}, "--before: not one target can be measured");

  // The tpx benchmarks' own files with none of these workloads (a filtered run): a warning, exit 0.
  const auto filtered = dir.write("http.json", gb_json(machine("lab"), {{"http_loopback/tpx/workers:16/real_time", five(40000)}}));
  const Result f = run_cli({"targets", filtered, "--no-color"});
  CHECK(f.code == 0);
  CHECK_THAT(f.out, Catch::Contains("warning: not one target can be measured from these files"));
}

TEST_CASE("targets command: help, markdown and json", "[behaviour]") {
  const Result help = run_cli({"targets", "--help"});
  CHECK(help.code == 0);
  CHECK_THAT(help.out, Catch::Contains("Examples:") && Catch::Contains("--before") && Catch::Contains("--format") &&
                           Catch::Contains("Exit codes") && Catch::Contains("not measured"));
  CHECK_THAT(run_cli({"--help"}).out, Catch::Contains("targets"));

  TempDir dir;
  const auto all = dir.write("all.json", gb_json(machine("lab"), empty_workload()));
  const Result md = run_cli({"targets", all, "--format", "markdown"});
  CHECK(md.code == 1);
  CHECK_THAT(md.out, Catch::StartsWith("### Targets\n"));
  CHECK_THAT(md.out, Catch::Contains("| 1b | empty: tpx tasks/s ≥ 5× the best of onetbb and asio | ≥ 5× | 3.00× | **NOT met** |"));
  CHECK_THAT(md.out, Catch::Contains("| 4a |") && Catch::Contains("| — | not measured | missing: roundtrip_cold/tpx"));

  const Result json = run_cli({"targets", all, "--format", "json"});
  CHECK(json.code == 1);
  const auto doc = nlohmann::json::parse(json.out);
  const auto& rows = doc["sections"][0]["rows"];
  REQUIRE(rows.size() >= 2);
  CHECK(rows[0]["#"] == "1a");
  CHECK(rows[0]["measured"] == Approx(20));
  CHECK(rows[0]["verdict"] == "met");
  CHECK(rows[0]["goal"] == 10);
}
