// Recycled state blocks (tpx/detail/state_block.hpp): the per-thread bins and
// the depot of block_cache.hpp.
#include <new>

#include "block_cache.hpp"

namespace tpx::detail {
namespace {

// Constant-initialized (no guard to test on each call) and never destroyed: a
// thread may exit (and flush its bins here) after static destructors ran.
// What it holds stays reachable, so leak checkers are quiet.
union NeverDestroyedDepot {
  BlockDepot depot;
  constexpr NeverDestroyedDepot() : depot() {}
  ~NeverDestroyedDepot() {}
};
constinit NeverDestroyedDepot g_depot;

// A thread's bins live in a trivially destructible thread_local, reachable
// even from other thread_locals' destructors; a second thread_local, created
// when the thread first uses its bins, gives them back to the depot when the
// thread exits. After that, the thread frees and allocates through the global
// allocator (retired).
enum class BinsState : unsigned char { unused, in_use, retired };
struct ThreadBins {
  BlockBins bins;
  BinsState state = BinsState::unused;
};
constinit thread_local ThreadBins t_bins{};

struct BinsReturner {
  bool armed = false;
  ~BinsReturner() {
    t_bins.bins.flush(g_depot.depot);
    t_bins.state = BinsState::retired;
  }
};
thread_local BinsReturner t_returner;

// True when the calling thread may use its bins (one thread-local byte read
// on the common path). The first use, allocation or free, arms the returner:
// a thread that only allocates still holds the rest of a batch it took from
// the depot (found leaking by LeakSanitizer before it did).
inline bool bins_usable() noexcept {
  if (t_bins.state == BinsState::in_use) [[likely]]
    return true;
  if (t_bins.state == BinsState::retired) return false;
  t_bins.state = BinsState::in_use;
  t_returner.armed = true;  // constructs it: its destructor runs at thread exit
  return true;
}

}  // namespace

// A block of a class always has the class's bytes, whoever allocated it: it
// may be freed into another thread's bin and reused for any state of its class.
void* allocate_state_block(std::size_t size) {
  if (size > kMaxStateBlock) return ::operator new(size);
  const std::size_t cls = block_class(size);
  if (!bins_usable()) return ::operator new(class_bytes(cls));
  return t_bins.bins.allocate(cls, g_depot.depot);
}

void free_state_block(void* block, std::size_t size) noexcept {
  if (size > kMaxStateBlock || !bins_usable()) return ::operator delete(block);
  t_bins.bins.free(block, block_class(size), g_depot.depot);
}

std::size_t state_depot_batches(std::size_t size) noexcept { return g_depot.depot.batches(block_class(size)); }

}  // namespace tpx::detail
