// ThreadPoolExecutor [behaviour]: workers, names, pinning, post, initializer, caller_runs.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <fstream>
#include <latch>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <tpx/tpx.hpp>

#include "support/held_pool.hpp"
#include "support/option_sets.hpp"
#include "support/process.hpp"
#include "support/support.hpp"

using namespace std::chrono_literals;
using tpx_test::affinity_cpu_count;
using tpx_test::kHang;

namespace {

std::vector<std::string> thread_names() {
  std::vector<std::string> names;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
      std::string name;
      std::getline(comm, name);
      names.push_back(name);
    }
    closedir(d);
  }
  return names;
}

}  // namespace

// Configuration-specific: it tests Options::thread_name_prefix (names do not depend on the other options).
TEST_CASE("workers start eagerly and carry kernel names <prefix>_<i>, cut to 15 bytes", "[behaviour]") {
  {
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .thread_name_prefix = "named"});
    // Eager start: the names are there without submitting anything. A worker names
    // itself first thing, so wait for both without assuming speed.
    std::vector<std::string> names;
    for (int tries = 0; tries < 3000; ++tries) {
      names = thread_names();
      if (std::count(names.begin(), names.end(), "named_0") + std::count(names.begin(), names.end(), "named_1") == 2)
        break;
      std::this_thread::sleep_for(1ms);
    }
    REQUIRE(std::count(names.begin(), names.end(), "named_0") == 1);
    REQUIRE(std::count(names.begin(), names.end(), "named_1") == 1);
  }
  {
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 1, .thread_name_prefix = "a_very_long_prefix_name"});
    char name[32] = {};
    ex.submit([&] { pthread_getname_np(pthread_self(), name, sizeof name); }).result(kHang);
    REQUIRE(std::string(name) == std::string("a_very_long_prefix_name_0").substr(0, 15));
  }
  {
    tpx::ThreadPoolExecutor ex(1);  // no prefix: "tpx_<i>"
    char name[32] = {};
    ex.submit([&] { pthread_getname_np(pthread_self(), name, sizeof name); }).result(kHang);
    REQUIRE(std::string(name) == "tpx_0");
  }
}

// Configuration-specific: it tests Options::pinning itself (cores and pus).
TEST_CASE("pinned workers are bound to one core each, within the affinity mask", "[behaviour]") {
  for (auto pinning : {tpx::Pinning::cores, tpx::Pinning::pus}) {
    const std::size_t n = tpx::default_max_workers();
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = n, .pinning = pinning});
    cpu_set_t process;
    CPU_ZERO(&process);
    sched_getaffinity(0, sizeof process, &process);
    std::atomic<int> outside{0}, narrowed{0};
    std::vector<tpx::Future<void>> fs;
    for (std::size_t i = 0; i < 4 * n; ++i)
      fs.push_back(ex.submit([&] {
        cpu_set_t mine;
        CPU_ZERO(&mine);
        pthread_getaffinity_np(pthread_self(), sizeof mine, &mine);
        for (int c = 0; c < CPU_SETSIZE; ++c)
          if (CPU_ISSET(c, &mine) && !CPU_ISSET(c, &process)) outside.fetch_add(1);
        if (n == 1 || CPU_COUNT(&mine) < CPU_COUNT(&process)) narrowed.fetch_add(1);
      }));
    for (auto& f : fs) f.result(kHang);
    REQUIRE(outside.load() == 0);
    REQUIRE(narrowed.load() == static_cast<int>(4 * n));
  }
}

// Configuration-specific: it tests Options::pinning itself (none).
TEST_CASE("Pinning::none leaves workers on the whole affinity mask", "[behaviour]") {
  tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2, .pinning = tpx::Pinning::none});
  const int expected = static_cast<int>(affinity_cpu_count());
  int seen = -1;
  ex.submit([&] {
      cpu_set_t mine;
      CPU_ZERO(&mine);
      pthread_getaffinity_np(pthread_self(), sizeof mine, &mine);
      seen = CPU_COUNT(&mine);
    }).result(kHang);
  REQUIRE(seen == expected);
}

