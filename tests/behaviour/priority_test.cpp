// Priority per task [behaviour]: high before normal before low, and the bound on
// starvation (issue 14).
#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/support.hpp"

using namespace std::chrono_literals;

namespace {

// The order tasks started in, by label.
struct StartOrder {
  std::mutex mutex;
  std::vector<std::string> labels;
  void record(std::string label) {
    std::lock_guard lock(mutex);
    labels.push_back(std::move(label));
  }
  std::vector<std::string> get() {
    std::lock_guard lock(mutex);
    return labels;
  }
};

}  // namespace

// ---- bounded submission -----------------------------------------------------------

TEST_CASE("a worker with a choice takes high, then normal, then low", "[behaviour]") {
  tpx_test::HeldPool held;
  StartOrder order;
  held.ex.post(tpx::TaskOptions{.priority = tpx::Priority::low}, [&] { order.record("low"); });
  held.ex.post([&] { order.record("normal"); });
  auto h = held.ex.submit(tpx::TaskOptions{.priority = tpx::Priority::high}, [&] { order.record("high"); });
  held.release();
  h.result(tpx_test::kHang);
  held.ex.shutdown(true);
  CHECK(order.get() == std::vector<std::string>{"high", "normal", "low"});
}

TEST_CASE("under a stream of high-priority tasks a queued low or normal one starts within 4 picks", "[behaviour]") {
  const auto starved = GENERATE(tpx::Priority::low, tpx::Priority::normal);
  tpx_test::HeldPool held;
  StartOrder order;
  held.ex.post(tpx::TaskOptions{.priority = starved}, [&] { order.record("starved"); });
  for (int i = 0; i < 20; ++i) held.ex.post(tpx::TaskOptions{.priority = tpx::Priority::high}, [&] { order.record("high"); });
  held.release();
  held.ex.shutdown(true);
  const auto labels = order.get();
  REQUIRE(labels.size() == 21);
  std::size_t at = 0;
  while (labels[at] != "starved") ++at;
  CHECK(at <= 3);  // at most 3 high-priority tasks started before it (one worker)
}

TEST_CASE("prioritized tasks run, and are cancelled by shutdown(cancel_futures), like any other", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  std::vector<tpx::Future<int>> fs;
  for (int i = 0; i < 300; ++i) {
    const auto p = i % 3 == 0 ? tpx::Priority::low : i % 3 == 1 ? tpx::Priority::normal : tpx::Priority::high;
    fs.push_back(ex.submit(tpx::TaskOptions{.priority = p}, [i] { return i; }));
  }
  long sum = 0;
  for (auto& f : fs) sum += f.result(tpx_test::kHang);
  CHECK(sum == 299 * 300 / 2);

  tpx_test::HeldPool held;
  auto low = held.ex.submit(tpx::TaskOptions{.priority = tpx::Priority::low}, [] { return 1; });
  auto high = held.ex.submit(tpx::TaskOptions{.priority = tpx::Priority::high}, [] { return 2; });
  held.ex.shutdown(/*wait=*/false, /*cancel_futures=*/true);
  CHECK(low.cancelled());
  CHECK(high.cancelled());
  held.release();
}
