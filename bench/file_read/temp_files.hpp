// The files of file_read: config().file_count files of config().file_bytes
// in a fresh temporary directory, created on first use, removed at exit.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tpx::bench {

const std::vector<std::string>& temp_files();

// open + read whole file + close; returns bytes read, -1 on error.
long read_file_once(const std::string& path);

}  // namespace tpx::bench
