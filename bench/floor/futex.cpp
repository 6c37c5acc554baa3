// futex_roundtrip/floor: thread A publishes a sequence number and
// FUTEX_WAKEs B, which is parked in FUTEX_WAIT; B answers the same way and A
// parks until it does. One iteration = one round trip = two wake-ups of a
// sleeping thread, the floor under any pool whose idle workers park (a
// submit to an idle pool, then a wait for the result).
// same_core:0 pins A and B to two CPUs: each wake-up is a cross-CPU wake of
// an idle CPU (an IPI; in a VM, a VM exit), the cost a pinned pool pays.
// same_core:1 pins both to one CPU: each wake-up is a plain context switch,
// the cost an unpinned pool pays when the scheduler keeps waker and wakee
// together (what a naive pool often gets for free on a round trip).
// Lost wake-ups: each side re-checks its word after FUTEX_WAIT returns and
// FUTEX_WAIT itself fails with EAGAIN if the word changed before it slept.
// Also p50_us ... max_us, samples per round trip (floor/percentiles.hpp).
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <thread>

#include "common/config.hpp"
#include "common/measure.hpp"
#include "common/registry.hpp"
#include "floor/percentiles.hpp"
#include "floor/pinning.hpp"

namespace tpx::bench {
namespace {

void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, nullptr, nullptr, 0);
}
void futex_wake(std::atomic<std::uint32_t>& word) {
  ::syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
}

constexpr std::uint32_t kStop = 0xffffffffU;

void bm_futex_roundtrip(benchmark::State& state) {
  CpuPair cpus = first_two_cpus();
  const bool same_core = state.range(0) != 0;
  if (same_core && cpus.pinned()) cpus.b = cpus.a;
  alignas(64) std::atomic<std::uint32_t> ping{0};
  alignas(64) std::atomic<std::uint32_t> pong{0};
  std::thread partner([&] {
    if (cpus.pinned()) pin_thread(pthread_self(), cpus.b);
    std::uint32_t seen = 0;
    for (;;) {
      std::uint32_t v;
      // acquire: pairs with A's release store of ping.
      while ((v = ping.load(std::memory_order_acquire)) == seen) futex_wait(ping, seen);
      if (v == kStop) return;
      seen = v;
      pong.store(v, std::memory_order_release);  // A acquires it
      futex_wake(pong);
    }
  });
  {
    ScopedPin pin(cpus.a);
    std::uint32_t seq = 0;
    auto round_trip = [&] {
      ++seq;
      ping.store(seq, std::memory_order_release);  // B acquires it
      futex_wake(ping);
      std::uint32_t v;
      while ((v = pong.load(std::memory_order_acquire)) != seq) futex_wait(pong, v);
    };
    measure(state, 1, round_trip);
    report_round_trip_percentiles(state, round_trip);
    ping.store(kStop, std::memory_order_release);
    futex_wake(ping);
  }
  partner.join();
  state.SetLabel(!cpus.pinned() ? cpus.label()
                 : same_core    ? "both pinned to cpu " + std::to_string(cpus.a)
                                : cpus.label());
}

}  // namespace

TPX_BENCH_REGISTER(futex_roundtrip_floor) {
  benchmark::RegisterBenchmark("futex_roundtrip/floor", bm_futex_roundtrip)
      ->Unit(benchmark::kNanosecond)
      ->UseRealTime()
      ->ArgName("same_core")
      ->Arg(0)
      ->Arg(1);
}

}  // namespace tpx::bench
