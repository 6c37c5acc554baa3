// The executor configurations every behaviour suite runs over, as folly's
// executor tests run one body per executor type:
//
//   TEST_CASE("...", "[behaviour]") {
//     const auto set = GENERATE(tpx_test::option_sets());
//     INFO("option set: " << set.name);
//     tpx::ThreadPoolExecutor ex(set.options(2));   // 2 workers, unless the set says 1
//     ...
//   }
//
// A new Options field that changes how tasks are run or waited for joins this
// list. A test that makes sense for one configuration only builds its own
// Options and says why in a comment.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <tpx/tpx.hpp>

namespace tpx_test {

struct OptionSet {
  std::string name;
  bool caller_runs = false;
  tpx::Pinning pinning = tpx::Pinning::cores;
  std::chrono::nanoseconds idle_spin = tpx::Options{}.idle_spin;
  std::chrono::nanoseconds idle_linger = tpx::Options{}.idle_linger;
  bool one_worker = false;  // max_workers is 1 whatever the test asks for

  // The Options of this set for a test that wants `workers` workers.
  tpx::Options options(std::size_t workers) const {
    tpx::Options o;
    o.max_workers = one_worker ? 1 : workers;
    o.pinning = pinning;
    o.idle_spin = idle_spin;
    o.idle_linger = idle_linger;
    o.caller_runs = caller_runs;
    return o;
  }
  std::size_t workers(std::size_t wanted) const { return one_worker ? 1 : wanted; }
};

inline std::vector<OptionSet> all_option_sets() {
  std::vector<OptionSet> sets(5);
  sets[0].name = "default";
  sets[1].name = "caller_runs";
  sets[1].caller_runs = true;
  sets[2].name = "unpinned";
  sets[2].pinning = tpx::Pinning::none;
  sets[3].name = "no idle spin";  // nor linger: every idle worker parks at once
  sets[3].idle_spin = std::chrono::nanoseconds(0);
  sets[3].idle_linger = std::chrono::nanoseconds(0);
  sets[4].name = "one worker";
  sets[4].one_worker = true;
  return sets;
}

// A Catch2 generator over all_option_sets(): GENERATE(tpx_test::option_sets()).
inline Catch::Generators::GeneratorWrapper<OptionSet> option_sets() {
  return Catch::Generators::from_range(all_option_sets());
}

}  // namespace tpx_test
