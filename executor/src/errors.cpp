// Out-of-line throwers and message builders (keep the templates small).
#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_set>
#include <vector>

#include "tpx/detail/deadline.hpp"
#include "tpx/detail/shared_state.hpp"
#include "tpx/errors.hpp"
#include "tpx/options.hpp"

namespace tpx::detail {

std::string describe_duration(std::chrono::nanoseconds d) {
  char buf[64];
  const double ns = static_cast<double>(d.count());
  if (ns >= 1e9)
    std::snprintf(buf, sizeof buf, "%g s", ns / 1e9);
  else if (ns >= 1e6)
    std::snprintf(buf, sizeof buf, "%g ms", ns / 1e6);
  else if (ns >= 1e3)
    std::snprintf(buf, sizeof buf, "%g us", ns / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%g ns", ns);
  return buf;
}

void throw_no_state(const char* operation) {
  throw InvalidStateError(std::string("tpx: ") + operation +
                          "() on an empty Future/Promise (default-constructed or moved-from; check valid())");
}

void throw_future_timeout(std::chrono::nanoseconds timeout) {
  throw TimeoutError("tpx::TimeoutError: the future did not complete within " + describe_duration(timeout));
}

void throw_promise_state(const char* operation, std::uint32_t phase) {
  const char* what = phase == StateWord::kCancelled ? "was cancelled"
                     : phase == StateWord::kRunning ? "is being completed by another call"
                                                    : "is already finished";
  throw InvalidStateError(std::string("tpx::Promise::") + operation + ": the future " + what +
                          " (a Promise completes its future once)");
}

void throw_as_completed_timeout(std::size_t unfinished, std::size_t total, std::chrono::nanoseconds timeout) {
  throw TimeoutError("tpx::as_completed: " + std::to_string(unfinished) + " (of " + std::to_string(total) +
                     ") futures unfinished after " + describe_duration(timeout));
}

void throw_map_timeout(std::size_t index, std::size_t total, std::chrono::nanoseconds timeout) {
  throw TimeoutError("tpx::ThreadPoolExecutor::map: result " + std::to_string(index) + " (of " +
                     std::to_string(total) + ") not ready within " + describe_duration(timeout) +
                     " of the call to map()");
}

void check_map_options(const MapOptions& opts) {
  if (opts.chunksize == 0)
    throw std::invalid_argument("tpx::ThreadPoolExecutor::map: MapOptions::chunksize is 0; it must be at least 1");
}

std::vector<std::size_t> distinct_indexes(const std::vector<const StateBase*>& states) {
  std::vector<std::size_t> keep;
  keep.reserve(states.size());
  std::unordered_set<const StateBase*> seen;
  seen.reserve(states.size());
  for (std::size_t i = 0; i < states.size(); ++i)
    if (seen.insert(states[i]).second) keep.push_back(i);
  return keep;
}

}  // namespace tpx::detail
