// Sizes of every workload, per profile. One place, so that BENCHMARKS.md can
// quote them and the smoke test can shrink them all at once.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tpx::bench {

enum class Profile { smoke, quick, standard, full };

struct Config {
  Profile profile = Profile::standard;
  std::string profile_name = "default";
  std::size_t allowed_cpus = 1;               // CPUs in this process's affinity mask

  std::vector<int> cpu_threads;               // CPU-bound families: pool sizes
  std::size_t empty_tasks = 1'000'000;        // empty, post_empty
  std::size_t producers_tasks = 200'000;      // split among the producers of empty_producers, post_empty_producers
  std::vector<int> producers{1, 2, 4, 8};     // *_producers: submitting threads, one pool
  // short_lived_producers: a thread per batch of short_lived_tasks tasks,
  // started one after another; short_lived_warmup of them submit before the
  // timed part (so that it runs after as many threads have come and gone),
  // short_lived_threads in each timed repetition.
  std::size_t short_lived_tasks = 16;
  std::size_t short_lived_warmup = 1'000;
  std::size_t short_lived_threads = 1'000;
  double work_total_ms = 200;                 // work_Nus: serial work per iteration
  int fib_n = 24;                             // fanout_fib
  std::size_t map_items = 1'000'000;          // map
  // 0 = one chunk per worker: chunk size ceil(items / workers), the coarsest
  // split that still keeps every worker busy.
  std::vector<int> map_chunks{1, 1024, 0};
  std::size_t bulk_items = 1'000'000;         // bulk

  std::size_t sleep_tasks = 1'000;            // sleep_1ms
  std::vector<int> sleep_workers{16, 64, 256};
  std::size_t http_requests = 2'000;          // http_loopback
  std::vector<int> http_workers{16, 64};
  std::size_t file_tasks = 20'000;            // file_read
  std::size_t file_count = 64;
  std::size_t file_bytes = 4096;
  std::vector<int> file_workers;

  std::size_t latency_samples = 100'000;      // roundtrip, submit_to_start, floor percentiles
  std::vector<int> latency_threads;
  // roundtrip cold:1: each sample follows a 1 ms sleep, so a repetition lasts
  // about cold_samples x 1.1 ms (full: 800, about 0.9 s).
  std::size_t cold_samples = 500;
  // priority: each probe waits behind a backlog; without priorities that is
  // about 0.3 ms (priority/tpx.cpp), so fewer samples than the others.
  std::size_t priority_samples = 2'000;

  // std::async starts a thread per task: above this many tasks per iteration
  // it would spend its time (and address space) on thread stacks, so its rows
  // run this many tasks instead and say so in their label. Per-task figures
  // (rates, per-task counters) stay comparable.
  std::size_t thread_per_task_cap = 10'000;
};

const Config& config();

// Parses and removes --tpx_profile=smoke|quick|default|full and --tpx_smoke
// from argv (before benchmark::Initialize sees it). TPX_BENCH_SMOKE=1 in the
// environment also selects smoke. Returns false on a bad value.
bool init_config(int& argc, char** argv);

}  // namespace tpx::bench
