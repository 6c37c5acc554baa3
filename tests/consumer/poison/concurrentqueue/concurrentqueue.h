// Poison: found before the real moodycamel header. tpx's public headers must
// not include it (the pool and its queue live in the library: executor/src/).
#error "a tpx public header included moodycamel's concurrentqueue.h: the pool must stay behind tpx/detail/pool_entry.hpp"
