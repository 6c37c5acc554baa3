#include "common/config.hpp"

#include <sched.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace tpx::bench {
namespace {
Config g_config;

std::size_t count_allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return static_cast<std::size_t>(std::max(1, CPU_COUNT(&set)));
}

void apply(Config& c, Profile p) {
  c.profile = p;
  const int n = static_cast<int>(c.allowed_cpus);
  c.cpu_threads = {n};
  c.file_workers = {n, 16};
  c.latency_threads = {n};
  switch (p) {
    case Profile::smoke:
      c.profile_name = "smoke";
      c.empty_tasks = 2'000;
      c.producers_tasks = 2'000;
      c.short_lived_warmup = 20;
      c.short_lived_threads = 10;
      c.work_total_ms = 4;
      c.fib_n = 12;
      c.map_items = 2'000;
      c.bulk_items = 2'000;
      c.sleep_tasks = 40;
      c.sleep_workers = {16, 64, 256};
      c.http_requests = 32;
      c.http_workers = {16};
      c.file_tasks = 100;
      c.file_count = 8;
      c.file_workers = {n};
      c.latency_samples = 2'000;
      c.cold_samples = 20;
      c.priority_samples = 50;
      c.thread_per_task_cap = 200;
      break;
    case Profile::quick:
      c.profile_name = "quick";
      c.empty_tasks = 100'000;
      c.producers_tasks = 100'000;
      c.short_lived_threads = 200;
      c.work_total_ms = 40;
      c.fib_n = 20;
      c.map_items = 100'000;
      c.bulk_items = 100'000;
      c.sleep_tasks = 400;
      c.http_requests = 400;
      c.file_tasks = 4'000;
      c.latency_samples = 20'000;
      c.cold_samples = 100;
      c.priority_samples = 500;
      c.thread_per_task_cap = 4'000;
      break;
    case Profile::standard:
      c.profile_name = "default";
      break;
    case Profile::full:
      c.profile_name = "full";
      if (n > 1) c.cpu_threads = {1, n};
      c.fib_n = 25;
      c.latency_threads = n > 1 ? std::vector<int>{1, n} : std::vector<int>{n};
      c.cold_samples = 800;
      c.priority_samples = 5'000;
      c.thread_per_task_cap = 20'000;
      break;
  }
}
}  // namespace

const Config& config() { return g_config; }

bool init_config(int& argc, char** argv) {
  g_config.allowed_cpus = count_allowed_cpus();
  Profile p = Profile::standard;
  if (const char* s = std::getenv("TPX_BENCH_SMOKE"); s && *s && std::strcmp(s, "0") != 0) p = Profile::smoke;
  int out = 1;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--tpx_smoke") {
      p = Profile::smoke;
    } else if (a.starts_with("--tpx_profile=")) {
      const std::string_view v = a.substr(std::strlen("--tpx_profile="));
      if (v == "smoke") p = Profile::smoke;
      else if (v == "quick") p = Profile::quick;
      else if (v == "default" || v == "standard") p = Profile::standard;
      else if (v == "full") p = Profile::full;
      else {
        std::fprintf(stderr, "unknown --tpx_profile '%.*s' (smoke|quick|default|full)\n",
                     static_cast<int>(v.size()), v.data());
        ok = false;
      }
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  argv[argc] = nullptr;
  apply(g_config, p);
  return ok;
}

}  // namespace tpx::bench
