// fuzz/compare_json_fuzzer.cpp — libFuzzer target for tpx-compare's input:
// the input bytes are one "Google Benchmark JSON" file, and the same bytes
// one spec file. They go through the in-memory loaders (parse_benchmark_json,
// parse_spec) and, written to a temporary file, through the command line
// run(): show, scaling, diff of the file against itself, check of the file
// against a fixed spec (kSpec), and check of a fixed results file
// (kResults) against the input as the spec; output to std::ostringstream. Built by fuzz/run.sh
// (clang, -fsanitize=fuzzer,address,undefined); fuzz/replay_main.cpp replays
// inputs without libFuzzer (CTest "reliability: compare fuzz corpus replay").
//
// Invariants (a violation aborts, so libFuzzer records the input):
//   - nothing crashes and no exception leaves run();
//   - every exit code is 0, 1 or 2; show and scaling never return 1;
//   - parse_benchmark_json either returns or throws InputError, and when it
//     throws, every command on that file returns 2;
//   - diff of a file against itself never returns 1 (no regression);
//   - parse_spec either returns or throws InputError, and when it throws,
//     check with that spec returns 2; check of a file the loader rejects
//     returns 2.
// With TPX_COMPARE_FUZZ_STRICT=1 in the environment, an "internal error"
// (an exception other than InputError caught by run()) also aborts.
//
// The output format and metric vary with the input's size (the bytes stay
// plain JSON): format = size % 4, metric = (size / 4) % 3.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "load.hpp"
#include "model.hpp"
#include "spec.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "compare_json_fuzzer: invariant violated: %s\n%s\n", what, detail.c_str());
  std::abort();
}
#define FUZZ_CHECK(cond, detail)              \
  do {                                        \
    if (!(cond)) fail(#cond, (detail));       \
  } while (0)

bool strict() {
  static const bool on = [] {
    const char* v = std::getenv("TPX_COMPARE_FUZZ_STRICT");
    return v != nullptr && *v != '\0' && *v != '0';
  }();
  return on;
}

const std::string& temp_path() {
  static const std::string path = [] {
    std::error_code ec;
    auto dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    return (dir / ("tpx-compare-fuzz-" + std::to_string(::getpid()) + ".json")).string();
  }();
  return path;
}

// A spec with every kind of pick (fallbacks of metric and of workload,
// arguments that must be absent or come from the subject, benchmarks by
// name, worst_of), and results its targets read: the partners of an input
// that is the other half.
constexpr std::string_view kSpec = R"({"context_defaults": {"compare_name_format": "workload/contender/args"},
 "targets": [
  {"id": "1", "wording": "a p50 at most half of the best of b and c", "comparison": "at_most", "goal": 0.5,
   "subject": {"workload": "w", "contenders": ["a"], "metric": "p50_us", "args": {"cold": 0},
               "fallback": [{"metric": "real_time", "note": "n"}, {"workload": "w_old", "args": {"cold": null}}]},
   "versus": {"workload": "w", "contenders": ["b", "c"], "metric": "p50_us", "args": {"cold": 0}}},
  {"id": "2", "wording": "floor of as many rounds", "comparison": "at_most", "goal": 1.05, "workers": 2,
   "subject": {"workload": "s", "contenders": ["a"], "metric": ["vs_ideal", "ideal_ms"]},
   "versus": {"workload": "f", "contenders": ["floor"], "metric": "wall_ms", "args": {"rounds": {"from_subject": "ideal_ms"}}}},
  {"id": "3", "wording": "worst percentile", "comparison": "at_most", "goal": 1, "worst_of": ["p50_us", "p99_us"],
   "subject": {"workload": "w", "contenders": ["a"]}, "versus": {"workload": "w", "contenders": ["b"]}},
  {"id": "4", "wording": "named", "comparison": "at_least", "goal": 2, "figure": "count", "only_if_present": true,
   "subject": {"benchmarks": ["BM_A", "BM_B/8"], "metric": "items_per_second"}},
  {"id": "5", "wording": "idle", "comparison": "at_most", "goal": 1, "figure": "percent",
   "subject": {"workload": "idle", "contenders": ["a"], "metric": "pct"}}]})";

constexpr std::string_view kResults = R"({"context": {"host_name": "h", "num_cpus": 2,
  "compare_name_format": "workload/contender/args", "compare_reference": "b"},
 "benchmarks": [
  {"name": "w/a/threads:2/cold:0/real_time", "run_type": "iteration", "real_time": 10, "cpu_time": 10,
   "time_unit": "ns", "p50_us": 0.01, "p99_us": 0.03},
  {"name": "w/b/threads:2/cold:0/real_time", "run_type": "iteration", "real_time": 20, "cpu_time": 20,
   "time_unit": "us", "p50_us": 0.02, "p99_us": 0.02},
  {"name": "s/a/workers:2", "real_time": 1, "cpu_time": 1, "time_unit": "ms", "vs_ideal": 1.1, "ideal_ms": 16},
  {"name": "f/floor/rounds:16", "real_time": 1, "cpu_time": 1, "time_unit": "ms", "wall_ms": 16.5},
  {"name": "BM_B/8", "real_time": 5, "cpu_time": 5, "items_per_second": 3}]})";

