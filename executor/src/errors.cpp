// Out-of-line throwers and message builders (keep the templates small).
#include <algorithm>
#include <cstdio>
#include <string>
#include <cstdint>
#include <exception>
#include <functional>
#include <utility>
#include <vector>

#include "tpx/detail/deadline.hpp"
#include "tpx/detail/shared_state.hpp"
#include "tpx/errors.hpp"
#include "tpx/options.hpp"
#include "run_note.hpp"

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

std::exception_ptr deadline_exceeded_error(std::chrono::steady_clock::time_point deadline) noexcept {
  try {
    // In long double: a deadline far in the past (time_point::min()) must not overflow.
    using Ns = std::chrono::duration<long double, std::nano>;
    const Ns late = Ns(std::chrono::steady_clock::now().time_since_epoch()) - Ns(deadline.time_since_epoch());
    const auto shown = late >= Ns(std::chrono::nanoseconds::max()) ? std::chrono::nanoseconds::max()
                                                                   : std::chrono::duration_cast<std::chrono::nanoseconds>(late);
    return std::make_exception_ptr(DeadlineExceeded(
        "tpx::DeadlineExceeded: the task's deadline (TaskOptions::deadline) passed " + describe_duration(shown) +
        " before a thread could start it; it did not run"));
  } catch (...) {
    return std::current_exception();  // out of memory building the message: that is the error
  }
}

std::exception_ptr deadline_exceeded_at_start(std::chrono::steady_clock::time_point deadline) noexcept {
  run_note().expired = true;  // for stats(): this thread's task expired instead of running
  return deadline_exceeded_error(deadline);
}

std::exception_ptr schedule_dropped_error(const std::exception_ptr& reason) noexcept {
  if (reason) return reason;  // a broken pool: its BrokenExecutor
  try {
    return std::make_exception_ptr(
        ShutdownError("tpx::ShutdownError: the executor was shut down with cancel_futures before this coroutine "
                      "resumed on it (co_await ex.schedule())"));
  } catch (...) {
    return std::current_exception();  // out of memory building the message: that is the error
  }
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
  const auto keep_all = [&keep, n = states.size()] {  // every future is the first of its state
    for (std::size_t i = 0; i < n; ++i) keep.push_back(i);
    return std::move(keep);
  };
  // The usual input, futures in the order they were submitted, holds states
  // allocated one after another: strictly monotonic addresses are all
  // distinct, proven by one sequential pass with no memory.
  const auto n = states.size();
  bool rising = true, falling = true;
  for (std::size_t i = 1; i < n && (rising || falling); ++i) {
    rising = rising && std::less<>{}(states[i - 1], states[i]);
    falling = falling && std::less<>{}(states[i], states[i - 1]);
  }
  if (rising || falling) return keep_all();
  // Otherwise, first a bitmap of hashed addresses, 8 bits per future (100 kB
  // for 100,000 futures: it stays in cache, where a set of the pointers
  // themselves would not): a future whose bit was clear is the first of its
  // state. Recycled state blocks come in no address order, so this is the
  // usual path for a large wait.
  auto hash = [](const StateBase* state) {
    // Fibonacci hashing of the address (its low bits are alignment zeros).
    return static_cast<std::size_t>((reinterpret_cast<std::uintptr_t>(state) * 0x9E3779B97F4A7C15ull) >> 20);
  };
  std::size_t bits = 64;
  while (bits < 8 * n) bits *= 2;
  std::vector<std::uint64_t> bitmap(bits / 64, 0);
  std::vector<std::size_t> suspects;  // futures whose bit was set already: duplicates, or collisions
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t h = hash(states[i]) & (bits - 1);
    std::uint64_t& word = bitmap[h / 64];
    const std::uint64_t bit = std::uint64_t{1} << (h % 64);
    if (word & bit) suspects.push_back(i);
    word |= bit;
  }
  if (suspects.empty()) return keep_all();
  // A state seen twice has its later futures among the suspects. An exact
  // open-addressing set (load factor <= 1/2) of the suspects' states, small,
  // decides: the first future of each of those states is kept, the others
  // dropped; every other future is the only one of its state.
  struct Slot {
    const StateBase* state = nullptr;
    bool seen = false;
  };
  std::size_t capacity = 16;
  while (capacity < 2 * suspects.size()) capacity *= 2;
  std::vector<Slot> slots(capacity);
  const std::size_t mask = capacity - 1;
  auto find = [&](const StateBase* state, bool insert) -> Slot* {
    for (std::size_t h = hash(state);; h = (h + 1) & mask) {
      Slot& slot = slots[h & mask];
      if (slot.state == state) return &slot;
      if (slot.state == nullptr) {
        if (!insert) return nullptr;
        slot.state = state;
        return &slot;
      }
    }
  };
  for (std::size_t i : suspects) find(states[i], /*insert=*/true);
  for (std::size_t i = 0; i < n; ++i) {
    Slot* slot = find(states[i], /*insert=*/false);
    if (slot == nullptr) {
      keep.push_back(i);
    } else if (!slot->seen) {
      slot->seen = true;
      keep.push_back(i);
    }
  }
  return keep;
}

}  // namespace tpx::detail
