// file_read/onetbb: the shared workload body (file_read/workload.hpp) on OneTbb.
#include "common/registry.hpp"
#include "contenders/onetbb.hpp"
#include "file_read/workload.hpp"

namespace tpx::bench {
TPX_BENCH_REGISTER(file_read_onetbb) { register_file_read<OneTbb>(); }
}  // namespace tpx::bench
