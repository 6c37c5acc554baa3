// Another project's Google Benchmark JSON: Google Benchmark's own test inputs
// (fixtures/README.md), and files written here with nothing but Google
// Benchmark's context. Everything a user of another project runs works on them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_runner.hpp"
#include "fixtures.hpp"

using namespace tpx::compare;
using namespace tpx::compare::test;

namespace {
const std::string kRun1 = fixture("gbench_test1_run1.json");
const std::string kRun2 = fixture("gbench_test1_run2.json");
const std::string kSpec = fixture("gbench_targets.json");
}  // namespace

TEST_CASE("foreign file: show lists every benchmark, with Google Benchmark's context", "[behaviour]") {
  const Result r = run_cli({"show", kRun1, "--no-color"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("CPUs (Google Benchmark)") && Catch::Contains("MHz per CPU") &&
                        Catch::Contains("4228"));
  // No name format: one table of benchmarks, no contenders, no ratios.
  CHECK_THAT(r.out, Catch::Contains("Benchmarks — median real_time (lower is better)"));
  CHECK_THAT(r.out, Catch::Contains("BM_2xFaster") && Catch::Contains("50.0 ns"));
  CHECK_THAT(r.out, Catch::Contains("BM_DifferentTimeUnit") && Catch::Contains("1.00 s"));  // time_unit "s"
  CHECK(r.out.find("÷") == std::string::npos);
  // One repetition each: said once, not an error.
  CHECK_THAT(r.out, Catch::Contains("11 benchmark(s) have fewer than 5 repetitions"));
}

TEST_CASE("foreign file: diff of two runs, scaling without worker counts", "[behaviour]") {
  const Result d = run_cli({"diff", kRun1, kRun2, "--no-color"});
  INFO(d.err);
  CHECK(d.code == 0);  // one repetition a side: no change can be significant
  CHECK_THAT(d.out, Catch::Contains("BM_2xFaster") && Catch::Contains("-50.0%"));
  CHECK_THAT(d.out, Catch::Contains("BM_100xSlower") && Catch::Contains("+9900.0%"));
  CHECK_THAT(d.out, Catch::Contains("0 regression(s)"));

  const Result s = run_cli({"scaling", kRun1, "--no-color"});
  CHECK(s.code == 0);
  CHECK_THAT(s.out, Catch::Contains("no scaling curves"));
}

TEST_CASE("foreign file: check with a spec of its own", "[behaviour]") {
  const Result r = run_cli({"check", "--spec", kSpec, kRun2, "--before", kRun1, "--format", "markdown"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("3 of 3 target(s) measured: 3 met, 0 NOT met"));
  CHECK_THAT(r.out, Catch::Contains("| 1 | BM_2xFaster takes at most half of BM_2xSlower's time | ≤ 0.5× | 1.00× | 0.25× | "
                                    "met | BM_2xFaster 25.0 ns / BM_2xSlower 100 ns |"));
  CHECK_THAT(r.out, Catch::Contains("| 2 |") && Catch::Contains("best BM_10PercentFaster 90.0 ns (BM_1PercentFaster 99.0 ns) / "
                                                                "BM_SameTimes 10.0 ns"));
  CHECK_THAT(r.out, Catch::Contains("BM_10PercentCPUToTime cpu_time 90.0 ns / BM_10PercentCPUToTime real_time 110 ns"));
  // Run 1 alone misses target 1: exit code 1.
  const Result before = run_cli({"targets", "--spec", kSpec, kRun1, "--no-color"});
  CHECK(before.code == 1);
  CHECK_THAT(before.out, Catch::Contains("NOT met"));
}

TEST_CASE("foreign file: the project's spec refuses it, naming both", "[behaviour]") {
  const Result r = run_cli({"check", "--spec", project_spec_path(), kRun1});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("not one target can be measured from " + kRun1) &&
                        Catch::Contains("none of their benchmarks is one " + project_spec_path() + " names"));
}

TEST_CASE("foreign names with structure: --name-format and --ref give contenders and ratios", "[behaviour]") {
  TempDir dir;
  // Another project's names: <implementation>/<workload>/<size>, Google Benchmark's threads.
  const auto bench = [](const std::string& name, double ns) {
    Bench b{name, around(ns, 5)};
    b.time_unit = "ns";
    return b;
  };
  const auto f = dir.write("hash.json", gb_json(foreign_machine("box"),
                                                {bench("std_map/insert/1024/threads:1", 200),
                                                 bench("std_map/insert/1024/threads:4", 100),
                                                 bench("flat_map/insert/1024/threads:1", 100),
                                                 bench("flat_map/insert/1024/threads:4", 40)}));
  const Result plain = run_cli({"show", f, "--no-color"});
  CHECK(plain.code == 0);
  CHECK(plain.out.find("÷") == std::string::npos);

  const Result r = run_cli({"show", f, "--name-format", "contender/workload/args", "--ref", "std_map", "--format", "csv"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("section,args,contender,median,cv,n,÷ std_map"));
  CHECK_THAT(r.out, Catch::Contains(",1024/threads:4,flat_map,40,") && Catch::Contains(",0.4\n"));

  // Without --ref: ratios need a reference, and the note says how to give one.
  const Result no_ref = run_cli({"show", f, "--name-format", "contender/workload/args", "--no-color"});
  CHECK(no_ref.code == 0);
  CHECK_THAT(no_ref.out, Catch::Contains("no ratios: no reference contender") && Catch::Contains("--ref") &&
                             Catch::Contains("flat_map, std_map"));

  // Scaling: one curve per contender over Google Benchmark's threads.
  const Result s = run_cli({"scaling", f, "--name-format", "contender/workload/args", "--format", "json"});
  CHECK(s.code == 0);
  const auto doc = nlohmann::json::parse(s.out);
  std::set<std::string> contenders;
  for (const auto& row : doc["sections"].back()["rows"]) contenders.insert(row["contender"].get<std::string>());
  CHECK(contenders == std::set<std::string>{"flat_map", "std_map"});

  // A bad format is an error naming the option.
  const Result bad = run_cli({"show", f, "--name-format", "impl/workload"});
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::StartsWith("tpx-compare: error: --name-format: \"impl/workload\" is not a name format"));
}
