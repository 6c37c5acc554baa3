#include "work/work.hpp"

#include <algorithm>
#include <array>
#include <chrono>

namespace tpx::bench {

double spin_iterations_per_us() {
  static const double per_us = [] {
    constexpr std::uint64_t kIterations = 2'000'000;
    std::array<double, 7> rates{};
    for (double& r : rates) {
      const auto t0 = std::chrono::steady_clock::now();
      spin_work(kIterations);
      const auto t1 = std::chrono::steady_clock::now();
      const double us = std::chrono::duration<double, std::micro>(t1 - t0).count();
      r = static_cast<double>(kIterations) / us;
    }
    std::sort(rates.begin(), rates.end());
    return rates[rates.size() / 2];
  }();
  return per_us;
}

}  // namespace tpx::bench
