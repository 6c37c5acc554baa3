// main() shared by every benchmark binary: profile flags, machine context,
// registration, the one-line notes about absent peers and perf counters.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string_view>

#include "common/build_info.hpp"
#include "common/config.hpp"
#include "common/context.hpp"
#include "common/registry.hpp"
#include "tpx_perf/counters.hpp"

#ifndef TPX_BENCH_FAMILY
#error "TPX_BENCH_FAMILY must name the benchmark family (set by bench/CMakeLists.txt)"
#endif

namespace tpx::bench {
#if TPX_BENCH_HAVE_TPX
std::string tpx_pinning_map();  // contenders/tpx_pinning.cpp
#endif
}  // namespace tpx::bench

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf(
          "%s: tpx benchmark family '%s': %s\n"
          "Benchmarks are named <workload>/<contender>/<args>; contenders in this build: %s\n"
          "(bench/suite.json lists them all); 'floor' rows are the physical floor.\n"
          "tpx flags (anywhere among the Google Benchmark flags below):\n"
          "  --tpx_profile=smoke|quick|default|full   workload sizes (default: default)\n"
          "  --tpx_smoke                              same as --tpx_profile=smoke (also TPX_BENCH_SMOKE=1)\n"
          "Environment: TPX_PERF_DISABLE=1 turns the perf_event counters off.\n\n",
          argv[0], TPX_BENCH_FAMILY, TPX_BENCH_FAMILY_DESC, TPX_BENCH_CONTENDERS_BUILT);
    }
  }
  if (!tpx::bench::init_config(argc, argv)) return 2;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

  for (const auto& [key, value] : tpx::bench::machine_context()) benchmark::AddCustomContext(key, value);
#if TPX_BENCH_HAVE_TPX
  benchmark::AddCustomContext("tpx_pinning", tpx::bench::tpx_pinning_map());
#else
  benchmark::AddCustomContext("tpx_pinning", "unavailable (tpx contender not built)");
#endif
  const auto& cfg = tpx::bench::config();
  const auto& perf = tpx::perf::support();
  benchmark::AddCustomContext("tpx_bench_family", TPX_BENCH_FAMILY);
  benchmark::AddCustomContext("tpx_bench_profile", cfg.profile_name);
  benchmark::AddCustomContext("tpx_bench_perf_counters", perf.summary);
  benchmark::AddCustomContext("tpx_bench_peers_absent", *TPX_BENCH_PEERS_ABSENT ? TPX_BENCH_PEERS_ABSENT : "none");

  if (*TPX_BENCH_PEERS_ABSENT) std::fprintf(stderr, "%s: peers absent (not built): %s\n", argv[0], TPX_BENCH_PEERS_ABSENT);

  tpx::bench::register_all();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
