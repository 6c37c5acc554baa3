// Helpers shared by the executor tests.
#pragma once

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

namespace tpx_test {

// True under ThreadSanitizer or AddressSanitizer builds (tools/run sets TPX_SANITIZED).
inline bool sanitized() {
  const char* s = std::getenv("TPX_SANITIZED");
  return s && std::strcmp(s, "0") != 0 && *s != '\0';
}

// Scales an iteration count down under sanitizers (which are 5-20x slower).
inline std::size_t scaled(std::size_t n, std::size_t divisor = 20) {
  return sanitized() ? (n / divisor > 0 ? n / divisor : 1) : n;
}

// Guard for waits that would hang only if the library were broken.
inline constexpr auto kHang = std::chrono::seconds(30);

}  // namespace tpx_test
