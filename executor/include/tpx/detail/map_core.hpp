// tpx/detail/map_core.hpp — map()'s machinery behind MapResults (tpx/map.hpp).
//
// map() does not make a future per item: consecutive items form chunks
// (MapOptions::chunksize), each chunk is one queued task, results land in a
// buffer preallocated in input order, and each chunk completes through one
// StateWord (so waiting for it parks on a futex, and a worker thread that
// iterates helps run queued tasks meanwhile).
//
// Memory ordering: a chunk's results are written before its StateWord
// completes (release); the iterating thread reads them after seeing it done
// (acquire).
#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "tpx/detail/deadline.hpp"
#include "tpx/detail/helper.hpp"
#include "tpx/detail/state_word.hpp"
#include "tpx/errors.hpp"
#include "tpx/options.hpp"

namespace tpx::detail {

void check_map_options(const MapOptions& opts);
[[noreturn]] void throw_map_timeout(std::size_t index, std::size_t total, std::chrono::nanoseconds timeout);

// The untyped part of a map: chunk bookkeeping.
class MapCoreBase {
 public:
  struct Chunk {
    StateWord word;
    std::size_t failed_at = SIZE_MAX;  // index of the call that threw, if any
    std::exception_ptr error;
  };

  MapCoreBase(std::size_t items, std::size_t chunksize, std::optional<std::chrono::nanoseconds> timeout)
      : items_(items),
        chunksize_(chunksize),
        chunks_(items == 0 ? 0 : (items - 1) / chunksize + 1),
        chunk_(new Chunk[chunks_]),
        timeout_(timeout),
        deadline_(timeout ? deadline_after(*timeout) : kNoDeadline) {}
  virtual ~MapCoreBase() = default;

  std::size_t size() const noexcept { return items_; }
  std::size_t chunk_count() const noexcept { return chunks_; }

  // Runs chunk c unless it was cancelled or already claimed.
  void run_chunk(std::size_t c) noexcept {
    if (chunk_[c].word.try_start()) run_claimed(c);
  }

  // The executor whose queue holds the chunks.
  // Never dereferenced: the range may outlive its executor.
  void set_owner(Helper* owner) noexcept {
    owner_ = owner;
    caller_runs_ = owner->caller_runs();
  }

  // The pool drops chunk c (shutdown with cancel_futures, broken pool).
  void abandon_chunk(std::size_t c, const std::exception_ptr& reason) noexcept {
    Chunk& chunk = chunk_[c];
    if (reason) {
      if (!chunk.word.try_start()) return;
      chunk.failed_at = c * chunksize_;
      chunk.error = reason;
      chunk.word.wake_if(chunk.word.complete(StateWord::kFinished));
    } else {
      cancel_chunk(c);
    }
  }

  // Cancels every chunk from `first_item`'s chunk on that has not started.
  void cancel_from(std::size_t first_item) noexcept {
    for (std::size_t c = first_item / chunksize_; c < chunks_; ++c) cancel_chunk(c);
  }

  // Waits for item i's chunk; throws TimeoutError, CancelledError or the call's
  // exception. Returns the end of the run of items, from i on, whose results
  // are now readable without waiting again (the rest of the chunk, up to a
  // failed call), so an iterator waits once per chunk, not once per item.
  std::size_t wait_item(std::size_t i) {
    const std::size_t c = i / chunksize_;
    Chunk& chunk = chunk_[c];
    std::uint32_t phase = chunk.word.phase();  // the fast path: the chunk is done (one acquire load per item)
    if (phase < StateWord::kFinished) {
      // A worker of the owning executor (or any thread, with Options::caller_runs)
      // runs a chunk that nobody started itself, as Future::result does for a task.
      // Not after the map's deadline: a timed wait starts nothing late.
      if (owner_ != nullptr && (caller_runs_ || owner_ == current_helper()) &&
          (deadline_ == kNoDeadline || Clock::now() < deadline_) && chunk.word.try_start())
        run_claimed(c);
      if (!chunk.word.wait_until(deadline_)) throw_map_timeout(i, items_, *timeout_);
      phase = chunk.word.phase();
    }
    if (phase == StateWord::kCancelled) throw CancelledError();
    if (i >= chunk.failed_at) std::rethrow_exception(chunk.error);
    return std::min(end_of(c), chunk.failed_at);
  }