// Written once per process, removed at exit.
const std::string& fixed_file(const char* name, std::string_view content) {
  static struct Files {
    std::map<std::string, std::string> paths;
    ~Files() {
      std::error_code ec;
      for (const auto& [n, path] : paths) std::filesystem::remove(path, ec);
    }
  } files;
  auto& paths = files.paths;
  auto it = paths.find(name);
  if (it == paths.end()) {
    std::error_code ec;
    auto dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    const std::string path =
        (dir / ("tpx-compare-fuzz-" + std::to_string(::getpid()) + "-" + name + ".json")).string();
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!f) fail("cannot write the temporary file", path);
    it = paths.emplace(name, path).first;
  }
  return it->second;
}

struct Result {
  int rc = -1;
  std::string out, err;
};

Result run_cli(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"tpx-compare"};
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  Result r;
  try {
    r.rc = tpx::compare::run(static_cast<int>(argv.size()), argv.data(), out, err, false);
  } catch (const std::exception& e) {
    fail("run() threw", e.what());
  } catch (...) {
    fail("run() threw", "(not a std::exception)");
  }
  r.out = out.str();
  r.err = err.str();
  std::string cmd;
  for (const auto& a : args) cmd += a + ' ';
  const std::string detail = "command: " + cmd + "\nexit code: " + std::to_string(r.rc) + "\nstderr:\n" + r.err;
  FUZZ_CHECK(r.rc == 0 || r.rc == 1 || r.rc == 2, detail);
  if (strict()) FUZZ_CHECK(r.err.find("internal error") == std::string::npos, detail);
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // In-memory loader: returns or throws InputError, nothing else.
  bool valid = false;
  try {
    (void)tpx::compare::parse_benchmark_json(text, "fuzz.json");
    valid = true;
  } catch (const tpx::compare::InputError&) {
  } catch (const std::exception& e) {
    if (strict()) fail("parse_benchmark_json threw something other than InputError", e.what());
  }

  bool valid_spec = false;
  try {
    (void)tpx::compare::parse_spec(text, "fuzz-spec.json");
    valid_spec = true;
  } catch (const tpx::compare::InputError&) {
  } catch (const std::exception& e) {
    if (strict()) fail("parse_spec threw something other than InputError", e.what());
  }

  const std::string& path = temp_path();
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!f) fail("cannot write the temporary file", path);
  }

  static const char* const kFormats[] = {"text", "markdown", "csv", "json"};
  static const char* const kMetrics[] = {"real_time", "cpu_time", "p50_us"};
  const std::string format = kFormats[size % 4];
  const std::string metric = kMetrics[(size / 4) % 3];
  const std::vector<std::string> common{"--no-color", "--format", format, "--metric", metric};
  auto with = [&](std::vector<std::string> head) {
    head.insert(head.end(), common.begin(), common.end());
    return head;
  };

  const Result show = run_cli(with({"show", path}));
  FUZZ_CHECK(show.rc != 1, "show returned 1 (only diff may)\n" + show.err);
  if (!valid) FUZZ_CHECK(show.rc == 2, "show accepted a file the loader rejects\n" + show.err);

  const Result scaling = run_cli(with({"scaling", path}));
  FUZZ_CHECK(scaling.rc != 1, "scaling returned 1 (only diff may)\n" + scaling.err);
  if (!valid) FUZZ_CHECK(scaling.rc == 2, "scaling accepted a file the loader rejects\n" + scaling.err);

  const Result self = run_cli(with({"diff", path, path}));
  FUZZ_CHECK(self.rc != 1, "diff of a file against itself reported a regression\n" + self.out + self.err);
  if (!valid) FUZZ_CHECK(self.rc == 2, "diff accepted a file the loader rejects\n" + self.err);

  const std::string& spec = fixed_file("spec", kSpec);
  const std::string& results = fixed_file("results", kResults);
  const Result checked = run_cli({"check", "--spec", spec, path, "--no-color", "--format", format});
  if (!valid) FUZZ_CHECK(checked.rc == 2, "check accepted a file the loader rejects\n" + checked.err);
  const Result by_spec = run_cli({"check", "--spec", path, results, "--before", results, "--no-color", "--format", format});
  if (!valid_spec) FUZZ_CHECK(by_spec.rc == 2, "check accepted a spec parse_spec rejects\n" + by_spec.err);

  std::error_code ec;
  std::filesystem::remove(path, ec);
  return 0;
}
