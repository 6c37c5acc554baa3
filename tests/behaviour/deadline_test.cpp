// Deadline per task [behaviour]: expiring while queued, never interrupted, posts
// report it (issue 14).
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

// Collects what the error reporter receives while it lives.
struct ReportedErrors {
  std::mutex mutex;
  std::vector<std::exception_ptr> errors;
  tpx::ErrorReporter previous;
  ReportedErrors()
      : previous(tpx::set_error_reporter([this](std::exception_ptr e, std::string_view) {
          std::lock_guard lock(mutex);
          errors.push_back(e);
        })) {}
  ~ReportedErrors() { tpx::set_error_reporter(previous); }
  std::size_t count() {
    std::lock_guard lock(mutex);
    return errors.size();
  }
};

}  // namespace

// ---- bounded submission -----------------------------------------------------------

TEST_CASE("a task whose deadline passes while queued does not run; its future fails with DeadlineExceeded",
          "[behaviour]") {
  tpx_test::HeldPool held;
  std::atomic<bool> ran{false};
  auto f = held.ex.submit(tpx::TaskOptions{.deadline = std::chrono::steady_clock::now() + 10ms}, [&] {
    ran = true;
    return 1;
  });
  std::this_thread::sleep_for(30ms);  // the deadline passes while it waits behind the held task
  held.release();
  CHECK_THROWS_WITH(f.result(tpx_test::kHang), Catch::Contains("DeadlineExceeded"));
  CHECK_FALSE(ran.load());
}

TEST_CASE("a task started before its deadline runs to the end (never interrupted)", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  tpx::ThreadPoolExecutor ex(set.options(2));
  auto f = ex.submit(tpx::TaskOptions{.priority = tpx::Priority::high,
                                      .deadline = std::chrono::steady_clock::now() + tpx_test::kHang},
                     [] {
                       std::this_thread::sleep_for(5ms);
                       return 42;
                     });
  CHECK(f.result(tpx_test::kHang) == 42);
}

TEST_CASE("a posted task past its deadline goes to the error reporter as DeadlineExceeded", "[behaviour]") {
  ReportedErrors reported;
  tpx_test::HeldPool held;
  std::atomic<bool> ran{false};
  held.ex.post(tpx::TaskOptions{.deadline = std::chrono::steady_clock::now() - 1ms}, [&] { ran = true; });
  REQUIRE(reported.count() == 1);  // at once: it was never queued
  held.ex.post(tpx::TaskOptions{.deadline = std::chrono::steady_clock::now() + 10ms}, [&] { ran = true; });
  std::this_thread::sleep_for(30ms);
  held.release();
  held.ex.shutdown(true);
  CHECK_FALSE(ran.load());
  REQUIRE(reported.count() == 2);
  for (const auto& e : reported.errors) CHECK_THROWS_AS(std::rethrow_exception(e), tpx::DeadlineExceeded);
}
