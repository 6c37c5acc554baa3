// tpx/detail/lazy_iterator.hpp — the iterator of a single-pass range whose
// current element is produced on demand (map results, as_completed).
#pragma once

#include <cstddef>
#include <iterator>

namespace tpx::detail {

// Range provides current() (waits for and returns the current element),
// advance() and at_end(), and befriends this iterator.
template <class Range, class Value>
class LazyInputIterator {
 public:
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  using iterator_concept = std::input_iterator_tag;

  LazyInputIterator() noexcept = default;
  explicit LazyInputIterator(Range* range) noexcept : range_(range) {}

  decltype(auto) operator*() const { return range_->current(); }
  auto operator->() const { return &range_->current(); }
  LazyInputIterator& operator++() {
    range_->advance();
    return *this;
  }
  void operator++(int) { ++*this; }
  friend bool operator==(const LazyInputIterator& it, std::default_sentinel_t) noexcept { return it.at_end(); }

 private:
  bool at_end() const noexcept { return range_ == nullptr || range_->at_end(); }
  Range* range_ = nullptr;
};

}  // namespace tpx::detail
