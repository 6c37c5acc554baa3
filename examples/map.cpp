// examples/map.cpp — tpx counterpart of the tutorial's executor.map program:
//
//     from time import sleep
//     from concurrent.futures import ThreadPoolExecutor
//     import threading
//
//     def task(id, n):
//         print(f"thread {id} started")
//         print(f"thread {id} : {threading.get_ident()}")
//         sleep(n)
//         print(f"thread {id} completed")
//
//     with ThreadPoolExecutor() as executor:
//         executor.map(task, [1, 2, 3], [4, 3, 2])
//
// What differs:
// - tpx's map() is lazy about *delivering* results, and destroying its result
//   range before it is consumed cancels the calls that have not started yet.
//   Python's map submits everything and the `with` block waits regardless.
//   So here the result range is consumed. To show what map guarantees, task
//   returns a line and main prints the lines: they come in argument order
//   (1, 2, 3) although the tasks complete in the order 3, 2, 1.
// - As in submit.cpp: max_workers = 3 so the three calls run at once, the
//   scope plays the part of `with`, lines print whole, --scale S multiplies
//   the sleeps.
#include <tpx/tpx.hpp>

#include <array>
#include <chrono>
#include <string>
#include <thread>

#include "common/cli.hpp"

namespace {

double g_scale = 1.0;  // set once by main before any task exists

std::string task(int id, int n) {
  examples::say("thread ", id, " started");
  examples::say("thread ", id, " : ", std::this_thread::get_id(), " (", examples::this_thread_name(), ")");
  std::this_thread::sleep_for(examples::scaled_seconds(n, g_scale));
  examples::say("thread ", id, " completed");
  return "task(" + std::to_string(id) + ", " + std::to_string(n) + ") returned";
}

}  // namespace

int main(int argc, char** argv) {
  examples::Program program{
      .name = "map",
      .args = "",
      .summary = "Runs executor.map(task, {1, 2, 3}, {4, 3, 2}): task(id, n) prints when it\n"
                 "starts, its thread, and when it completes after sleeping n seconds; then\n"
                 "the results are printed in argument order. Mirrors the tutorial's\n"
                 "executor.map program.",
      .flags = {examples::scale_flag(g_scale)},
  };
  if (auto exit_code = examples::parse_command_line(program, argc, argv)) return *exit_code;

  const std::array ids{1, 2, 3};
  const std::array seconds{4, 3, 2};
  tpx::ThreadPoolExecutor executor(tpx::Options{
      .max_workers = 3, .thread_name_prefix = "tut", .pinning = tpx::Pinning::none});
  // Two ranges, zipped like Python's map: task(1, 4), task(2, 3), task(3, 2).
  for (const std::string& line : executor.map(task, ids, seconds)) {
    examples::say("map result: ", line);
  }
  return examples::kExitOk;
}
