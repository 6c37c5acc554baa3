// BasicMultiWaiter<std::atomic>, compiled once (multi_waiter_impl.hpp).
#include "multi_waiter_impl.hpp"

namespace tpx::detail {

template class BasicMultiWaiter<std::atomic>;

}  // namespace tpx::detail
