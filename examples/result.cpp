// examples/result.cpp — tpx counterpart of the tutorial's Future.result program:
//
//     from time import sleep, perf_counter
//     import random
//     from concurrent.futures import ThreadPoolExecutor
//
//     def task(tid):
//         r = random.randint(1, 5)
//         sleep(r)
//         return f"finished task {tid}, slept {r}"
//
//     start = perf_counter()
//     with ThreadPoolExecutor() as executor:
//         t1 = executor.submit(task, 1)
//         t2 = executor.submit(task, 2)
//         t3 = executor.submit(task, 3)
//         print(t1.result())
//         print(t2.result())
//         print(t3.result())
//     finish = perf_counter()
//     print(f"It took {finish-start:.2f} second(s) to finish.")
//
// The results print in submission order (result() blocks until that task is
// done), and the whole run takes about as long as the longest task, not the
// sum of the three: the tasks sleep at the same time.
//
// What differs:
// - Each task draws its sleep from its own generator seeded from (seed, tid)
//   (see common/random_sleep.hpp); --seed N makes a run repeatable.
// - tpx's Future::result() returns a const reference to the stored value.
// - max_workers = 3 so the three tasks run at once; --scale S multiplies the
//   sleeps (the smoke test runs with 0.1); "slept r" reports the unscaled r.
#include <tpx/tpx.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>

#include "common/cli.hpp"
#include "common/random_sleep.hpp"

namespace {

double g_scale = 1.0;     // set once by main before any task exists
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
      .name = "result",
      .args = "",
      .summary = "Submits three tasks that sleep a random 1-5 seconds and return a message,\n"
                 "prints each result() in submission order, then the elapsed time (about\n"
                 "the longest task, not the sum). Mirrors the tutorial's Future.result program.",
      .flags = {examples::scale_flag(g_scale), examples::seed_flag(seed)},
  };
  if (auto exit_code = examples::parse_command_line(program, argc, argv)) return *exit_code;
  g_seed = seed.value_or(examples::fresh_seed());

  const examples::Stopwatch stopwatch;
  {
    tpx::ThreadPoolExecutor executor(tpx::Options{
        .max_workers = 3, .thread_name_prefix = "tut", .pinning = tpx::Pinning::none});
    auto t1 = executor.submit(task, 1);
    auto t2 = executor.submit(task, 2);
    auto t3 = executor.submit(task, 3);
    examples::say(t1.result());
    examples::say(t2.result());
    examples::say(t3.result());
  }
  examples::say("It took ", examples::fixed2(stopwatch.seconds()), " second(s) to finish.");
  return examples::kExitOk;
}
