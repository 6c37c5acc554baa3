#include "stats.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tpx::compare {
namespace {

bool has_ties(std::vector<double> all) {
  std::sort(all.begin(), all.end());
  return std::adjacent_find(all.begin(), all.end()) != all.end();
}

std::vector<double> concat(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> all(a);
  all.insert(all.end(), b.begin(), b.end());
  return all;
}

bool exact_applies(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() <= kExactMaxSize && b.size() <= kExactMaxSize && !has_ties(concat(a, b));
}

// Number of arrangements of m a's and n b's for each value of U, by the
// recurrence f(m, n, u) = f(m-1, n, u-n) + f(m, n-1, u): the largest element
// is either an a (beating all n b's) or a b. Doubles hold C(40, 20) exactly.
std::vector<double> u_frequencies(std::size_t m, std::size_t n) {
  // table[i][j] = frequencies for sizes (i, j), built row by row.
  std::vector<std::vector<std::vector<double>>> table(
      m + 1, std::vector<std::vector<double>>(n + 1));
  for (std::size_t i = 0; i <= m; ++i) {
    for (std::size_t j = 0; j <= n; ++j) {
      auto& f = table[i][j];
      f.assign(i * j + 1, 0.0);
      if (i == 0 || j == 0) {
        f[0] = 1;
        continue;
      }
      const auto& with_a = table[i - 1][j];  // largest is an a: adds j
      const auto& with_b = table[i][j - 1];  // largest is a b: adds 0
      for (std::size_t u = 0; u < with_a.size(); ++u) f[u + j] += with_a[u];
      for (std::size_t u = 0; u < with_b.size(); ++u) f[u] += with_b[u];
    }
  }
  return table[m][n];
}

}  // namespace

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double stddev(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

double coefficient_of_variation(const std::vector<double>& v) {
  const double m = mean(v);
  return m == 0 ? 0 : stddev(v) / std::fabs(m);
}

double exact_u_cdf(std::size_t m, std::size_t n, double u) {
  const auto f = u_frequencies(m, n);
  const double total = std::accumulate(f.begin(), f.end(), 0.0);
  double below = 0;
  for (std::size_t k = 0; k < f.size() && static_cast<double>(k) <= u + 1e-9; ++k) below += f[k];
  return below / total;
}

double normal_upper_quantile(double q) {
  // Bisection on erfc: 60 halvings of [0, 40] is far below double resolution
  // of any z we print, and this runs a handful of times per invocation.
  double lo = -40, hi = 40;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    if (0.5 * std::erfc(mid / std::sqrt(2.0)) > q)
      lo = mid;
    else
      hi = mid;
  }
  return (lo + hi) / 2;
}

UTest mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b, UMethod method) {
  const std::size_t m = a.size(), n = b.size();
  // Midranks of the pooled sample.
  std::vector<std::pair<double, int>> pooled;
  pooled.reserve(m + n);
  for (double x : a) pooled.emplace_back(x, 0);
  for (double x : b) pooled.emplace_back(x, 1);
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& l, const auto& r) { return l.first < r.first; });
  double rank_sum_a = 0, tie_term = 0;
  for (std::size_t i = 0; i < pooled.size();) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const double midrank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    const double t = static_cast<double>(j - i);
    tie_term += t * t * t - t;
    for (std::size_t k = i; k < j; ++k)
      if (pooled[k].second == 0) rank_sum_a += midrank;
    i = j;
  }
  const double dm = static_cast<double>(m), dn = static_cast<double>(n);
  UTest r;
  r.u = rank_sum_a - dm * (dm + 1) / 2;
  const double mu = dm * dn / 2;

  if (method == UMethod::automatic && exact_applies(a, b)) {
    r.exact = true;
    // Two-sided: double the smaller tail; U's distribution is symmetric about mu.
    const double lower = std::min(r.u, dm * dn - r.u);
    r.p = std::min(1.0, 2 * exact_u_cdf(m, n, lower));
    return r;
  }
  const double total = dm + dn;
  const double variance = dm * dn / 12 * ((total + 1) - tie_term / (total * (total - 1)));
  if (variance <= 0) {  // every value equal: no evidence of any difference
    r.p = 1;
    return r;
  }
  const double z = std::max(0.0, std::fabs(r.u - mu) - 0.5) / std::sqrt(variance);
  r.p = std::min(1.0, std::erfc(z / std::sqrt(2.0)));
  return r;
}

Shift hodges_lehmann(const std::vector<double>& a, const std::vector<double>& b, double alpha) {
  std::vector<double> d;
  d.reserve(a.size() * b.size());
  for (double x : a)
    for (double y : b) d.push_back(y - x);
  std::sort(d.begin(), d.end());
  Shift s;
  s.estimate = median(d);

  // The interval is [d_(k), d_(mn+1-k)] where k-1 is the largest c with
  // P(U <= c) <= alpha/2 (Lehmann, Nonparametrics, 1975, §2.6).
  const std::size_t m = a.size(), n = b.size(), mn = m * n;
  std::size_t k = 0;  // 1-based; 0 = no interval at this confidence
  if (exact_applies(a, b)) {
    const auto f = u_frequencies(m, n);
    const double total = std::accumulate(f.begin(), f.end(), 0.0);
    double cdf = 0;
    for (std::size_t c = 0; c < f.size(); ++c) {
      cdf += f[c];
      if (cdf / total > alpha / 2) break;
      k = c + 1;
    }
  } else {
    const double z = normal_upper_quantile(alpha / 2);
    const double dm = static_cast<double>(m), dn = static_cast<double>(n);
    const double c = dm * dn / 2 - z * std::sqrt(dm * dn * (dm + dn + 1) / 12);
    k = c >= 1 ? static_cast<std::size_t>(c) : 0;  // truncation rounds down: c is positive
  }
  if (k >= 1 && k <= mn + 1 - k) {
    s.low = d[k - 1];
    s.high = d[mn - k];
  }
  return s;
}

}  // namespace tpx::compare
