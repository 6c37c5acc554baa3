// The affinity mask [affinity]: run alone under `taskset -c 0` by CTest
// (tests/CMakeLists.txt).
#include <catch2/catch.hpp>

#include <sched.h>

#include <mutex>
#include <set>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/process.hpp"
#include "support/support.hpp"

using tpx_test::affinity_cpu_count;
using tpx_test::kHang;

// Run alone under `taskset -c 0` by CTest (see tests/CMakeLists.txt): the
// affinity mask must win over the machine's core count.
TEST_CASE("default_max_workers honours the affinity mask (taskset)", "[affinity]") {
  REQUIRE(affinity_cpu_count() == 1);
  REQUIRE(tpx::default_max_workers() == 1);
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 3, .thread_name_prefix = "aff"});
  // Pinned workers stay inside the mask: they all run on the one allowed CPU.
  std::set<int> cpus;
  std::mutex mu;
  std::vector<tpx::Future<void>> fs;
  for (int i = 0; i < 30; ++i)
    fs.push_back(ex.submit([&] {
      std::lock_guard lock(mu);
      cpus.insert(sched_getcpu());
    }));
  for (auto& f : fs) f.result(kHang);
  REQUIRE(cpus.size() == 1);
}
