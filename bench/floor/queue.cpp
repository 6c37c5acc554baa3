// queue_enqdeq/floor: one moodycamel::ConcurrentQueue enqueue followed by
// one try_dequeue of a 64-bit item, single thread, no contention: the cost
// per item of the queue tpx is built on, below which no queue-based pool goes.
#include <concurrentqueue/concurrentqueue.h>

#include <cstdint>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/registry.hpp"

namespace tpx::bench {
namespace {

void bm_queue_enqdeq(benchmark::State& state) {
  moodycamel::ConcurrentQueue<std::uint64_t> queue;
  std::uint64_t i = 0, out = 0, sum = 0;
  measure(state, 1, [&] {
    queue.enqueue(i++);
    queue.try_dequeue(out);
    sum += out;
  });
  benchmark::DoNotOptimize(sum);
}

}  // namespace

TPX_BENCH_REGISTER(queue_enqdeq_floor) {
  benchmark::RegisterBenchmark("queue_enqdeq/floor", bm_queue_enqdeq)
      ->Unit(benchmark::kNanosecond);
}

}  // namespace tpx::bench
