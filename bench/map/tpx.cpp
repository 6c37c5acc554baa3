// map/tpx: ex.map(f, input) for chunk 1, ex.map(MapOptions{.chunksize}, ...)
// otherwise; the lazy result range is consumed in order.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "map/workload.hpp"

namespace tpx::bench {
namespace {

std::int64_t map_tpx(TpxPool& pool, std::span<const int> in, std::size_t chunk) {
  // A lambda, as the onetbb body calls square: both can inline it (a bare
  // `square` would decay to a function pointer, an indirect call per item).
  auto f = [](int x) { return square(x); };
  std::int64_t sum = 0;
  if (chunk == 1) {
    for (auto&& v : pool.executor().map(f, in)) sum += v;
  } else {
    for (auto&& v : pool.executor().map(tpx::MapOptions{.chunksize = chunk}, f, in)) sum += v;
  }
  return sum;
}

}  // namespace

TPX_BENCH_REGISTER(map_tpx) {
  register_map_with<TpxPool>([](benchmark::State& s) { run_map<TpxPool>(s, map_tpx); });
}
}  // namespace tpx::bench
