// A worker that cannot start [behaviour]: no more threads, no more memory;
// the constructor throws and leaves nothing behind.
// In tpx_reliability_tests: it arms the allocation hook.
#include <catch2/catch.hpp>

#include <grp.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <new>
#include <string>
#include <system_error>
#include <thread>

#include <tpx/tpx.hpp>

#include "support/alloc_hook.hpp"
#include "support/process.hpp"
#include "support/support.hpp"

using tpx_test::kHang;

namespace {

// Runs `child` in a forked process; returns its exit status (or 128 + signal).
template <class F>
int in_child(F&& child) {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(child());
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("a worker thread that cannot be created: the constructor throws system_error and leaks no thread",
          "[behaviour]") {
  // RLIMIT_NPROC caps the threads of the real user id; root bypasses it, so a
  // root child first becomes nobody (65534). The child allows itself exactly
  // two more threads and asks for four workers.
  const int rc = in_child([]() -> int {
    if (getuid() == 0) {
      if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) return 10;
    }
    const std::size_t mine = tpx_test::thread_count();
    // Other processes of this user count too: measure the room honestly by creating threads.
    rlimit lim{};
    if (getrlimit(RLIMIT_NPROC, &lim) != 0) return 11;
    // Find how many tasks this uid has now by lowering the limit until a thread fails.
    std::size_t room = 0;
    for (rlim_t cap = 1; cap < 100000; ++cap) {
      rlimit l{cap, lim.rlim_max};
      if (setrlimit(RLIMIT_NPROC, &l) != 0) return 12;
      try {
        std::thread t([] {});
        t.join();
        room = cap;  // the current tasks of this uid fit below cap, plus one
        break;
      } catch (const std::system_error&) {
      }
    }
    if (room == 0) return 13;
    // cap = room is (tasks of uid) + 1: allow two more threads than we have now.
    rlimit two_more{room + 1, lim.rlim_max};
    if (setrlimit(RLIMIT_NPROC, &two_more) != 0) return 14;
    try {
      tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 4, .pinning = tpx::Pinning::none});
      return 20;  // all four started: the limit did not apply
    } catch (const std::system_error& e) {
      const std::string what = e.what();
      if (what.find("could not start worker 2 of 4") == std::string::npos) {
        std::fprintf(stderr, "unexpected message: %s\n", e.what());
        return 21;
      }
      if (e.code() != std::errc::resource_unavailable_try_again) return 22;
    }
    if (tpx_test::settle_thread_count(mine) != mine) return 23;  // the two started workers were joined
    // With the limit lifted, a new executor works in the same process.
    rlimit back{lim.rlim_cur, lim.rlim_max};
    if (setrlimit(RLIMIT_NPROC, &back) != 0) return 15;
    tpx::ThreadPoolExecutor ok(tpx::Options{.max_workers = 2, .pinning = tpx::Pinning::none});
    return ok.submit([] { return 0; }).result(kHang);
  });
  INFO("child exit code " << rc << " (10: could not drop root; 2x: see the test's returns)");
  REQUIRE(rc == 0);
}

TEST_CASE("allocation failure while starting workers: the constructor throws bad_alloc and leaks no thread",
          "[behaviour]") {
  // Sweep over the allocations the constructor makes (std::thread's state among
  // them) and fail each in turn. Start and join one thread first: runtimes such
  // as ThreadSanitizer start a background thread of their own at the process's
  // first pthread_create, which would otherwise count as a leak.
  std::thread([] {}).join();
  const std::size_t before = tpx_test::settle_thread_count(tpx_test::thread_count());
  bool completed_clean = false;
  for (unsigned skip = 0; skip < 400 && !completed_clean; ++skip) {
    INFO("failing allocation #" << skip << " of the constructor");
    bool threw = false;
    {
      try {
        tpx_test::alloc::Armed armed(skip, 1);
        tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 3, .pinning = tpx::Pinning::none});
        completed_clean = tpx_test::alloc::injected() == 0;
        tpx_test::alloc::disarm();
        REQUIRE(ex.submit([] { return 3; }).result(kHang) == 3);
      } catch (const std::bad_alloc&) {
        threw = true;
      }
    }
    if (threw) REQUIRE(tpx_test::settle_thread_count(before) <= before);
  }
  REQUIRE(completed_clean);
}
