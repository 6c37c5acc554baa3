// Built against an installed tpx (find_package(tpx)): submits one task.
#include <tpx/tpx.hpp>

#include <cstdio>

int main() {
  tpx::ThreadPoolExecutor ex(2);
  const int answer = ex.submit([](int a, int b) { return a * b; }, 6, 7).result();
  std::printf("consumer: %d\n", answer);
  return answer == 42 ? 0 : 1;
}
