// The command line, as a function tests can call.
#pragma once

#include <ostream>

namespace tpx::compare {

// Exit codes: 0 no significant regression (every measured target met), 1 a
// significant regression past the threshold (diff) or a measured target not
// met (targets), 2 invalid or incomparable input or usage.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRegression = 1;
inline constexpr int kExitTargetNotMet = 1;
inline constexpr int kExitInvalid = 2;

// `color_capable`: stdout is a terminal (colour is still off for --no-color,
// $NO_COLOR and non-text formats). Never throws.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err, bool color_capable = false);

}  // namespace tpx::compare
