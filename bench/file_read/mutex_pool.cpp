// file_read/mutex_pool: the shared workload body (file_read/workload.hpp) on MutexPool.
#include "common/registry.hpp"
#include "contenders/mutex_pool.hpp"
#include "file_read/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(file_read_mutex_pool) { register_file_read<MutexPool>(); }
}  // namespace tpx::bench
