// The command line end to end: exit codes, messages, formats, plots.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli.hpp"
#include "cli_runner.hpp"
#include "fixtures.hpp"
#include "plot.hpp"

using namespace tpx::compare;
using namespace tpx::compare::test;

namespace {

// The built binary as a subprocess: what users and CI see.
Result run_binary(const std::string& args, const TempDir& dir) {
  const std::string out = dir.path("stdout.txt"), err = dir.path("stderr.txt");
  const std::string cmd = std::string("'") + TPX_COMPARE_BINARY + "' " + args + " >'" + out + "' 2>'" + err + "'";
  const int status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  const auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  return {WEXITSTATUS(status), slurp(out), slurp(err)};
}

std::string laptop_file(const TempDir& dir, const std::string& name = "laptop.json") {
  return dir.write(name, gb_json(machine("laptop"),
                                 {{"empty/mutex_pool/workers:2", around(1000, 5), {{"p99_us", around(40, 5)}}},
                                  {"empty/tpx/workers:2", around(250, 5), {{"p99_us", around(8, 5)}}},
                                  {"empty/mutex_pool/workers:4", around(900, 5), {{"p99_us", around(50, 5)}}},
                                  {"empty/tpx/workers:4", around(150, 5), {{"p99_us", around(9, 5)}}}}));
}

}  // namespace

TEST_CASE("exit code 0: show, scaling, and a diff without regression", "[behaviour]") {
  TempDir dir;
  const auto f = laptop_file(dir);
  CHECK(run_cli({"show", f}).code == 0);
  CHECK(run_cli({"scaling", f}).code == 0);
  const Result same = run_cli({"diff", f, f});
  CHECK(same.code == 0);
  CHECK_THAT(same.out, Catch::Contains("0 regression(s)"));
}

TEST_CASE("exit code 1: a significant regression past the threshold", "[behaviour]") {
  TempDir dir;
  const auto old_file = dir.write("old.json", gb_json(machine("lab"), {{"BM_A", around(100, 8)}, {"BM_B", around(100, 8)}}));
  const auto new_file = dir.write("new.json", gb_json(machine("lab"), {{"BM_A", around(130, 8)}, {"BM_B", around(100, 8)}}));
  const Result r = run_cli({"diff", old_file, new_file, "--no-color"});
  CHECK(r.code == 1);
  CHECK_THAT(r.out, Catch::Contains("REGRESSION") && Catch::Contains("1 regression(s)"));
  // A threshold above the change turns it into noise.
  CHECK(run_cli({"diff", old_file, new_file, "--threshold", "40%"}).code == 0);
  // The reverse direction is an improvement.
  const Result back = run_cli({"diff", "--old", new_file, "--new", old_file});
  CHECK(back.code == 0);
  CHECK_THAT(back.out, Catch::Contains("improvement"));
  // Several files per side pool their repetitions.
  const auto new2 = dir.write("new2.json", gb_json(machine("lab"), {{"BM_A", around(131, 8)}, {"BM_B", around(101, 8)}}));
  const Result pooled = run_cli({"diff", "--old", old_file, "--new", new_file, new2, "--format", "json"});
  CHECK(pooled.code == 1);
  const auto doc = nlohmann::json::parse(pooled.out);
  bool found = false;
  for (const auto& s : doc["sections"])
    for (const auto& row : s["rows"])
      if (row.contains("verdict") && row["benchmark"] == "BM_A") {
        found = true;
        CHECK(row["n"] == "8/16");
        CHECK(row["verdict"] == "REGRESSION");
      }
  CHECK(found);
}

TEST_CASE("exit code 2: invalid input names the file and the problem", "[behaviour]") {
  TempDir dir;
  const auto good = laptop_file(dir);
  const auto check = [&](const std::vector<std::string>& args, const std::string& expected) {
    const Result r = run_cli(args);
    INFO(r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(expected));
    CHECK(r.out.empty());
  };
  check({"show", dir.path("missing.json")}, "missing.json: no such file");
  check({"show", dir.write("empty.json", "")}, "empty.json: file is empty");
  check({"show", dir.write("trunc.json", gb_json(machine("x"), {{"BM_A", {1, 2}}}).substr(0, 100))}, "trunc.json: JSON ends early");
  check({"show", dir.write("list.json", "[1]")}, "list.json: not Google Benchmark JSON");
  check({"diff", good, dir.write("other.json", gb_json(machine("laptop"), {{"BM_Z", {1, 2, 3}}}))}, "no common benchmarks");
  check({"diff", good}, "expected two files");
  check({"diff", good, good, "--old", good}, "not both");
  check({"show", good, "--metric", "bogus"}, "no benchmark has the metric \"bogus\"; available: real_time, cpu_time, p99_us");
  check({"diff", good, good, "--threshold", "lots"}, "--threshold lots");
  check({"show", good, "--format", "pdf"}, "--format");
  check({"frobnicate"}, "tpx-compare: error:");
  check({}, "A subcommand is required");
}

