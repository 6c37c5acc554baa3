// Contender files register their benchmarks here at static-initialisation
// time; main() calls them after the profile is known (sizes depend on it).
#pragma once

#include <string>
#include <vector>

namespace tpx::bench {

using RegisterFn = void (*)();

struct Registrar {
  Registrar(const char* what, RegisterFn fn);
};

void register_all();

#define TPX_BENCH_CONCAT_INNER(a, b) a##b
#define TPX_BENCH_CONCAT(a, b) TPX_BENCH_CONCAT_INNER(a, b)
// TPX_BENCH_REGISTER(name) { ...register benchmarks... }
#define TPX_BENCH_REGISTER(name)                                                       \
  static void TPX_BENCH_CONCAT(tpx_bench_register_, name)();                           \
  static const ::tpx::bench::Registrar TPX_BENCH_CONCAT(tpx_bench_registrar_, name){   \
      #name, &TPX_BENCH_CONCAT(tpx_bench_register_, name)};                            \
  static void TPX_BENCH_CONCAT(tpx_bench_register_, name)()

}  // namespace tpx::bench
