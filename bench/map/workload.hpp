// map: f(x) = x * x (as int64) over config().map_items ints 0..N-1, results
// consumed in order (summed and checked), with chunk = 1 (a task per item),
// chunk = 1024, and chunk:0, which stands for one chunk per worker (chunk
// size ceil(N / threads), the coarsest split that still gives every worker
// a share: the least scheduling a pool can get away with; the counter
// `chunk` and the label give the size it became). Contenders with a map
// (tpx: ex.map with MapOptions::chunksize; onetbb: parallel_for with
// simple_partitioner at grain = chunk) use it; the others submit one task
// per chunk writing its slice of the output, then wait for the futures in
// order and read the output.
#pragma once

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

inline std::int64_t square(int x) { return static_cast<std::int64_t>(x) * x; }

// `impl(pool, input, chunk)` returns the sum of the mapped results.
template <Contender Pool, class Impl>
void run_map(benchmark::State& state, Impl impl, std::string note = {}) {
  const int threads = static_cast<int>(state.range(0));
  const std::size_t wanted = config().map_items;
  const bool per_worker = state.range(1) == 0;
  const auto chunk = per_worker ? (wanted + static_cast<std::size_t>(threads) - 1) / static_cast<std::size_t>(threads)
                                : static_cast<std::size_t>(state.range(1));
  if (per_worker) {
    note = (note.empty() ? "" : note + ", ") + "one chunk per worker (" + std::to_string(chunk) + " items)";
  }
  const std::size_t tasks = task_count<Pool>((wanted + chunk - 1) / chunk);
  const std::size_t items = std::min(wanted, tasks * chunk);
  std::vector<int> input(items);
  std::iota(input.begin(), input.end(), 0);
  std::int64_t expect = 0;
  for (int x : input) expect += square(x);
  Pool pool(static_cast<std::size_t>(threads));
  bool wrong = false;
  measure(state, items, [&] { wrong |= impl(pool, std::span<const int>(input), chunk) != expect; });
  if (wrong) state.SkipWithError("wrong map result");
  state.counters["chunk"] = static_cast<double>(chunk);
  state.counters["items"] = static_cast<double>(items);
  label_pool<Pool>(state, pool, threads, items, wanted, std::move(note));
}

// Futures over chunks: what a user of a pool without map writes.
template <Contender Pool>
std::int64_t map_by_chunks(Pool& pool, std::span<const int> in, std::size_t chunk) {
  std::vector<std::int64_t> out(in.size());
  using Future = decltype(pool.submit([] {}));
  std::vector<Future> futures;
  futures.reserve((in.size() + chunk - 1) / chunk);
  for (std::size_t begin = 0; begin < in.size(); begin += chunk) {
    const std::size_t end = std::min(in.size(), begin + chunk);
    futures.push_back(pool.submit([&in, &out, begin, end] {
      for (std::size_t i = begin; i < end; ++i) out[i] = square(in[i]);
    }));
  }
  std::int64_t sum = 0;
  std::size_t next = 0;
  for (auto& f : futures) {
    Pool::get(f);
    const std::size_t end = std::min(in.size(), next + chunk);
    for (; next < end; ++next) sum += out[next];
  }
  return sum;
}

// `fn` is the body: a contender with a map of its own (map/tpx.cpp,
// map/onetbb.cpp) registers it here.
template <Contender Pool, class Fn>
void register_map_with(Fn fn) {
  auto* b = register_wall("map", Pool::kName, fn);
  b->ArgNames({"threads", "chunk"});
  for (int t : config().cpu_threads)
    for (int c : config().map_chunks) b->Args({t, c});
}

// Every other contender: a task per chunk.
template <Contender Pool>
void register_map() {
  register_map_with<Pool>([](benchmark::State& s) { run_map<Pool>(s, map_by_chunks<Pool>); });
}

}  // namespace tpx::bench
