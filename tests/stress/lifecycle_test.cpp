// Executors come and go [stress]: no thread may outlive its executor.
// In tpx_reliability_tests (the reliability binary's serial [stress] run).
#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>

#include <tpx/tpx.hpp>

#include "support/process.hpp"
#include "support/support.hpp"

using tpx_test::kHang;

TEST_CASE("executors created and destroyed in a tight loop leak no threads", "[stress]") {
  const std::size_t before = tpx_test::thread_count();
  std::uint64_t executors = 0;
  tpx_test::Budget budget(20000);
  while (budget.next()) {
    const std::size_t workers = 1 + budget.rounds() % 4;
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = workers, .pinning = tpx::Pinning::none});
    switch (budget.rounds() % 4) {
      case 0:
        break;  // destroyed idle, maybe before the workers even started
      case 1:
        ex.post([] {});
        break;
      case 2:
        REQUIRE(ex.submit([] { return 1; }).result(kHang) == 1);
        break;
      case 3:
        ex.submit([] { return 1; });
        ex.shutdown(false, true);  // no wait: the destructor still joins
        break;
    }
    ++executors;
  }
  // At most as many as before: a thread an earlier test left exiting (a pool
  // destroyed on its own worker detaches that worker) may be gone by now.
  REQUIRE(tpx_test::settle_thread_count(before) <= before);
  WARN("stress: " << executors << " executors created and destroyed");
}
