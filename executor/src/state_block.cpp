// Recycled state blocks (tpx/detail/state_block.hpp): the per-thread bins and
// the depot of block_cache.hpp.
#include <new>

#include "block_cache.hpp"

namespace tpx::detail {
namespace {

// Never destroyed: a thread may exit (and flush its bins here) after static
// destructors ran. What it holds stays reachable, so leak checkers are quiet.
BlockDepot& depot() noexcept {
  static BlockDepot* const d = new BlockDepot;
  return *d;
}

// A thread's bins live in a trivially destructible thread_local, reachable
// even from other thread_locals' destructors; a second thread_local, created
// when the thread first uses its bins, gives them back to the depot when the
// thread exits. After that, the thread frees and allocates through the global
// allocator (`retired`).
struct ThreadBins {
  BlockBins bins;
  bool registered = false;
  bool retired = false;
};
constinit thread_local ThreadBins t_bins{};

struct BinsReturner {
  bool armed = false;
  ~BinsReturner() {
    t_bins.bins.flush(depot());
    t_bins.retired = true;
  }
};
thread_local BinsReturner t_returner;

}  // namespace

// A block of a class always has the class's bytes, whoever allocated it: it
// may be freed into another thread's bin and reused for any state of its class.
// The first use of the bins on a thread, allocation or free, arms the
// returner: a thread that only allocates still holds the rest of a batch it
// took from the depot (found leaking by LeakSanitizer before it did).
inline void register_bins() noexcept {
  if (t_bins.registered) return;
  t_bins.registered = true;
  t_returner.armed = true;  // constructs it: its destructor runs at thread exit
}

void* allocate_state_block(std::size_t size) {
  if (size > kMaxStateBlock) return ::operator new(size);
  const std::size_t cls = block_class(size);
  if (t_bins.retired) return ::operator new(class_bytes(cls));
  register_bins();
  return t_bins.bins.allocate(cls, depot());
}

void free_state_block(void* block, std::size_t size) noexcept {
  if (size > kMaxStateBlock) return ::operator delete(block);
  if (t_bins.retired) return ::operator delete(block);
  register_bins();
  t_bins.bins.free(block, block_class(size), depot());
}

std::size_t state_depot_batches(std::size_t size) noexcept { return depot().batches(block_class(size)); }

}  // namespace tpx::detail
