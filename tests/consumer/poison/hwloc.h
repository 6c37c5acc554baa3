// Poison: found before the real hwloc header. tpx's public headers must not
// include it (topology and pinning live in the library: executor/src/).
#error "a tpx public header included hwloc.h: topology must stay inside the library"