 protected:
  // Items [begin, end) of chunk c.
  std::size_t begin_of(std::size_t c) const noexcept { return c * chunksize_; }
  std::size_t end_of(std::size_t c) const noexcept { return std::min(items_, (c + 1) * chunksize_); }
  Chunk& chunk(std::size_t c) noexcept { return chunk_[c]; }
  // Runs chunk c, already claimed (kRunning) by the caller, and completes it.
  virtual void run_claimed(std::size_t c) noexcept = 0;

 private:
  void cancel_chunk(std::size_t c) noexcept {
    std::uint32_t old_word = 0;
    if (chunk_[c].word.try_cancel(old_word) == StateWord::kPending) chunk_[c].word.wake_if(old_word);
  }

  std::size_t items_;
  std::size_t chunksize_;
  std::size_t chunks_;
  std::unique_ptr<Chunk[]> chunk_;
  std::optional<std::chrono::nanoseconds> timeout_;
  Clock::time_point deadline_;
  Helper* owner_ = nullptr;  // written before the chunks are queued, then only read (compared, never followed)
  bool caller_runs_ = false;  // the owner's Options::caller_runs, copied
};

template <class R>
using MapValue = std::conditional_t<std::is_void_v<R>, std::monostate, R>;

// Storage for an argument tuple (made at the call, emptied once its call has
// run) or a result (filled when its call runs). A trivially destructible value
// is kept plain: nothing to destroy early, no engaged flag to write and test
// per item. A plain result slot also needs a trivial default constructor, so
// that the buffer can stay uninitialized until the calls fill it.
template <class T, bool kPlain>
class Slot;

template <class T>
class Slot<T, true> {
 public:
  Slot() = default;  // uninitialized when T is trivially default constructible
  template <class... A>
  explicit Slot(std::in_place_t, A&&... a) : value_(std::forward<A>(a)...) {}
  template <class... A>
  void emplace(A&&... a) {
    std::construct_at(&value_, std::forward<A>(a)...);  // T is trivially destructible: nothing to end first
  }
  T& get() noexcept { return value_; }
  void reset() noexcept {}

 private:
  T value_;
};

template <class T>
class Slot<T, false> {
 public:
  Slot() = default;
  template <class... A>
  explicit Slot(std::in_place_t, A&&... a) : value_(std::in_place, std::forward<A>(a)...) {}
  template <class... A>
  void emplace(A&&... a) {
    value_.emplace(std::forward<A>(a)...);
  }
  T& get() noexcept { return *value_; }
  void reset() noexcept { value_.reset(); }

 private:
  std::optional<T> value_;
};

template <class T>
using ArgSlot = Slot<T, std::is_trivially_destructible_v<T>>;
template <class T>
inline constexpr bool kPlainResult = std::is_trivially_default_constructible_v<T> && std::is_trivially_destructible_v<T>;
template <class T>
using ResultSlot = Slot<T, kPlainResult<T>>;

template <class R>
class MapCoreOf : public MapCoreBase {
 public:
  using result_type = R;
  using MapCoreBase::MapCoreBase;

  // A plain result is read in place (nothing to release early); others are
  // moved out. A void function's results are not stored at all (take() makes them).
  static constexpr bool kReadInPlace = !std::is_void_v<R> && kPlainResult<MapValue<R>>;

  using ResultSlotType = ResultSlot<MapValue<R>>;
  // The result slots: item i's result is slots()[i].get() once wait_item(i)
  // returned (read in place when kReadInPlace). Null for a void function.
  ResultSlotType* slots() noexcept { return results_.get(); }

  // Moves item i's result out (wait_item(i) returned first).
  MapValue<R> take(std::size_t i) {
    if constexpr (std::is_void_v<R>)
      return {};
    else
      return std::move(results_[i].get());
  }

 protected:
  void init_results(std::size_t n) {
    // for_overwrite: a plain slot stays uninitialized until its call stores it.
    if constexpr (!std::is_void_v<R>) results_ = std::make_unique_for_overwrite<ResultSlot<MapValue<R>>[]>(n);
  }
  template <class Call>
  void store(std::size_t i, Call&& call) {
    if constexpr (std::is_void_v<R>)
      call();
    else
      results_[i].emplace(call());
  }

