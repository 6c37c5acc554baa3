// tpx/detail/state_block.hpp — where a future's state lives: recycled blocks.
//
// Every shared state (a submit()'s TaskState, a Promise's, a bulk's core, a
// coroutine's) is allocated through StateBase's class operator new, which
// takes a block from the calling thread's cache (executor/src/block_cache.hpp)
// and gives it back to the cache of the thread that frees it. States of up to
// kMaxStateBlock bytes (a submit() of a callable of up to 48 bytes is ~128)
// cost no malloc in steady state; larger or over-aligned ones use the global
// allocator. Defined in the library.
#pragma once

#include <cstddef>

namespace tpx::detail {

inline constexpr std::size_t kStateBlockGrain = 64;    // size classes: 64, 128, ... bytes
inline constexpr std::size_t kMaxStateBlock = 512;     // larger states use ::operator new

// A block of at least `size` bytes, aligned for std::max_align_t; throws std::bad_alloc.
void* allocate_state_block(std::size_t size);
// Gives back a block from allocate_state_block(size), any thread.
void free_state_block(void* block, std::size_t size) noexcept;

}  // namespace tpx::detail
