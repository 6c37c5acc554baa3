// examples/web_requests_coro.cpp — the tutorial's web requests program (see
// web_requests.cpp) written with C++20 coroutines. Python's coroutine version
// of it is asyncio's, with the blocking requests.get handed to the pool:
//
//     import asyncio
//     import concurrent.futures
//     import time
//     import requests
//
//     def get_status(url):
//         resp = requests.get(url=url)
//         return resp.status_code
//
//     async def report(executor, url):
//         loop = asyncio.get_running_loop()
//         try:
//             status = await loop.run_in_executor(executor, get_status, url)
//             print(status, url)
//         except Exception as e:
//             print('error', url, e)
//
//     async def main():
//         tm1 = time.perf_counter()
//         with concurrent.futures.ThreadPoolExecutor() as executor:
//             await asyncio.gather(*(report(executor, url) for url in urls))
//         tm2 = time.perf_counter()
//         print(f'elapsed {tm2-tm1:0.2f} seconds')
//
//     asyncio.run(main())
//
// Same command line, same local server, same output lines as web_requests
// (get_status and the server are shared, in common/http.hpp), so the two can
// be read, and run, side by side. The difference is who prints: there, main
// takes the futures back with tpx::as_completed and prints each result; here,
// each request is one coroutine that awaits its own result and prints it,
// and main only waits for the coroutines to end.
//
// What differs from asyncio, and why the program is shaped this way:
// - There is no event loop. `co_await executor.submit(get_status, url)` (the
//   run_in_executor line) suspends the coroutine without blocking a thread and
//   resumes it on the thread that completed the future: the worker that just
//   ran get_status, right after the GET (or main itself, should the GET have
//   finished before the co_await looked). So the lines come out in completion
//   order with no as_completed, as the requests finish. asyncio would instead
//   hop back to its loop's thread. The code after the co_await holds that
//   worker, so it stays short: one line printed.
// - report returns tpx::Future<void>: a coroutine in tpx is started at once
//   and runs on the caller's thread until its first suspension, here until it
//   has handed its GET (with --via schedule: itself) to the pool. So main's
//   loop starts every request without waiting for any, then waits for the
//   coroutines with result(), in list order, as asyncio.gather would. The
//   order of waiting does not matter: main prints nothing until "elapsed".
// - Not as_completed over the coroutines' futures, though they are ordinary
//   futures and that would work: printing would move back into main, and the
//   coroutine would be a submit() with extra steps.
// - Two ways to get the blocking GET off main, --via submit|schedule. The
//   default, submit, awaits a future: get_status stays the plain function the
//   as_completed version submits, and its FetchError is rethrown at the
//   co_await into an ordinary catch. `co_await executor.schedule()` instead
//   queues the rest of the coroutine itself as the pool's task, and the
//   worker that runs it calls get_status inline: one future fewer per URL,
//   and the GET and its line always run on the same worker. Both print the
//   same lines.
// - The URL is taken by value: a coroutine keeps its reference parameters as
//   references and runs on after the call has returned, so a const
//   std::string& bound to a temporary would dangle by the time it resumes.
//   (The strings in main's vector would outlive it; the habit is cheaper than
//   the check.) The executor is taken by reference on purpose: main keeps it
//   alive until every coroutine has finished (result() before its scope ends).
// - The GET's result is copied out of the co_await: what co_await on a future
//   yields is a reference into that future's state, and the future here is a
//   temporary that ends with the statement.
// - As in web_requests: no internet needed without URLs, one worker per URL
//   (up to 32), --scale S multiplies the local server's delays.
#include <tpx/tpx.hpp>

#include <algorithm>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/cli.hpp"
#include "common/http.hpp"

namespace {

enum class Via { submit, schedule };

// One request, start to finish, written as sequential code.
tpx::Future<void> report(tpx::ThreadPoolExecutor& executor, std::string url, Via via) {
  try {
    examples::Fetched fetched;
    if (via == Via::submit) {
      // From here on: the worker that ran the GET.
      fetched = co_await executor.submit(examples::get_status, url);
    } else {
      co_await executor.schedule();  // from here on: a worker
      fetched = examples::get_status(url);
    }
    examples::say(fetched.status, " ", fetched.url);
  } catch (const std::exception& e) {
    examples::say("error ", e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  double scale = 1.0;
  Via via = Via::submit;
  std::vector<std::string> urls;
  examples::Program program{
      .name = "web_requests_coro",
      .args = "[URL...]",
      .summary = "web_requests written with coroutines: one coroutine per URL awaits its\n"
                 "GET on the pool and prints the status code as it arrives, then main\n"
                 "prints the elapsed seconds. Without URLs it serves its own on 127.0.0.1\n"
                 "(a fast path, two slow ones, one 404, one refused port), so it needs no\n"
                 "network.",
      .flags = {examples::local_scale_flag(scale),
                {"--via", "V",
                 "submit: co_await executor.submit(get_status, url) (default);\n"
                 "                     schedule: co_await executor.schedule(), then get_status(url)",
                 [&via](std::string_view v) {
                   if (v != "submit" && v != "schedule")
                     throw std::invalid_argument("expected submit or schedule, got '" + std::string(v) + "'");
                   via = v == "submit" ? Via::submit : Via::schedule;
                 }}},
      .positional = &urls,
  };
  if (auto exit_code = examples::parse_command_line(program, argc, argv)) return *exit_code;

  std::optional<examples::LocalSite> site;
  if (urls.empty()) {
    try {
      urls = site.emplace(scale).urls();
    } catch (const std::exception& e) {
      examples::complain("web_requests_coro: cannot start the local server: ", e.what());
      return examples::kExitFailure;
    }
  }

  const examples::Stopwatch stopwatch;
  {
    tpx::ThreadPoolExecutor executor(tpx::Options{
        .max_workers = std::min<std::size_t>(urls.size(), 32),
        .thread_name_prefix = "web",
        .pinning = tpx::Pinning::none});
    std::vector<tpx::Future<void>> reports;
    reports.reserve(urls.size());
    for (const std::string& url : urls) reports.push_back(report(executor, url, via));
    // report catches what a request can throw, so result() here only waits.
    for (const tpx::Future<void>& done : reports) done.result();
  }
  examples::say("elapsed ", examples::fixed2(stopwatch.seconds()), " seconds");
  return examples::kExitOk;
}
