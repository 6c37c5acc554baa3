// examples/pinging.cpp — tpx counterpart of the tutorial's pinging program:
//
//     from time import perf_counter
//     from concurrent.futures import ThreadPoolExecutor
//     import subprocess
//
//     def task(host):
//         cmd = ['ping', '-c', '3', '-w', '10', host]
//         res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
//         if res.returncode == 0:
//             print(f'OK -> {host}')
//         else:
//             print(f'failed -> {host}')
//
//     hosts = ['webcode.me', 'clojure.org', 'fsharp.org', 'www.perl.org',
//              'python.org', 'go.dev', 'raku.org']
//
//     start = perf_counter()
//     with ThreadPoolExecutor() as executor:
//         executor.map(task, hosts)
//     finish = perf_counter()
//     print(f"elapsed {finish-start:.2f} s")
//
// The pings run at the same time, so the elapsed time is about one ping run
// (~2 s for three echoes), not one per host.
//
// What differs:
// - The default hosts need no network: 127.0.0.1 and localhost answer, and
//   nonexistent.invalid never resolves (.invalid is reserved), so the output
//   shows both outcomes. `pinging HOST...` pings those hosts instead.
// - subprocess.run becomes posix_spawnp with an argv array: no shell, so a
//   host name is never interpreted as shell syntax. Host names are still
//   checked first (a host name or an IPv4/IPv6 literal): "-f" or "a;b" is
//   rejected with a message instead of reaching ping as an option.
// - If ping is not installed, it says so and exits with status 1 (Python
//   would raise FileNotFoundError from every task).
// - ping's own output goes to /dev/null unless --verbose.
// - tpx's map() result range is consumed: destroying it unconsumed would
//   cancel the pings that have not started (Python's `with` waits instead).
//   task returns whether the host answered, and main counts the answers.
// - One worker per host (up to 32, Python's cap).
#include <tpx/tpx.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/cli.hpp"

extern char** environ;  // NOLINT: POSIX declares it nowhere in a header

namespace {

bool g_verbose = false;  // set once by main before any task exists

bool is_ip_literal(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// RFC 1123 host name: dot-separated labels of letters, digits and hyphens,
// 1-63 characters each, not starting or ending with a hyphen; at most 253
// characters; one trailing dot allowed. Returns why not, or "" when valid.
std::string host_name_problem(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty()) return "empty";
  if (host.size() > 253) return "longer than 253 characters";
  std::size_t start = 0;
  while (start <= host.size()) {
    const std::size_t dot = std::min(host.find('.', start), host.size());
    const std::string_view label = host.substr(start, dot - start);
    if (label.empty()) return "has an empty label ('..' or a leading dot)";
    if (label.size() > 63) return "has a label longer than 63 characters";
    if (label.front() == '-' || label.back() == '-') return "has a label starting or ending with '-'";
    for (const char c : label) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return "contains a character other than letters, digits, '-' and '.'";
    }
    start = dot + 1;
  }
  return "";
}

// Where posix_spawnp will look: $PATH, or the default execvp uses without it.
bool ping_is_installed() {
  const char* env = std::getenv("PATH");
  const std::string path = env != nullptr ? env : "/usr/local/bin:/bin:/usr/bin";
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t colon = std::min(path.find(':', start), path.size());
    std::string dir = path.substr(start, colon - start);
    if (dir.empty()) dir = ".";  // an empty PATH entry means the current directory
    const std::string candidate = dir + "/ping";
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0) {
      return true;
    }
    start = colon + 1;
  }
  return false;
}

// subprocess.run(['ping', '-c', '3', '-w', '10', host]).returncode == 0
bool task(const std::string& host) {
  std::string argv_storage[] = {"ping", "-c", "3", "-w", "10", host};
  char* child_argv[] = {argv_storage[0].data(), argv_storage[1].data(), argv_storage[2].data(),
                        argv_storage[3].data(), argv_storage[4].data(), argv_storage[5].data(),
                        nullptr};

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!g_verbose) {
    // In the child only: stdout to /dev/null, stderr to the same place.
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  }
  pid_t pid = 0;
  const int spawn_error = posix_spawnp(&pid, "ping", &actions, nullptr, child_argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) {
    examples::say("failed -> ", host, " (could not run ping: ", std::strerror(spawn_error), ")");
    return false;
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      examples::say("failed -> ", host, " (waitpid: ", std::strerror(errno), ")");
      return false;
    }
  }
  const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  examples::say(ok ? "OK -> " : "failed -> ", host);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> hosts;
  examples::Program program{
      .name = "pinging",
      .args = "[HOST...]",
      .summary = "Runs `ping -c 3 -w 10 HOST` for several hosts at once and prints\n"
                 "OK -> HOST or failed -> HOST for each, then the elapsed time. Default\n"
                 "hosts: 127.0.0.1, localhost and nonexistent.invalid (which cannot\n"
                 "resolve), so both outcomes show without a network. Needs ping\n"
                 "(Debian: iputils-ping). Mirrors the tutorial's pinging program.",
      .flags = {{"--verbose", "", "let ping's own output through (it interleaves)",
                 [](std::string_view) { g_verbose = true; }}},
      .positional = &hosts,
  };
  if (auto exit_code = examples::parse_command_line(program, argc, argv)) return *exit_code;
  if (hosts.empty()) hosts = {"127.0.0.1", "localhost", "nonexistent.invalid"};

  for (const std::string& host : hosts) {
    if (is_ip_literal(host)) continue;
    if (const std::string problem = host_name_problem(host); !problem.empty()) {
      examples::complain("pinging: '", host, "' is not a host name or IP address: it ", problem);
      return examples::kExitUsage;
    }
  }
  if (!ping_is_installed()) {
    examples::complain("pinging: 'ping' is not installed or not on PATH (Debian: apt-get install iputils-ping)");
    return examples::kExitFailure;
  }

  const examples::Stopwatch stopwatch;
  std::size_t answered = 0;
  {
    tpx::ThreadPoolExecutor executor(tpx::Options{
        .max_workers = std::min<std::size_t>(hosts.size(), 32),
        .thread_name_prefix = "ping",
        .pinning = tpx::Pinning::none});
    for (const bool ok : executor.map(task, hosts)) answered += ok ? 1 : 0;
  }
  examples::say("elapsed ", examples::fixed2(stopwatch.seconds()), " s (", answered, " of ", hosts.size(),
                " hosts answered)");
  return examples::kExitOk;
}
