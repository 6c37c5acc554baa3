// map/onetbb: tbb::parallel_for over blocked_range(0, N, chunk) with
// simple_partitioner (chunks of exactly `chunk` items, like the others),
// in the pool's arena, writing the output; then the output is read in order.
// simple_partitioner halves a range until it is no larger than the grain, so
// chunk:0 (grain ceil(N / threads)) gives `threads` chunks when threads is a
// power of two, and up to twice as many, each at least half the grain, when
// it is not.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "map/workload.hpp"

namespace tpx::bench {
namespace {

std::int64_t map_onetbb(OneTbb& pool, std::span<const int> in, std::size_t chunk) {
  std::vector<std::int64_t> out(in.size());
  pool.arena().execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, in.size(), chunk),
        [&](const tbb::blocked_range<std::size_t>& r) {
          for (std::size_t i = r.begin(); i != r.end(); ++i) out[i] = square(in[i]);
        },
        tbb::simple_partitioner());
  });
  std::int64_t sum = 0;
  for (std::int64_t v : out) sum += v;
  return sum;
}

}  // namespace

TPX_BENCH_REGISTER(map_onetbb) {
  register_map_with<OneTbb>([](benchmark::State& s) { run_map<OneTbb>(s, map_onetbb, "parallel_for"); });
}
}  // namespace tpx::bench
