// file_read: config().file_tasks tasks, task i reading file i mod
// file_count (config().file_bytes each, page cache warm) from a temporary
// directory with open/read/close, on pools of <allowed CPUs> and 16 workers.
// Figure: tasks_per_s.
#pragma once

#include <vector>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/register.hpp"
#include "contenders/contender.hpp"
#include "file_read/temp_files.hpp"

namespace tpx::bench {

template <Contender Pool>
void bm_file_read(benchmark::State& state) {
  const int workers = static_cast<int>(state.range(0));
  const auto& files = temp_files();
  if (files.empty()) {
    state.SkipWithError("no temporary files");
    return;
  }
  const std::size_t wanted = config().file_tasks;
  const std::size_t n = task_count<Pool>(wanted);
  Pool pool(static_cast<std::size_t>(workers));
  const std::string* first = files.data();
  const std::size_t count = files.size();
  using Future = decltype(pool.submit([first] { return read_file_once(*first); }));
  std::vector<Future> futures;
  futures.reserve(n);
  long bytes = 0;
  bool failed = false;
  measure(state, n, [&] {
    futures.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const std::string* path = first + (i % count);
      futures.push_back(pool.submit([path] { return read_file_once(*path); }));
    }
    for (auto& f : futures) {
      const long r = Pool::get(f);
      failed |= r < 0;
      bytes += r;
    }
  });
  if (failed) state.SkipWithError("a file read failed");
  state.SetBytesProcessed(bytes);
  label_pool<Pool>(state, pool, workers, n, wanted);
}

template <Contender Pool>
void register_file_read() {
  args_1(register_wall("file_read", Pool::kName, bm_file_read<Pool>), "workers", config().file_workers);
}

}  // namespace tpx::bench
