// examples/common/random_sleep.hpp — random.randint(1, 5) for the result and
// as_completed examples, reproducible with --seed.
#pragma once

#include <cstdint>
#include <random>

namespace examples {

// Python's random module is shared and locked; a std::mt19937 is neither
// thread-safe nor cheap to share, so each task makes its own from (seed, tid).
// std::seed_seq and std::mt19937 are specified exactly by the standard, and
// the draw is a plain modulo (the bias over 2^32 values is negligible here),
// so one --seed gives the same sleeps with every standard library —
// std::uniform_int_distribution would not.
inline int randint_1_to_5(std::uint64_t seed, int tid) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(tid)};
  std::mt19937 rng(seq);
  return 1 + static_cast<int>(rng() % 5);
}

inline std::uint64_t fresh_seed() {
  std::random_device rd;
  return (std::uint64_t{rd()} << 32) | rd();
}

}  // namespace examples
