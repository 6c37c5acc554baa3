// file_read/tpx: the shared workload body (file_read/workload.hpp) on TpxPool.
#include "common/registry.hpp"
#include "contenders/tpx.hpp"
#include "file_read/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(file_read_tpx) { register_file_read<TpxPool>(); }
}  // namespace tpx::bench
