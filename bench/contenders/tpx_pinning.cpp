// The worker->CPU map of a default tpx pool on this machine, for the
// tpx_pinning context key: start one pool of default_max_workers() workers
// named tpxpin_<i>, let every worker run, read each one's Cpus_allowed_list.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/context.hpp"
#include "contenders/tpx.hpp"

namespace tpx::bench {

std::string tpx_pinning_map() {
  try {
    const std::size_t n = tpx::default_max_workers();
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = n, .thread_name_prefix = "tpxpin"});
    std::vector<tpx::Future<int>> fs;
    for (std::size_t i = 0; i < 4 * n; ++i) fs.push_back(ex.submit([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return 0;
    }));
    tpx::wait(fs);
    std::string map;
    for (int tries = 0; tries < 100; ++tries) {
      map = thread_affinity_map("tpxpin_");
      std::size_t names = map.empty() ? 0 : 1;
      for (char c : map) names += c == ' ';
      if (names >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return map.empty() ? std::string("unknown (no tpxpin_* threads found)") : map;
  } catch (const std::exception& e) {
    return std::string("unknown (") + e.what() + ")";
  }
}

}  // namespace tpx::bench
