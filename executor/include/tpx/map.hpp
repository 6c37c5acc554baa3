// tpx/map.hpp — the result range of ThreadPoolExecutor::map.
//
// Each chunk of calls (MapOptions::chunksize) is one queued task; results
// land in input order (tpx/detail/map_core.hpp). Everything a call did
// happens-before iteration yields its result.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <utility>

#include "tpx/detail/lazy_iterator.hpp"
#include "tpx/detail/map_core.hpp"

namespace tpx {

// The lazy, single-pass range of map() results, in input order. Iterating
// blocks for each result in turn; a call's exception (or TimeoutError once the
// map's timeout, measured from the call to map(), has passed) is thrown when
// iteration reaches it, and ends the iteration. Destroying the range — iterated
// or not — cancels every call that has not started. It stays valid after its
// executor is destroyed. Results of a void function are std::monostate.
template <class R>
class MapResults {
 public:
  using value_type = detail::MapValue<R>;

  using iterator = detail::LazyInputIterator<MapResults, value_type>;

  explicit MapResults(std::shared_ptr<detail::MapCoreOf<R>> core) noexcept
      : core_(std::move(core)), size_(core_ ? core_->size() : 0), slots_(core_ ? core_->slots() : nullptr) {}
  // A moved-from range is empty.
  MapResults(MapResults&& other) noexcept
      : core_(std::move(other.core_)),
        size_(std::exchange(other.size_, 0)),
        slots_(std::exchange(other.slots_, nullptr)),
        next_(std::exchange(other.next_, 0)),
        ready_until_(std::exchange(other.ready_until_, 0)),
        current_(std::move(other.current_)) {}
  MapResults& operator=(MapResults&& other) noexcept {
    if (this != &other) {
      cancel_rest();
      core_ = std::move(other.core_);
      size_ = std::exchange(other.size_, 0);
      slots_ = std::exchange(other.slots_, nullptr);
      next_ = std::exchange(other.next_, 0);
      ready_until_ = std::exchange(other.ready_until_, 0);
      current_ = std::move(other.current_);
    }
    return *this;
  }
  ~MapResults() { cancel_rest(); }

  iterator begin() noexcept { return iterator(this); }
  std::default_sentinel_t end() const noexcept { return {}; }

  // Number of calls the map made (the shortest range's length).
  std::size_t size() const noexcept { return size_; }

 private:
  friend iterator;
  // The per-item path is a compare with ready_until_ and, in place, an
  // indexed load: no pointer chase through core_ (measured: it is what a
  // for-loop over a million results spends its time on).
  bool at_end() const noexcept { return next_ >= size_; }
  static constexpr bool kReadInPlace = detail::MapCoreOf<R>::kReadInPlace;

  // Waits for item next_ unless its chunk is known done: once per chunk.
  void ensure_ready() {
    if (next_ < ready_until_) [[likely]]
      return;
    wait_for_next();
  }
  void wait_for_next() {
    try {
      ready_until_ = core_->wait_item(next_);
    } catch (...) {
      finish();  // Python's map generator ends on the first exception
      throw;
    }
  }
  value_type& current() {
    if constexpr (kReadInPlace) {
      ensure_ready();
      return slots_[next_].get();
    } else {
      if (!current_) {
        ensure_ready();
        current_.emplace(core_->take(next_));
      }
      return *current_;
    }
  }
  void advance() {
    // Skipping an item still waits for it (and throws its error); a moved-out
    // result is released now, not when the range goes.
    if constexpr (kReadInPlace) {
      ensure_ready();
    } else {
      if (!current_) current();
      current_.reset();
    }
    ++next_;
  }
  void finish() noexcept {
    cancel_rest();
    next_ = size_;
  }
  void cancel_rest() noexcept {
    if (core_ && next_ < size_) core_->cancel_from(next_ + (current_ ? 1 : 0));
  }

  std::shared_ptr<detail::MapCoreOf<R>> core_;
  std::size_t size_ = 0;                                              // core_->size(), or 0 without a core
  typename detail::MapCoreOf<R>::ResultSlotType* slots_ = nullptr;  // core_->slots()
  std::size_t next_ = 0;
  std::size_t ready_until_ = 0;  // items [next_, ready_until_) are done and readable without waiting
  std::optional<value_type> current_;
};

}  // namespace tpx
