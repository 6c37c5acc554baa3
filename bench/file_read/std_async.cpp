// file_read/std_async: the shared workload body (file_read/workload.hpp) on StdAsync.
#include "common/registry.hpp"
#include "contenders/std_async.hpp"
#include "file_read/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(file_read_std_async) { register_file_read<StdAsync>(); }
}  // namespace tpx::bench
