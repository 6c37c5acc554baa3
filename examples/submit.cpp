// examples/submit.cpp — tpx counterpart of the tutorial's first program:
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
//         executor.submit(task, 1, 4)
//         executor.submit(task, 2, 3)
//         executor.submit(task, 3, 2)
//
// What differs:
// - The `with` block is a C++ scope: the executor's destructor is
//   shutdown(wait = true), so all three tasks finish before main returns.
// - max_workers is 3 so that the three tasks run at once, as they do under
//   Python's default of min(32, cpus + 4) workers; tpx's default is the number
//   of cores, which may be fewer. Workers are not pinned: tasks that sleep
//   gain nothing from it.
// - Each line is printed whole (examples::say), and the thread line also shows
//   the worker's kernel name ("tut_0"...), which tpx sets from
//   thread_name_prefix.
// - --scale S multiplies the sleeps (the smoke test runs with 0.1).
#include <tpx/tpx.hpp>

#include <chrono>
#include <thread>

#include "common/cli.hpp"

namespace {

double g_scale = 1.0;  // set once by main before any task exists

void task(int id, int n) {
  examples::say("thread ", id, " started");
  examples::say("thread ", id, " : ", std::this_thread::get_id(), " (", examples::this_thread_name(), ")");
  std::this_thread::sleep_for(examples::scaled_seconds(n, g_scale));
  examples::say("thread ", id, " completed");
}

}  // namespace

int main(int argc, char** argv) {
  examples::Program program{
      .name = "submit",
      .args = "",
      .summary = "Submits task(1, 4), task(2, 3), task(3, 2) to a ThreadPoolExecutor used as a\n"
                 "scope; each task prints when it starts, its thread, and when it completes\n"
                 "after sleeping n seconds. Mirrors the tutorial's executor.submit program.",
      .flags = {examples::scale_flag(g_scale)},
  };
  if (auto exit_code = examples::parse_command_line(program, argc, argv)) return *exit_code;

  {
    tpx::ThreadPoolExecutor executor(tpx::Options{
        .max_workers = 3, .thread_name_prefix = "tut", .pinning = tpx::Pinning::none});
    executor.submit(task, 1, 4);
    executor.submit(task, 2, 3);
    executor.submit(task, 3, 2);
  }  // ~ThreadPoolExecutor(): waits for the three tasks, like leaving `with`
  return examples::kExitOk;
}
