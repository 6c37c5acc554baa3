// The statistics against known values.
#include <catch2/catch.hpp>

#include "stats.hpp"

using namespace tpx::compare;

TEST_CASE("median, mean, standard deviation, coefficient of variation", "[unit]") {
  CHECK(median({3, 1, 2}) == 2);
  CHECK(median({4, 1, 3, 2}) == 2.5);
  CHECK(mean({1, 2, 3, 4}) == 2.5);
  CHECK(stddev({2, 4, 4, 4, 5, 5, 7, 9}) == Approx(2.138089935));  // sample (n-1)
  CHECK(stddev({5}) == 0);
  CHECK(coefficient_of_variation({10, 10, 10}) == 0);
}

TEST_CASE("exact null distribution of U", "[unit]") {
  // m = n = 5: 252 arrangements; U <= 2 in 4 of them (U = 0, 1, 2, 2).
  CHECK(exact_u_cdf(5, 5, 2) == Approx(4.0 / 252));
  CHECK(exact_u_cdf(5, 5, 25) == Approx(1.0));
  CHECK(exact_u_cdf(3, 3, 0) == Approx(1.0 / 20));
}

TEST_CASE("Mann-Whitney U, exact p for a small sample (textbook example)", "[unit]") {
  // The example of scipy.stats.mannwhitneyu's documentation (after Conover):
  // males vs females, U1 = 17, exact two-sided p = 14/126 = 0.1111.
  const std::vector<double> males{19, 22, 16, 29, 24}, females{20, 11, 17, 12};
  const UTest t = mann_whitney_u(males, females);
  CHECK(t.exact);
  CHECK(t.u == 17);
  CHECK(t.p == Approx(0.1111111111111111).epsilon(1e-12));

  // The same data with the normal approximation: scipy's method="asymptotic"
  // gives 0.11134688653314041 (continuity corrected).
  const UTest n = mann_whitney_u(males, females, UMethod::normal);
  CHECK_FALSE(n.exact);
  CHECK(n.p == Approx(0.11134688653314041).epsilon(1e-9));
}

TEST_CASE("Mann-Whitney U, normal approximation with tie correction", "[unit]") {
  // Ties force the normal approximation. By hand: midranks give R1 = 43.5,
  // U = 43.5 - 36 = 7.5; sum(t^3 - t) over the tie groups (2, 4, 3, 3, 2) = 102;
  // var = 8*9/12 * (18 - 102/(17*16)) = 105.75; z = (|7.5 - 36| - 0.5)/sqrt(105.75);
  // p = erfc(z/sqrt 2) = 0.0063731338.
  const std::vector<double> a{1, 2, 2, 3, 3, 3, 4, 5}, b{3, 4, 4, 5, 5, 6, 7, 7, 8};
  const UTest t = mann_whitney_u(a, b);
  CHECK_FALSE(t.exact);
  CHECK(t.u == 7.5);
  CHECK(t.p == Approx(0.006373133838085877).epsilon(1e-9));
}

TEST_CASE("Mann-Whitney U, large samples use the normal approximation", "[unit]") {
  std::vector<double> a, b;
  for (int i = 1; i <= 25; ++i) {
    a.push_back(i);
    b.push_back(i + 10.5);
  }
  const UTest t = mann_whitney_u(a, b);
  CHECK_FALSE(t.exact);
  CHECK(t.u == 105);
  CHECK(t.p == Approx(5.909644085596031e-05).epsilon(1e-6));
  // Symmetric in its arguments, and identical samples give p = 1.
  CHECK(mann_whitney_u(b, a).p == Approx(t.p));
  CHECK(mann_whitney_u({4, 4, 4}, {4, 4, 4}).p == 1);
}

TEST_CASE("Hodges-Lehmann shift and its confidence interval", "[unit]") {
  const std::vector<double> a{1, 2, 3, 4, 5}, b{11, 12, 13, 14, 15};
  const Shift s = hodges_lehmann(a, b, 0.05);
  CHECK(s.estimate == 10);
  // 25 differences: 6 once, 7 twice, 8 three times, ... 14 once. Exact k = 3
  // (P(U <= 2) = 4/252 <= 0.025 < P(U <= 3) = 7/252): [d(3), d(23)] = [7, 13].
  REQUIRE(s.low);
  REQUIRE(s.high);
  CHECK(*s.low == 7);
  CHECK(*s.high == 13);
}

TEST_CASE("Hodges-Lehmann has no interval when samples are too small", "[unit]") {
  const Shift s = hodges_lehmann({1, 2}, {3, 4}, 0.05);
  CHECK(s.estimate == 2);
  CHECK_FALSE(s.low);
  CHECK_FALSE(s.high);
}

TEST_CASE("normal quantile", "[unit]") {
  CHECK(normal_upper_quantile(0.025) == Approx(1.959963985).epsilon(1e-8));
  CHECK(normal_upper_quantile(0.5) == Approx(0).margin(1e-12));
}