TEST_CASE("the binary survives hostile input with exit code 2 and one clear line", "[behaviour]") {
  TempDir dir;
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 2654435761u) >> 24);
  const auto bin = dir.write("garbage.json", garbage);
  const auto deep = dir.write("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  constexpr char kNulInName[] = "{\"benchmarks\": [{\"name\": \"a\0b\"}]}";
  const auto text_nul = dir.write("nul.json", std::string(kNulInName, sizeof kNulInName - 1));
  for (const auto& f : {bin, deep, text_nul}) {
    const Result r = run_binary("show '" + f + "'", dir);
    INFO(f << ": " << r.err);
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("tpx-compare: error: " + f));
    CHECK(r.err.find("internal error") == std::string::npos);
  }
  const Result ok = run_binary("show '" + laptop_file(dir) + "'", dir);
  CHECK(ok.code == 0);
  CHECK(ok.out.find("\x1b[") == std::string::npos);  // stdout is a file, not a terminal: no colour
}

TEST_CASE("help for the tool and each command, with examples", "[behaviour]") {
  const Result top = run_cli({"--help"});
  CHECK(top.code == 0);
  CHECK_THAT(top.out, Catch::Contains("show") && Catch::Contains("diff") && Catch::Contains("scaling") &&
                          Catch::Contains("Examples:") && Catch::Contains("Exit codes"));
  for (const char* cmd : {"show", "diff", "scaling"}) {
    const Result r = run_cli({cmd, "--help"});
    INFO(cmd);
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("Examples:") && Catch::Contains("--format") && Catch::Contains("--plot") &&
                          Catch::Contains("--spec") && Catch::Contains("--name-format"));
  }
  CHECK_THAT(run_cli({"show", "--help"}).out, Catch::Contains("--ref") && Catch::Contains("compare_reference"));
  CHECK_THAT(run_cli({"diff", "--help"}).out, Catch::Contains("--threshold") && Catch::Contains("--old"));
}

TEST_CASE("machines: the context diff and the warnings that matter", "[behaviour]") {
  TempDir dir;
  Context debug = machine("ci", "abc1234", "2");
  debug["lab_build_type"] = "Debug";
  const auto a = laptop_file(dir);
  const auto b = dir.write("ci.json", gb_json(debug, {{"empty/mutex_pool/workers:4", {1000, 1500, 900}},
                                                      {"empty/tpx/workers:4", {100, 300, 200}}}));
  const Result r = run_cli({"show", a, b, "--no-color"});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("Machines (2 runs)") && Catch::Contains("≠"));
  CHECK_THAT(r.out, Catch::Contains("ci: the benchmarks were built in Debug (lab_build_type=Debug)"));
  CHECK_THAT(r.out, Catch::Contains("ci: 2 benchmark(s) use more workers (up to 4) than the 2 allowed CPUs"));
  CHECK_THAT(r.out, Catch::Contains("ci: 2 benchmark(s) have fewer than 5 repetitions"));
  CHECK_THAT(r.out, Catch::Contains("ci: 2 benchmark(s) vary by more than 10%"));
}

