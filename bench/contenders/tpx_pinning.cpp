// The worker->CPU map of a default tpx pool on this machine, for the
// tpx_pinning context key: start one pool of default_max_workers() workers
// named tpxpin_<i> and read each one's Cpus_allowed_list. Workers start
// eagerly, name themselves, then bind; no task is submitted, so the probe
// does not depend on futures working.
#include <chrono>
#include <string>
#include <thread>

#include "common/context.hpp"
#include "contenders/tpx.hpp"

namespace tpx::bench {

std::string tpx_pinning_map() {
  try {
    const std::size_t n = tpx::default_max_workers();
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = n, .thread_name_prefix = "tpxpin"});
    auto count = [](const std::string& map) {
      std::size_t names = map.empty() ? 0 : 1;
      for (char c : map) names += c == ' ';
      return names;
    };
    std::string map;
    for (int tries = 0; tries < 200 && count(map = thread_affinity_map("tpxpin_")) < n; ++tries)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    // A worker binds itself right after naming itself: give the last ones a moment.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    map = thread_affinity_map("tpxpin_");
    return map.empty() ? std::string("unknown (no tpxpin_* threads found)") : map;
  } catch (const std::exception& e) {
    return std::string("unknown (") + e.what() + ")";
  }
}

}  // namespace tpx::bench
