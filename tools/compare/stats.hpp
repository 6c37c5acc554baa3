// Robust statistics over repetitions: medians, the Mann–Whitney U test and
// the Hodges–Lehmann shift with its distribution-free confidence interval.
#pragma once

#include <optional>
#include <vector>

namespace tpx::compare {

double median(std::vector<double> v);        // requires !v.empty()
double mean(const std::vector<double>& v);    // requires !v.empty()
double stddev(const std::vector<double>& v);  // sample (n-1); 0 when n < 2
double coefficient_of_variation(const std::vector<double>& v);  // stddev/|mean|

struct UTest {
  double u = 0;        // U of the first sample: pairs (a, b) with a > b, ties count 1/2
  double p = 1;        // two-sided p-value
  bool exact = false;  // exact distribution (small samples, no ties) or normal approximation
};

// Largest sample sizes for which the exact null distribution is used (when
// there are no ties); above, or with ties, the normal approximation with tie
// and continuity correction (as scipy.stats.mannwhitneyu, method="auto"-like).
inline constexpr std::size_t kExactMaxSize = 20;

enum class UMethod { automatic, normal };

// Two-sided test that a and b come from the same distribution. `automatic`
// is exact when both samples have at most kExactMaxSize values and no ties.
// Requires a and b non-empty.
UTest mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b,
                     UMethod method = UMethod::automatic);

// Probability under H0 that U <= u for sample sizes (m, n), no ties.
double exact_u_cdf(std::size_t m, std::size_t n, double u);

struct Shift {
  double estimate = 0;            // median of all pairwise differences b_j - a_i
  std::optional<double> low, high;  // (1 - alpha) confidence interval, when the samples allow it
};

// Hodges–Lehmann estimate of the shift from a to b, with the interval from the
// U distribution (exact when small and tie-free, else normal approximation).
Shift hodges_lehmann(const std::vector<double>& a, const std::vector<double>& b, double alpha);

// Standard normal: upper-tail quantile z with P(Z > z) = q, for 0 < q < 1.
double normal_upper_quantile(double q);

}  // namespace tpx::compare