 private:
  std::unique_ptr<ResultSlot<MapValue<R>>[]> results_;
};

// A map over Fn with argument tuples Tuple (decay-copied at the call).
template <class R, class Fn, class Tuple>
class MapCore final : public MapCoreOf<R> {
 public:
  MapCore(MapOptions opts, Fn fn, std::vector<ArgSlot<Tuple>> args)
      : MapCoreOf<R>(args.size(), opts.chunksize, opts.timeout), fn_(std::move(fn)), args_(std::move(args)) {
    this->init_results(args_.size());
  }

  void run_claimed(std::size_t c) noexcept override {
    auto& chunk = this->chunk(c);
    for (std::size_t i = this->begin_of(c), end = this->end_of(c); i < end; ++i) {
      try {
        this->store(i, [&]() -> decltype(auto) { return std::apply(fn_, std::move(args_[i].get())); });
      } catch (...) {
        chunk.failed_at = i;
        chunk.error = std::current_exception();
        break;
      }
      args_[i].reset();  // the call has run: its arguments go now
    }
    chunk.word.wake_if(chunk.word.complete(StateWord::kFinished));
  }

 private:
  Fn fn_;
  std::vector<ArgSlot<Tuple>> args_;
};

// Zips the ranges (shortest wins) into decay-copied argument tuples.
template <class F, class... Ranges>
auto make_map_core(const MapOptions& opts, F&& fn, Ranges&&... ranges) {
  using Tuple = std::tuple<std::decay_t<std::ranges::range_reference_t<Ranges>>...>;
  using R = std::remove_cvref_t<decltype(std::apply(std::declval<std::decay_t<F>&>(), std::declval<Tuple&&>()))>;
  using Arg = ArgSlot<Tuple>;
  std::vector<Arg> args;
  auto its = std::make_tuple(std::ranges::begin(ranges)...);
  constexpr auto seq = std::index_sequence_for<Ranges...>{};
  if constexpr ((std::ranges::sized_range<Ranges> && ...)) {
    const auto n = std::min({static_cast<std::size_t>(std::ranges::size(ranges))...});
    if constexpr (std::is_trivially_destructible_v<Tuple> && std::is_nothrow_default_constructible_v<Arg> &&
                  std::is_nothrow_move_assignable_v<Arg>) {
      // Plain values (a std::tuple is never trivially copyable, so this asks
      // for what the loop needs): a counted loop of stores the compiler can
      // vectorise, 4-7× faster than emplace_back's per-element capacity check
      // on a million ints (the zeroing before costs a memset).
      args.resize(n);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        for (Arg& arg : args) {
          arg = Arg(std::in_place, *std::get<I>(its)...);
          (++std::get<I>(its), ...);
        }
      }(seq);
    } else {
      args.reserve(n);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        for (std::size_t i = 0; i < n; ++i) {
          args.emplace_back(std::in_place, *std::get<I>(its)...);
          (++std::get<I>(its), ...);
        }
      }(seq);
    }
  } else {
    auto ends = std::make_tuple(std::ranges::end(ranges)...);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      while (((std::get<I>(its) != std::get<I>(ends)) && ...)) {
        args.emplace_back(std::in_place, *std::get<I>(its)...);
        (++std::get<I>(its), ...);
      }
    }(seq);
  }
  return std::make_shared<MapCore<R, std::decay_t<F>, Tuple>>(opts, std::forward<F>(fn), std::move(args));
}

// What the queue holds for one chunk of a map.
template <class Core>
class MapChunkTask {
 public:
  MapChunkTask(std::shared_ptr<Core> core, std::size_t chunk) noexcept : core_(std::move(core)), chunk_(chunk) {}
  MapChunkTask(MapChunkTask&&) noexcept = default;
  void operator()() noexcept { core_->run_chunk(chunk_); }
  void abandon(const std::exception_ptr& reason) noexcept { core_->abandon_chunk(chunk_, reason); }

 private:
  std::shared_ptr<Core> core_;
  std::size_t chunk_;
};

}  // namespace tpx::detail
