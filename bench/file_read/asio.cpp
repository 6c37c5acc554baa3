// file_read/asio: the shared workload body (file_read/workload.hpp) on AsioPool.
#include "common/registry.hpp"
#include "contenders/asio.hpp"
#include "file_read/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(file_read_asio) { register_file_read<AsioPool>(); }
}  // namespace tpx::bench
