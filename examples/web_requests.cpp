// examples/web_requests.cpp — tpx counterpart of the tutorial's web requests
// program:
//
//     import requests
//     import concurrent.futures
//     import time
//
//     def get_status(url):
//         resp = requests.get(url=url)
//         return resp.status_code
//
//     urls = ['http://webcode.me', 'https://httpbin.org/get', 'https://google.com',
//             'https://stackoverflow.com', 'https://github.com', 'https://clojure.org',
//             'https://fsharp.org']
//
//     tm1 = time.perf_counter()
//     with concurrent.futures.ThreadPoolExecutor() as executor:
//         futures = []
//         for url in urls:
//             futures.append(executor.submit(get_status, url=url))
//         for future in concurrent.futures.as_completed(futures):
//             print(future.result())
//     tm2 = time.perf_counter()
//     print(f'elapsed {tm2-tm1:0.2f} seconds')
//
// The requests overlap, so the elapsed time is about the slowest request, not
// the sum.
//
// What differs:
// - With no arguments it needs no internet: it starts its own HTTP server on
//   127.0.0.1 (cpp-httplib) and requests a fast path, two slow ones, a path
//   that answers 404, and a port where nothing listens (connection refused).
//   `web_requests URL...` requests those URLs instead.
// - The client is cpp-httplib, not requests. It follows redirects as requests
//   does. https:// works when cpp-httplib was built with OpenSSL (Debian's is);
//   otherwise such a URL reports a clear error.
// - A failed request does not end the program as an uncaught exception would
//   in Python: get_status throws, the exception travels through the future,
//   and result() rethrows it where main prints it as an "error" line.
// - Each line names its URL, since as_completed gives no order to go by.
// - One worker per URL (up to 32, Python's cap); --scale S multiplies the
//   local server's delays (the smoke test runs with 0.1).
// - get_status and the local server live in common/http.hpp, shared with
//   web_requests_coro.cpp: the same program written with coroutines.
#include <tpx/tpx.hpp>

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "common/cli.hpp"
#include "common/http.hpp"

int main(int argc, char** argv) {
  double scale = 1.0;
  std::vector<std::string> urls;
  examples::Program program{
      .name = "web_requests",
      .args = "[URL...]",
      .summary = "Fetches the HTTP status code of several URLs concurrently and prints each\n"
                 "as it arrives, then the elapsed seconds. Without URLs it serves its own\n"
                 "on 127.0.0.1 (a fast path, two slow ones, one 404, one refused port), so\n"
                 "it needs no network. Mirrors the tutorial's web requests program.",
      .flags = {examples::local_scale_flag(scale)},
      .positional = &urls,
  };
  if (auto exit_code = examples::parse_command_line(program, argc, argv)) return *exit_code;

  std::optional<examples::LocalSite> site;
  if (urls.empty()) {
    try {
      urls = site.emplace(scale).urls();
    } catch (const std::exception& e) {
      examples::complain("web_requests: cannot start the local server: ", e.what());
      return examples::kExitFailure;
    }
  }

  const examples::Stopwatch stopwatch;
  {
    tpx::ThreadPoolExecutor executor(tpx::Options{
        .max_workers = std::min<std::size_t>(urls.size(), 32),
        .thread_name_prefix = "web",
        .pinning = tpx::Pinning::none});
    std::vector<tpx::Future<examples::Fetched>> futures;
    futures.reserve(urls.size());
    for (const std::string& url : urls) futures.push_back(executor.submit(examples::get_status, url));
    for (const tpx::Future<examples::Fetched>& future : tpx::as_completed(futures)) {
      try {
        const examples::Fetched& fetched = future.result();
        examples::say(fetched.status, " ", fetched.url);
      } catch (const std::exception& e) {
        examples::say("error ", e.what());
      }
    }
  }
  examples::say("elapsed ", examples::fixed2(stopwatch.seconds()), " seconds");
  return examples::kExitOk;
}
