// bulk/onetbb: tbb::parallel_for over blocked_range(0, n) (grain 1) with the
// default auto_partitioner, the same body, in the pool's arena: the calling
// thread joins the arena and runs chunks too.
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include "bulk/workload.hpp"
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"

namespace tpx::bench {
namespace {

void bulk_onetbb(OneTbb& pool, std::span<const int> in, std::span<std::int64_t> out, std::size_t /*threads*/) {
  pool.arena().execute([&] {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, in.size()),
                      [in, out](const tbb::blocked_range<std::size_t>& r) { bulk_body(in, out, r.begin(), r.end()); });
  });
}

}  // namespace

TPX_BENCH_REGISTER(bulk_onetbb) {
  register_bulk_with<OneTbb>(
      [](benchmark::State& s) { run_bulk<OneTbb>(s, bulk_onetbb, "parallel_for, auto_partitioner"); });
}
}  // namespace tpx::bench
