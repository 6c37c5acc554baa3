// bulk/tpx: ex.bulk(n, body) in the range form (body(begin, end): a loop the
// compiler can vectorise), automatic grain (BulkOptions{}); the calling
// thread runs chunks too, as parallel_for's caller does.
#include "bulk/workload.hpp"
#include "common/registry.hpp"
#include "contenders/tpx.hpp"

namespace tpx::bench {
namespace {

void bulk_tpx(TpxPool& pool, std::span<const int> in, std::span<std::int64_t> out, std::size_t /*threads*/) {
  pool.executor().bulk(in.size(), [in, out](std::size_t begin, std::size_t end) { bulk_body(in, out, begin, end); });
}

}  // namespace

TPX_BENCH_REGISTER(bulk_tpx) {
  register_bulk_with<TpxPool>(
      [](benchmark::State& s) { run_bulk<TpxPool>(s, bulk_tpx, "ex.bulk, automatic grain, caller takes part"); });
}
}  // namespace tpx::bench
