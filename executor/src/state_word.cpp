// BasicStateWord<std::atomic>'s waiting members, compiled once (state_word_impl.hpp).
#include "state_word_impl.hpp"

namespace tpx::detail {

template void BasicStateWord<std::atomic>::wake_if(std::uint32_t) noexcept;
template bool BasicStateWord<std::atomic>::wait_until(Clock::time_point) noexcept;

}  // namespace tpx::detail
