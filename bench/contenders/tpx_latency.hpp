// tpx_latency: the tpx contender with Options::record_latency on (a clock read
// at submit and one at start per queued task, for stats().schedule_latency),
// so that its rows beside tpx's show what recording costs, and carry the
// tpx_sched_* counters. Opt-in in bench/suite.json: it runs only in the
// workloads that name it ("also"), `empty` for now.
#pragma once

#include <cstddef>

#include "contenders/tpx.hpp"

namespace tpx::bench {

class TpxLatencyPool : public TpxPool {
 public:
  static constexpr const char* kName = "tpx_latency";

  explicit TpxLatencyPool(std::size_t workers) : TpxPool(workers, /*record_latency=*/true) {}
};

static_assert(PostContender<TpxLatencyPool> && ReportingContender<TpxLatencyPool>);

}  // namespace tpx::bench
