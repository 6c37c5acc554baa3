// bulk: a parallel loop, out[i] = f(in[i]) with f(x) = x * x as int64 (map's
// f) over config().bulk_items ints 0..N-1, into a preallocated output; the
// loop returns when every item is written. Nothing is read back inside the
// measured region (map's rows read their results in order; this is the loop
// alone). Each contender writes it its own natural way with the same body:
//   tpx     ex.bulk(n, body(begin, end)), automatic grain; the caller takes
//           part (bulk/tpx.cpp)
//   onetbb  tbb::parallel_for over blocked_range(0, n) with the default
//           auto_partitioner, in the pool's arena (bulk/onetbb.cpp)
//   others  what a user of a pool without a loop writes: one task per worker,
//           each over a contiguous slice, then wait for all of them
// The output is filled with a sentinel before the first batch and checked
// after the last: an item no batch wrote fails the row.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"

namespace tpx::bench {

inline std::int64_t bulk_f(int x) { return static_cast<std::int64_t>(x) * x; }

// The body every contender runs over its sub-ranges.
inline void bulk_body(std::span<const int> in, std::span<std::int64_t> out, std::size_t begin, std::size_t end) {
  for (std::size_t i = begin; i < end; ++i) out[i] = bulk_f(in[i]);
}

// `impl(pool, in, out, threads)` runs the loop once.
template <Contender Pool, class Impl>
void run_bulk(benchmark::State& state, Impl impl, std::string note) {
  const int threads = static_cast<int>(state.range(0));
  const std::size_t items = config().bulk_items;
  std::vector<int> input(items);
  std::iota(input.begin(), input.end(), 0);
  std::vector<std::int64_t> output(items, -1);
  const std::span<const int> in(input);
  const std::span<std::int64_t> out(output);
  Pool pool(static_cast<std::size_t>(threads));
  measure(state, items, [&] { impl(pool, in, out, static_cast<std::size_t>(threads)); });
  for (std::size_t i = 0; i < items; ++i) {
    if (output[i] != bulk_f(input[i])) {
      state.SkipWithError("wrong bulk result");
      break;
    }
  }
  state.counters["items"] = static_cast<double>(items);
  label_pool<Pool>(state, pool, threads, items, items, std::move(note));
}

// One task per worker over a contiguous slice; thread-per-task contenders
// (std_async) start as many threads.
template <Contender Pool>
void bulk_by_chunks(Pool& pool, std::span<const int> in, std::span<std::int64_t> out, std::size_t chunks) {
  const std::size_t per = (in.size() + chunks - 1) / chunks;
  using Future = decltype(pool.submit([] {}));
  std::vector<Future> futures;
  futures.reserve(chunks);
  for (std::size_t begin = 0; begin < in.size(); begin += per) {
    const std::size_t end = std::min(in.size(), begin + per);
    futures.push_back(pool.submit([in, out, begin, end] { bulk_body(in, out, begin, end); }));
  }
  Pool::wait_all(futures);
}

// `fn` is the body: a contender with a loop of its own (bulk/tpx.cpp,
// bulk/onetbb.cpp) registers it here.
template <Contender Pool, class Fn>
void register_bulk_with(Fn fn) {
  args_1(register_wall("bulk", Pool::kName, fn), "threads", config().cpu_threads);
}

// Every other contender: one task per worker.
template <Contender Pool>
void register_bulk() {
  register_bulk_with<Pool>(
      [](benchmark::State& s) { run_bulk<Pool>(s, bulk_by_chunks<Pool>, "one task per worker"); });
}

}  // namespace tpx::bench
