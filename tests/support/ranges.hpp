// Reading what the waiting functions return (as_completed, map, wait) in the
// tests of more than one tier.
#pragma once

#include <algorithm>
#include <exception>
#include <string>
#include <type_traits>
#include <vector>

#include <tpx/tpx.hpp>

namespace tpx_test {

// Drains an as_completed `range`, returning the yielded futures; a
// TimeoutError ends the drain and is reported through `timeout_message`.
template <class Range>
auto drain(Range&& range, std::string* timeout_message = nullptr) {
  std::vector<std::remove_cvref_t<decltype(*range.begin())>> out;
  try {
    for (const auto& f : range) out.push_back(f);
  } catch (const tpx::TimeoutError& e) {
    if (timeout_message == nullptr) throw;
    *timeout_message = e.what();
  }
  return out;
}

inline std::vector<tpx::Future<int>> futures_of(std::vector<tpx::Promise<int>>& ps) {
  std::vector<tpx::Future<int>> fs;
  for (auto& p : ps) fs.push_back(p.get_future());
  return fs;
}

inline std::vector<int> iota_vector(int n) {
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

// Collects a map range; a std::exception ends the collection and its what() goes to `error`.
template <class Range>
std::vector<int> collect(Range& range, std::string* error = nullptr) {
  std::vector<int> out;
  try {
    for (auto&& v : range) out.push_back(static_cast<int>(v));
  } catch (const std::exception& e) {
    if (error == nullptr) throw;
    *error = e.what();
  }
  return out;
}

// True when `got` holds exactly the futures of `want`, each once, in any order
// (the done / not_done sets of a wait()).
template <class T>
bool same_set(std::vector<tpx::Future<T>> got, std::vector<tpx::Future<T>> want) {
  if (got.size() != want.size()) return false;
  for (const auto& w : want)
    if (std::count(got.begin(), got.end(), w) != 1) return false;
  return true;
}

}  // namespace tpx_test
