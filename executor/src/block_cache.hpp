// block_cache.hpp (internal) — the recycled blocks behind tpx/detail/state_block.hpp.
//
// Each thread keeps free blocks in bins, one singly linked LIFO list per size
// class (64-byte steps up to kMaxStateBlock): a free pushes onto the freeing
// thread's bin, an allocation pops from the allocating thread's. No atomics:
// a bin belongs to one thread. Blocks move between threads in batches,
// through a depot shared by all threads (a mutex, taken once per kBatch
// blocks): a bin that grows past kMaxPerBin gives batches of kBatch further
// blocks to the depot, an empty bin takes a batch from it before it calls the global
// allocator. So a producer whose states are freed by workers, or the other
// way round, still recycles, and what one thread and the depot keep is
// bounded (per class: kMaxPerBin blocks per thread, kMaxBatches batches in
// the depot; beyond that, blocks go back to the global allocator).
//
// A thread's bins go to the depot when it exits (state_block.cpp). Under
// AddressSanitizer a free block is poisoned past its link word, so a use
// after free of a cached block is reported as one of a freed heap block
// would be. The link stays readable: LeakSanitizer follows no pointer in
// poisoned memory, and would call every block behind the first a leak.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <utility>

#include "tpx/detail/state_block.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// Everything but the first word (the FreeBlock link).
#define TPX_POISON_BLOCK(p, n) \
  ASAN_POISON_MEMORY_REGION(static_cast<char*>(static_cast<void*>(p)) + sizeof(void*), (n) - sizeof(void*))
#define TPX_UNPOISON_BLOCK(p, n) \
  ASAN_UNPOISON_MEMORY_REGION(static_cast<char*>(static_cast<void*>(p)) + sizeof(void*), (n) - sizeof(void*))
#else
#define TPX_POISON_BLOCK(p, n) static_cast<void>(0)
#define TPX_UNPOISON_BLOCK(p, n) static_cast<void>(0)
#endif

namespace tpx::detail {

inline constexpr std::size_t kBlockClasses = kMaxStateBlock / kStateBlockGrain;
static_assert(kMaxStateBlock % kStateBlockGrain == 0 && kStateBlockGrain % alignof(std::max_align_t) == 0);

// The class of a block of `size` bytes (1 <= size <= kMaxStateBlock), and its bytes.
constexpr std::size_t block_class(std::size_t size) noexcept { return (size - 1) / kStateBlockGrain; }
constexpr std::size_t class_bytes(std::size_t cls) noexcept { return (cls + 1) * kStateBlockGrain; }

struct FreeBlock {
  FreeBlock* next;
};

// A LIFO list of free blocks of one class.
struct BlockList {
  FreeBlock* head = nullptr;
  std::uint32_t count = 0;

  void push(void* p, [[maybe_unused]] std::size_t bytes) noexcept {
    auto* block = static_cast<FreeBlock*>(p);
    TPX_UNPOISON_BLOCK(block, bytes);
    block->next = head;
    TPX_POISON_BLOCK(block, bytes);
    head = block;
    ++count;
  }
  // The newest block (unpoisoned, `bytes` of it), or null.
  void* pop([[maybe_unused]] std::size_t bytes) noexcept {
    FreeBlock* block = head;
    if (block == nullptr) return nullptr;
    TPX_UNPOISON_BLOCK(block, bytes);
    head = block->next;
    --count;
    return block;
  }
  // Moves the newest `n` blocks (n <= count) to a list of their own.
  BlockList split(std::uint32_t n, std::size_t bytes) noexcept {
    BlockList taken;
    for (std::uint32_t i = 0; i < n; ++i) taken.push(pop(bytes), bytes);
    return taken;
  }
  void release_all(std::size_t bytes) noexcept {
    while (void* p = pop(bytes)) ::operator delete(p);
  }
};

// Batches of free blocks shared by every thread.
class BlockDepot {
 public:
  static constexpr std::size_t kMaxBatches = 64;  // per class

  BlockDepot() = default;
  BlockDepot(const BlockDepot&) = delete;
  BlockDepot& operator=(const BlockDepot&) = delete;
  ~BlockDepot() {
    for (std::size_t cls = 0; cls < kBlockClasses; ++cls)
      for (std::size_t i = 0; i < batches_[cls]; ++i) stock_[cls][i].release_all(class_bytes(cls));
  }

  // A batch of class `cls`, or an empty list.
  BlockList take(std::size_t cls) noexcept {
    std::lock_guard lock(mutex_);
    if (batches_[cls] == 0) return {};
    return stock_[cls][--batches_[cls]];
  }
  // Keeps `batch`, or frees its blocks when the depot holds kMaxBatches already.
  void give(std::size_t cls, BlockList batch) noexcept {
    {
      std::lock_guard lock(mutex_);
      if (batches_[cls] < kMaxBatches) {
        stock_[cls][batches_[cls]++] = batch;
        return;
      }
    }
    batch.release_all(class_bytes(cls));
  }
  std::size_t batches(std::size_t cls) noexcept {
    std::lock_guard lock(mutex_);
    return batches_[cls];
  }

 private:
  std::mutex mutex_;
  std::size_t batches_[kBlockClasses] = {};
  BlockList stock_[kBlockClasses][kMaxBatches];
};

// One thread's bins. Trivially constructible and destructible, so it can be a
// constinit thread_local that any code, even another thread_local's
// destructor, may touch at any time.
//
// A bin at its bound collects further frees in a spill list, handed to the
// depot whole when it holds kBatch: no walk over blocks freed long ago (cold
// in the cache), each block is touched once, when it is freed.
struct BlockBins {
  static constexpr std::uint32_t kBatch = 64;                // blocks moved to or from the depot at once
  static constexpr std::uint32_t kMaxPerBin = 4 * kBatch;   // a bin holds at most this many

  BlockList bins[kBlockClasses];
  BlockList spills[kBlockClasses];

  void* allocate(std::size_t cls, BlockDepot& depot) {
    const std::size_t bytes = class_bytes(cls);
    BlockList& bin = bins[cls];
    if (bin.head == nullptr) {
      // Empty: the newest blocks first (a spill being filled), else a batch from the depot.
      if (spills[cls].head != nullptr)
        bin = std::exchange(spills[cls], BlockList{});
      else
        bin = depot.take(cls);
    }
    if (void* p = bin.pop(bytes)) return p;
    return ::operator new(bytes);
  }
  void free(void* p, std::size_t cls, BlockDepot& depot) noexcept {
    const std::size_t bytes = class_bytes(cls);
    BlockList& bin = bins[cls];
    if (bin.count < kMaxPerBin) return bin.push(p, bytes);
    BlockList& spill = spills[cls];
    spill.push(p, bytes);
    if (spill.count == kBatch) depot.give(cls, std::exchange(spill, BlockList{}));
  }
  // Everything to the depot (a thread that exits).
  void flush(BlockDepot& depot) noexcept {
    for (std::size_t cls = 0; cls < kBlockClasses; ++cls) {
      if (spills[cls].count != 0) depot.give(cls, std::exchange(spills[cls], BlockList{}));
      BlockList& bin = bins[cls];
      while (bin.count != 0) depot.give(cls, bin.split(bin.count < kBatch ? bin.count : kBatch, class_bytes(cls)));
    }
  }
};

// Batches the process-wide depot (state_block.cpp) holds for states of `size` bytes (tests).
std::size_t state_depot_batches(std::size_t size) noexcept;

}  // namespace tpx::detail
