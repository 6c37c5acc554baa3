// tpx/detail/deadline.hpp — timeouts turned into absolute steady-clock deadlines.
#pragma once

#include <chrono>
#include <string>

namespace tpx::detail {

using Clock = std::chrono::steady_clock;
inline constexpr Clock::time_point kNoDeadline = Clock::time_point::max();

// now + timeout, saturating instead of overflowing (a timeout of hours::max() waits forever).
template <class Rep, class Period>
Clock::time_point deadline_after(std::chrono::duration<Rep, Period> timeout) noexcept {
  const auto now = Clock::now();
  if (timeout <= timeout.zero()) return now;
  using Ns = std::chrono::nanoseconds;
  const auto room = Clock::time_point::max() - now;  // in Clock::duration
  if (std::chrono::duration<long double, std::nano>(timeout) >= std::chrono::duration<long double, std::nano>(room))
    return kNoDeadline;
  return now + std::chrono::ceil<Ns>(timeout);
}

// "12.5 ms", for error messages.
std::string describe_duration(std::chrono::nanoseconds d);

}  // namespace tpx::detail