TEST_CASE("markdown output is stable", "[behaviour]") {
  TempDir dir;
  const std::string file = dir.write("lab.json", gb_json(machine("lab"),
      {{"empty/mutex_pool/workers:2", {1000, 1010, 990, 1005, 995}},
       {"empty/tpx/workers:2", {250, 251, 249, 252, 248}},
       {"BM_Other/8", {5, 5.1, 4.9, 5.05, 4.95}}}));
  const Result r = run_cli({"show", file, "--format", "markdown"});
  REQUIRE(r.code == 0);
  const std::string golden = R"(### Machine

| field | lab |
| --- | --- |
| host | lab |
| lab_cpu_model | Test CPU 9000 |
| lab_cores | 8 |
| lab_allowed_cpus | 8 |
| CPUs (Google Benchmark) | 8 |
| benchmark library build | release |
| lab_build_type | Release |
| lab_commit | abc1234 |
| lab_kernel | 6.1.0 |
| files | 1 |

### Warnings

- benchmarks not read as <workload>/<contender>/<args> (compare_name_format, --name-format) are listed on their own, without ratios

### empty — median real_time (lower is better), ratio to mutex_pool

| args | contender | median | cv | n | ÷ mutex_pool |
| --- | --- | ---: | ---: | ---: | ---: |
| workers:2 | mutex_pool | 1.00 us | ±0.8% | 5 | 1.00× |
| workers:2 | tpx | 250 ns | ±0.6% | 5 | 0.25× |

### Benchmarks — median real_time (lower is better)

| benchmark | median | cv | n |
| --- | ---: | ---: | ---: |
| BM_Other/8 | 5.00 ns | ±1.6% | 5 |
)";
  CHECK(r.out == golden);
}

TEST_CASE("csv and json carry numbers, not formatted text", "[behaviour]") {
  TempDir dir;
  const auto f = laptop_file(dir);
  const Result csv = run_cli({"show", f, "--format", "csv"});
  CHECK(csv.code == 0);
  CHECK_THAT(csv.out, Catch::Contains("section,args,contender,median,cv,n,÷ mutex_pool"));
  CHECK_THAT(csv.out, Catch::Contains(",workers:2,tpx,250,"));
  const Result json = run_cli({"scaling", f, "--format", "json"});
  CHECK(json.code == 0);
  const auto doc = nlohmann::json::parse(json.out);
  REQUIRE(doc["sections"].is_array());
  CHECK(doc["sections"].back()["rows"][0]["workers"] == 2);
}

TEST_CASE("plot: writes PNG and SVG charts through gnuplot", "[behaviour]") {
  TempDir dir;
  const auto f = laptop_file(dir);
  const std::string charts = dir.path("charts");

  const Result missing = run_cli({"show", f, "--plot", charts, "--gnuplot", dir.path("no-gnuplot-here")});
  CHECK(missing.code == 0);
  CHECK_THAT(missing.err, Catch::Contains("gnuplot not found") && Catch::Contains("no charts written"));

  if (!find_gnuplot("")) {
    WARN("gnuplot is not installed: the chart smoke test is skipped (install gnuplot-nox)");
    return;
  }
  const Result r = run_cli({"show", f, "--plot", charts});
  INFO(r.err);
  CHECK(r.code == 0);
  for (const char* chart : {"ratio_empty", "latency_empty"}) {
    for (const char* ext : {".png", ".svg"}) {
      const auto p = std::filesystem::path(charts) / (std::string(chart) + ext);
      INFO(p);
      REQUIRE(std::filesystem::exists(p));
      CHECK(std::filesystem::file_size(p) > 1000);
    }
  }
  const Result s = run_cli({"scaling", f, "--plot", charts});
  CHECK(s.code == 0);
  CHECK(std::filesystem::exists(std::filesystem::path(charts) / "scaling_empty.png"));
}

TEST_CASE("colour only on a terminal, and never with --no-color or another format", "[behaviour]") {
  TempDir dir;
  const auto f = dir.write("old.json", gb_json(machine("lab"), {{"BM_A", around(100, 8)}}));
  const auto g = dir.write("new.json", gb_json(machine("lab"), {{"BM_A", around(150, 8)}}));
  const auto run_tty = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "tpx-compare");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int code = run(static_cast<int>(argv.size()), argv.data(), out, err, /*color_capable=*/true);
    return std::pair(code, out.str());
  };
  const bool no_color_env = std::getenv("NO_COLOR") != nullptr && *std::getenv("NO_COLOR") != '\0';
  const auto [code, colored] = run_tty({"diff", f, g});
  CHECK(code == 1);
  if (!no_color_env) CHECK_THAT(colored, Catch::Contains("\x1b[1;31mREGRESSION"));
  CHECK(run_tty({"diff", f, g, "--no-color"}).second.find("\x1b[") == std::string::npos);
  CHECK(run_tty({"diff", f, g, "--format", "markdown"}).second.find("\x1b[") == std::string::npos);
  CHECK(run_cli({"diff", f, g}).out.find("\x1b[") == std::string::npos);
}
