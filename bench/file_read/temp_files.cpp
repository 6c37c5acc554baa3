#include "file_read/temp_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/config.hpp"

namespace tpx::bench {
namespace {

struct TempFiles {
  std::filesystem::path dir;
  std::vector<std::string> paths;

  TempFiles() {
    std::string templ = (std::filesystem::temp_directory_path() / "tpx-bench-XXXXXX").string();
    if (!::mkdtemp(templ.data())) {
      std::perror("file_read: mkdtemp");
      return;
    }
    dir = templ;
    const std::string body(config().file_bytes, 'x');
    for (std::size_t i = 0; i < config().file_count; ++i) {
      std::string name = std::to_string(i);
      name.insert(0, 1, 'f');  // not "f" + to_string(i): GCC 12 -Wrestrict false positive
      const auto p = dir / name;
      std::ofstream(p, std::ios::binary) << body;
      paths.push_back(p.string());
    }
  }
  ~TempFiles() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace

const std::vector<std::string>& temp_files() {
  static TempFiles files;
  return files.paths;
}

long read_file_once(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[16384];
  long total = 0;
  for (;;) {
    const ssize_t r = ::read(fd, buf, sizeof(buf));
    if (r < 0) {
      total = -1;
      break;
    }
    if (r == 0) break;
    total += r;
  }
  ::close(fd);
  return total;
}

}  // namespace tpx::bench
