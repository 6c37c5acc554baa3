// http_loopback: config().http_requests GETs of a 64-byte page from an
// HTTP server on 127.0.0.1 (http_loopback/http_server.hpp), each task opening its
// own connection (connect, GET, close), with as many workers as concurrent
// requests (16, 64). Figure: requests_per_s; failed requests are counted in
// `errors` and fail the row.
#pragma once

#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"
#include "http_loopback/http_server.hpp"

namespace tpx::bench {

template <Contender Pool>
void bm_http_loopback(benchmark::State& state) {
  const int workers = static_cast<int>(state.range(0));
  const int port = http_server_port();
  if (port == 0) {
    state.SkipWithError("loopback HTTP server did not start");
    return;
  }
  const std::size_t wanted = config().http_requests;
  const std::size_t n = task_count<Pool>(wanted);
  Pool pool(static_cast<std::size_t>(workers));
  using Future = decltype(pool.submit([port] { return http_get_once(port); }));
  std::vector<Future> futures;
  futures.reserve(n);
  long errors = 0;
  const double wall = measure(state, n, [&] {
    futures.clear();
    for (std::size_t i = 0; i < n; ++i) futures.push_back(pool.submit([port] { return http_get_once(port); }));
    for (auto& f : futures) errors += Pool::get(f) < 0 ? 1 : 0;
  });
  state.counters["requests_per_s"] = static_cast<double>(n) * 1e9 / wall;
  state.counters["errors"] = static_cast<double>(errors);
  if (errors > 0) state.SkipWithError("some HTTP requests failed");
  label_pool<Pool>(state, pool, workers, n, wanted);
}

template <Contender Pool>
void register_http_loopback() {
  args_1(register_wall("http_loopback", Pool::kName, bm_http_loopback<Pool>), "workers", config().http_workers);
}

}  // namespace tpx::bench
