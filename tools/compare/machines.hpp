// The machines behind the runs: a field-by-field diff of their contexts and
// the warnings that decide whether their numbers can be trusted.
#pragma once

#include <string_view>
#include <vector>

#include "report.hpp"
#include "runs.hpp"

namespace tpx::compare {

inline constexpr std::size_t kMinRepetitions = 5;

// One row per context field, one column per run; differing fields marked.
Section machines_section(const std::vector<Run>& runs);

// Debug builds, oversubscription, too few repetitions, high variation,
// frequency scaling, aggregates-only input, and what was skipped while loading.
std::vector<Note> run_warnings(const std::vector<Run>& runs, std::string_view metric, double cv_limit);

}  // namespace tpx::compare
