// Spec files: the targets `check` reads, as JSON (format in README.md).
#pragma once

#include <string>
#include <string_view>

#include "targets.hpp"

namespace tpx::compare {

// Reads and validates a spec file; throws InputError naming the file, the
// row (by index and id) and the field at fault.
Spec load_spec(const std::string& path);

// Parses text already in memory; `path` only names it in messages.
Spec parse_spec(std::string_view text, const std::string& path);

}  // namespace tpx::compare
