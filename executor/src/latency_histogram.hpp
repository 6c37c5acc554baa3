// latency_histogram.hpp (internal) — a fixed-size, log-bucketed latency
// histogram (HDR-style), written by one thread, read by any.
//
// Values below 64 ns have a bucket each; above, every power of two is cut
// into 64 sub-buckets, so a bucket is at most 1/64 of its lower bound wide
// and the value reported for it (its middle) is within 1/128 (< 1 %) of any
// value it holds. 59 x 64 buckets cover every 64-bit value: 30 kB per writer.
// One writer per histogram (a worker): increments are a relaxed load and
// store, no read-modify-write; a reader sees each bucket old or new, never
// torn, so a snapshot taken while the pool runs is approximate, and exact
// once the writers are quiet.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "tpx/stats.hpp"

namespace tpx::detail {

class LatencyHistogram {
 public:
  static constexpr int kSubBits = 6;
  static constexpr std::size_t kSub = std::size_t{1} << kSubBits;
  static constexpr std::size_t kBuckets = (64 - kSubBits + 1) * kSub;

  static std::size_t bucket_of(std::uint64_t ns) noexcept {
    if (ns < kSub) return static_cast<std::size_t>(ns);
    const int exp = std::bit_width(ns) - 1;  // >= kSubBits
    const int shift = exp - kSubBits;
    const std::size_t sub = static_cast<std::size_t>(ns >> shift) & (kSub - 1);
    return static_cast<std::size_t>(shift + 1) * kSub + sub;
  }
  // The middle of bucket `b`: what a percentile falling in it reports.
  static std::uint64_t value_of(std::size_t b) noexcept {
    if (b < kSub) return b;
    const int shift = static_cast<int>(b / kSub) - 1;
    const std::uint64_t lower = (kSub + b % kSub) << shift;
    return lower + ((std::uint64_t{1} << shift) >> 1);
  }

  // The owning thread only.
  void record(std::uint64_t ns) noexcept {
    bump(counts_[bucket_of(ns)]);
    // Relaxed: one writer; readers want a recent value, not an ordering.
    if (ns > max_.load(std::memory_order_relaxed)) max_.store(ns, std::memory_order_relaxed);
  }

  // Any thread: adds this histogram into `into` (bucket by bucket) and its max.
  void add_to(std::array<std::uint64_t, kBuckets>& into, std::uint64_t& max) const noexcept {
    for (std::size_t b = 0; b < kBuckets; ++b) into[b] += counts_[b].load(std::memory_order_relaxed);  // relaxed: a snapshot
    max = std::max(max, max_.load(std::memory_order_relaxed));  // relaxed: a snapshot
  }

  // The summary of merged counts.
  static LatencySummary summarize(const std::array<std::uint64_t, kBuckets>& counts, std::uint64_t max) noexcept {
    LatencySummary s;
    for (std::uint64_t c : counts) s.count += c;
    if (s.count == 0) return s;
    auto at = [&](double q) {
      // The smallest value with at least q of the samples at or below it.
      const auto rank = static_cast<std::uint64_t>(q * static_cast<double>(s.count) + 0.999999);
      std::uint64_t seen = 0;
      for (std::size_t b = 0; b < kBuckets; ++b) {
        seen += counts[b];
        if (seen >= std::max<std::uint64_t>(rank, 1)) return std::chrono::nanoseconds(std::min(value_of(b), max));
      }
      return std::chrono::nanoseconds(max);
    };
    s.p50 = at(0.50);
    s.p90 = at(0.90);
    s.p99 = at(0.99);
    s.p999 = at(0.999);
    s.max = std::chrono::nanoseconds(max);
    return s;
  }

 private:
  static void bump(std::atomic<std::uint64_t>& c) noexcept {
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);  // relaxed: one writer
  }

  std::array<std::atomic<std::uint64_t>, kBuckets> counts_{};
  std::atomic<std::uint64_t> max_{0};
};

}  // namespace tpx::detail
