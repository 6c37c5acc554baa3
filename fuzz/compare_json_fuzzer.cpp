// fuzz/compare_json_fuzzer.cpp — libFuzzer target for tpx-compare's input:
// the input bytes are one "Google Benchmark JSON" file. It goes through the
// in-memory loader (parse_benchmark_json) and, written to a temporary file,
// through the command line run(): show, scaling, and diff of the file
// against itself, with output to std::ostringstream. Built by fuzz/run.sh
// (clang, -fsanitize=fuzzer,address,undefined); fuzz/replay_main.cpp replays
// inputs without libFuzzer (CTest "reliability: compare fuzz corpus replay").
//
// Invariants (a violation aborts, so libFuzzer records the input):
//   - nothing crashes and no exception leaves run();
//   - every exit code is 0, 1 or 2; show and scaling never return 1;
//   - parse_benchmark_json either returns or throws InputError, and when it
//     throws, every command on that file returns 2;
//   - diff of a file against itself never returns 1 (no regression).
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
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "load.hpp"
#include "model.hpp"

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

  std::error_code ec;
  std::filesystem::remove(path, ec);
  return 0;
}