TEST_CASE("tasks run on the pool's workers, in parallel", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  const std::size_t n = set.workers(2);
  tpx::ThreadPoolExecutor ex(set.options(2));
  // Every task must be running at once to pass the latch: proves n workers serve.
  std::latch all(static_cast<std::ptrdiff_t>(n));
  std::vector<tpx::Future<std::thread::id>> fs;
  for (std::size_t i = 0; i < n; ++i)
    fs.push_back(ex.submit([&] {
      all.arrive_and_wait();
      return std::this_thread::get_id();
    }));
  // Not result() first: with caller_runs it would run a still-queued task here.
  all.wait();
  std::set<std::thread::id> ids;
  for (auto& f : fs) ids.insert(f.result(kHang));
  REQUIRE(ids.size() == n);
  REQUIRE(ids.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("post runs fire-and-forget tasks; their exceptions are reported, workers survive", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::atomic<int> reported{0};
  std::string where;
  std::mutex mu;
  auto previous = tpx::set_error_reporter([&](std::exception_ptr, std::string_view w) {
    std::lock_guard lock(mu);
    where = std::string(w);
    reported.fetch_add(1);
  });
  {
    tpx::ThreadPoolExecutor ex(set.options(1));
    std::atomic<int> ran{0};
    for (int i = 0; i < 10; ++i) ex.post([] { throw std::runtime_error("posted failure"); });
    for (int i = 0; i < 10; ++i) ex.post([&] { ran.fetch_add(1); });
    ex.shutdown(true);
    REQUIRE(ran.load() == 10);  // the single worker survived ten exceptions
  }
  tpx::set_error_reporter(previous);
  REQUIRE(reported.load() == 10);
  REQUIRE(where.find("post") != std::string::npos);
}

TEST_CASE("the initializer runs once in each worker before any task", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::atomic<int> inits{0};
  thread_local bool initialized = false;
  std::atomic<int> uninitialized_runs{0};
  std::atomic<int> ran_on_caller{0};
  const auto caller = std::this_thread::get_id();
  {
    auto options = set.options(3);
    options.initializer = [&] {
      initialized = true;
      inits.fetch_add(1);
    };
    tpx::ThreadPoolExecutor ex(options);
    std::vector<tpx::Future<void>> fs;
    for (int i = 0; i < 100; ++i)
      fs.push_back(ex.submit([&] {
        // With caller_runs, result() runs a still-queued task here, outside the
        // pool and without the initializer (Options::caller_runs says so).
        if (std::this_thread::get_id() == caller)
          ran_on_caller.fetch_add(1);
        else if (!initialized)
          uninitialized_runs.fetch_add(1);
      }));
    for (auto& f : fs) f.result(kHang);
  }
  REQUIRE(inits.load() == static_cast<int>(set.workers(3)));
  REQUIRE(uninitialized_runs.load() == 0);
  if (!set.caller_runs) REQUIRE(ran_on_caller.load() == 0);
}

TEST_CASE("an initializer that throws breaks the pool", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  std::latch submitted(1);
  auto options = set.options(1);
  options.initializer = [&] {
    submitted.wait();  // let the test queue work first
    throw std::runtime_error("no database");
  };
  tpx::ThreadPoolExecutor ex(options);
  std::atomic<int> ran{0};
  std::vector<tpx::Future<int>> pending;
  for (int i = 0; i < 5; ++i) pending.push_back(ex.submit([&] { return ran.fetch_add(1); }));
  submitted.count_down();
  // With caller_runs, result() on a task the pool has not failed yet runs it
  // here (the pool is not broken yet). as_completed never runs a task on this
  // thread (wait(all_completed) does, with caller_runs), so it sees the pool fail every one.
  if (set.caller_runs)
    for (const auto& f : tpx::as_completed(pending, kHang)) REQUIRE(f.done());
  for (auto& f : pending) {
    REQUIRE_THROWS_AS(f.result(kHang), tpx::BrokenExecutor);
    REQUIRE_FALSE(f.cancelled());
  }
  REQUIRE_THROWS_WITH(pending[0].result(), Catch::Contains("no database"));
  REQUIRE(ran.load() == 0);
  REQUIRE_THROWS_AS(ex.submit([] { return 1; }), tpx::BrokenExecutor);
  REQUIRE_THROWS_WITH(ex.post([] {}), Catch::Contains("no database"));
  ex.shutdown(true);  // still shuts down cleanly
}

TEST_CASE("caller_runs: result() on a still-queued task runs it on the calling thread", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());  // the sets cover caller_runs false and true
  INFO("option set: " << set.name);
  tpx_test::HeldPool held(set.options(1));  // the only worker is busy: the next task stays queued
  auto& ex = held.ex;
  auto queued = ex.submit([] { return std::this_thread::get_id(); });
  if (set.caller_runs) {
    REQUIRE(queued.result(kHang) == std::this_thread::get_id());  // ran here, while the worker is blocked
    held.release();
  } else {
    REQUIRE_THROWS_AS(queued.result(20ms), tpx::TimeoutError);  // waits for the worker instead
    held.release();
    REQUIRE(queued.result(kHang) != std::this_thread::get_id());
  }
  held.blocker.result(kHang);
}

TEST_CASE("caller_runs: iterating a map runs the chunks no worker started on the calling thread", "[behaviour]") {
  const auto set = GENERATE(tpx_test::option_sets());
  INFO("option set: " << set.name);
  // The only worker is blocked (with caller_runs, until the map has been consumed).
  tpx_test::HeldPool held(set.options(1));
  auto& ex = held.ex;
  const auto me = std::this_thread::get_id();
  auto results = ex.map([](int x) { return std::pair(x * x, std::this_thread::get_id()); }, std::vector<int>{1, 2, 3});
  if (!set.caller_runs) held.release();  // without caller_runs iterating waits for the worker
  std::vector<int> squares;
  int ran_here = 0;
  for (auto [sq, who] : results) {
    squares.push_back(sq);
    ran_here += who == me;
  }
  if (set.caller_runs) held.release();
  held.blocker.result(kHang);
  REQUIRE(squares == std::vector<int>{1, 4, 9});
  REQUIRE(ran_here == (set.caller_runs ? 3 : 0));
}
