// examples/as_completed.cpp — tpx counterpart of the tutorial's as_completed
// program:
//
//     from time import sleep, perf_counter
//     import random
//     from concurrent.futures import ThreadPoolExecutor, as_completed
//
//     def task(tid):
//         r = random.randint(1, 5)
//         sleep(r)
//         return f"finished task {tid}, slept {r}"
//
//     start = perf_counter()
//     with ThreadPoolExecutor() as executor:
//         tids = [1, 2, 3, 4, 5]
//         futures = [executor.submit(task, tid) for tid in tids]
//         for future in as_completed(futures):
//             print(future.result())
//     finish = perf_counter()
//     print(f"It took {finish-start:.2f} second(s) to finish.")
//
// The results print in completion order: the shortest sleep first.
//
// What differs:
// - tpx::as_completed yields tpx::Future<T> (like Python) and accepts any
//   range of futures; a std::vector here.
// - Each task draws its sleep from its own generator seeded from (seed, tid)
//   (see common/random_sleep.hpp); --seed N makes a run repeatable.
// - max_workers = 5 so all tasks run at once; --scale S multiplies the sleeps
//   (the smoke test runs with 0.2); "slept r" reports the unscaled r.
#include <tpx/tpx.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/cli.hpp"
#include "common/random_sleep.hpp"

namespace {

double g_scale = 1.0;      // set once by main before any task exists
std::uint64_t g_seed = 0;  // likewise

std::string task(int tid) {
  const int r = examples::randint_1_to_5(g_seed, tid);
  std::this_thread::sleep_for(examples::scaled_seconds(r, g_scale));
  return "finished task " + std::to_string(tid) + ", slept " + std::to_string(r);
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::uint64_t> seed;
  examples::Program program{
      .name = "as_completed",
      .args = "",
      .summary = "Submits five tasks that sleep a random 1-5 seconds and return a message,\n"
                 "prints the results as the tasks complete (shortest sleep first), then the\n"
                 "elapsed time. Mirrors the tutorial's as_completed program.",
      .flags = {examples::scale_flag(g_scale), examples::seed_flag(seed)},
  };
  if (auto exit_code = examples::parse_command_line(program, argc, argv)) return *exit_code;
  g_seed = seed.value_or(examples::fresh_seed());

  const examples::Stopwatch stopwatch;
  {
    tpx::ThreadPoolExecutor executor(tpx::Options{
        .max_workers = 5, .thread_name_prefix = "tut", .pinning = tpx::Pinning::none});
    const std::vector tids{1, 2, 3, 4, 5};
    std::vector<tpx::Future<std::string>> futures;
    for (int tid : tids) futures.push_back(executor.submit(task, tid));
    for (const tpx::Future<std::string>& future : tpx::as_completed(futures)) {
      examples::say(future.result());
    }
  }
  examples::say("It took ", examples::fixed2(stopwatch.seconds()), " second(s) to finish.");
  return examples::kExitOk;
}
