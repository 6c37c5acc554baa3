#include "common/registry.hpp"

#include <utility>

namespace tpx::bench {
namespace {
// Function-local: registrars in other translation units run before main in
// an unspecified order.
std::vector<std::pair<const char*, RegisterFn>>& registry() {
  static std::vector<std::pair<const char*, RegisterFn>> r;
  return r;
}
}  // namespace

Registrar::Registrar(const char* what, RegisterFn fn) { registry().emplace_back(what, fn); }

void register_all() {
  for (auto& [what, fn] : registry()) fn();
}

}  // namespace tpx::bench
