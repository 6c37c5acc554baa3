// BlockBins / BlockDepot [unit]: the recycled state blocks (executor/src/block_cache.hpp).
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <set>
#include <thread>
#include <vector>

#include <tpx/tpx.hpp>

#include "block_cache.hpp"  // internal (executor/src), through tpx::internals

#include "support/support.hpp"

using tpx::detail::BlockBins;
using tpx::detail::BlockDepot;
using tpx::detail::block_class;
using tpx::detail::class_bytes;

TEST_CASE("block classes: 64-byte steps, every size fits its class", "[unit]") {
  REQUIRE(block_class(1) == 0);
  REQUIRE(block_class(64) == 0);
  REQUIRE(block_class(65) == 1);
  REQUIRE(block_class(tpx::detail::kMaxStateBlock) == tpx::detail::kBlockClasses - 1);
  for (std::size_t size = 1; size <= tpx::detail::kMaxStateBlock; ++size) {
    REQUIRE(class_bytes(block_class(size)) >= size);
    REQUIRE(class_bytes(block_class(size)) < size + tpx::detail::kStateBlockGrain);
  }
}

TEST_CASE("a freed block is the next one allocated on the same thread, and it is whole", "[unit]") {
  BlockDepot depot;
  BlockBins bins{};
  const std::size_t cls = block_class(128);
  void* a = bins.allocate(cls, depot);
  std::memset(a, 0xab, class_bytes(cls));  // every byte of the class is ours
  bins.free(a, cls, depot);
  REQUIRE(bins.bins[cls].count == 1);
  REQUIRE(bins.allocate(cls, depot) == a);
  REQUIRE(bins.bins[cls].count == 0);
  void* other = bins.allocate(block_class(64), depot);  // another class: not this block
  REQUIRE(other != a);
  bins.free(other, block_class(64), depot);
  bins.free(a, cls, depot);
  bins.flush(depot);
}

TEST_CASE("a bin past its bound gives batches to the depot; an empty bin takes one back", "[unit]") {
  BlockDepot depot;
  BlockBins bins{};
  const std::size_t cls = block_class(128);
  std::vector<void*> blocks;
  for (std::uint32_t i = 0; i < BlockBins::kMaxPerBin + 1; ++i) blocks.push_back(bins.allocate(cls, depot));
  REQUIRE(std::set<void*>(blocks.begin(), blocks.end()).size() == blocks.size());
  for (void* p : blocks) bins.free(p, cls, depot);
  REQUIRE(bins.bins[cls].count == BlockBins::kMaxPerBin);
  REQUIRE(bins.spills[cls].count == 1);  // a spill collects what comes past the bound
  REQUIRE(depot.batches(cls) == 0);
  for (std::uint32_t i = 1; i < BlockBins::kBatch; ++i) {
    blocks.push_back(::operator new(class_bytes(cls)));
    bins.free(blocks.back(), cls, depot);
  }
  REQUIRE(bins.spills[cls].count == 0);  // full: handed to the depot whole
  REQUIRE(depot.batches(cls) == 1);
  const std::set<void*> made(blocks.begin(), blocks.end());

  // Another thread's bins (here: a second BlockBins) take the batch before they allocate anew.
  BlockBins other{};
  std::set<void*> reused;
  for (std::uint32_t i = 0; i < BlockBins::kBatch; ++i) reused.insert(other.allocate(cls, depot));
  REQUIRE(depot.batches(cls) == 0);
  for (void* p : reused) REQUIRE(made.count(p) == 1);
  for (void* p : reused) other.free(p, cls, depot);
  other.flush(depot);
  bins.flush(depot);
  REQUIRE(bins.bins[cls].count == 0);
  REQUIRE(depot.batches(cls) > 0);  // the depot frees what it holds when it goes
}

TEST_CASE("a full depot frees what it is given instead of keeping it", "[unit]") {
  BlockDepot depot;
  const std::size_t cls = 0;
  BlockBins bins{};
  const std::size_t total = (BlockDepot::kMaxBatches + 2) * BlockBins::kBatch + BlockBins::kMaxPerBin;
  std::vector<void*> blocks;
  for (std::size_t i = 0; i < total; ++i) blocks.push_back(bins.allocate(cls, depot));
  for (void* p : blocks) bins.free(p, cls, depot);
  REQUIRE(depot.batches(cls) == BlockDepot::kMaxBatches);
  REQUIRE(bins.bins[cls].count <= BlockBins::kMaxPerBin);
  bins.flush(depot);  // the surplus goes back to the global allocator (LSan: no leak)
}

TEST_CASE("a thread that only allocates gives the rest of its batch back when it exits", "[unit]") {
  // This thread frees past its bin's bound, so the depot holds batches.
  constexpr std::size_t kSize = 64;
  std::vector<void*> blocks;
  for (std::uint32_t i = 0; i < BlockBins::kMaxPerBin + 2 * BlockBins::kBatch; ++i)
    blocks.push_back(tpx::detail::allocate_state_block(kSize));
  for (void* p : blocks) tpx::detail::free_state_block(p, kSize);
  const std::size_t before = tpx::detail::state_depot_batches(kSize);
  REQUIRE(before >= 1);
  // Another thread allocates one block (its empty bin takes a batch of 64)
  // and exits without ever freeing one; this thread frees the block.
  void* taken = nullptr;
  std::thread([&taken] { taken = tpx::detail::allocate_state_block(kSize); }).join();
  // The other 63 went back to the depot when it exited (they leaked before:
  // only a thread's first free armed its returner; LeakSanitizer found it).
  REQUIRE(tpx::detail::state_depot_batches(kSize) == before);
  tpx::detail::free_state_block(taken, kSize);
}
