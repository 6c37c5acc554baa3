// examples/backpressure.cpp — a bounded pool under a burst (beyond the tutorial).
//
// A producer fires a burst of requests at a pool of 2 workers whose queue
// holds at most 4 tasks (Options::max_queued). Each request takes 0.2 s (times
// --scale). What happens when the queue is full is Options::when_full:
//   block        the producer waits for room: the queue never grows past 4,
//                and the producer is slowed to the workers' pace
//   reject       submit throws tpx::QueueFull: the request is shed
//   caller_runs  the producer runs the request itself (and is slowed by it)
// Every line says what happened to one request, how long submit took, and
// how many requests were waiting (queued, not started) right after it.
// Python's ThreadPoolExecutor has no bound: its queue would hold the whole burst.
#include <tpx/tpx.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/cli.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

}  // namespace

int main(int argc, char** argv) {
  double scale = 1.0;
  std::uint64_t burst = 12;
  std::string policy = "block";
  examples::Program program{
      .name = "backpressure",
      .args = "",
      .summary = "Fires a burst of requests (0.2 s each) at 2 workers with max_queued = 4 and\n"
                 "shows, per request, whether it was queued, shed or run by the producer, how\n"
                 "long submit took and how many requests were waiting after it.",
      .flags = {examples::scale_flag(scale),
                {"--burst", "N", "requests in the burst (default 12)",
                 [&burst](std::string_view v) { burst = examples::parse_uint(v, 1, 10000); }},
                {"--policy", "P", "when the queue is full: block (default), reject or caller_runs",
                 [&policy](std::string_view v) {
                   if (v != "block" && v != "reject" && v != "caller_runs")
                     throw std::invalid_argument("expected block, reject or caller_runs, got '" + std::string(v) + "'");
                   policy = std::string(v);
                 }}},
  };
  if (auto exit_code = examples::parse_command_line(program, argc, argv)) return *exit_code;

  constexpr std::size_t kBound = 4;
  const tpx::WhenFull when_full = policy == "reject"        ? tpx::WhenFull::reject
                                  : policy == "caller_runs" ? tpx::WhenFull::caller_runs
                                                            : tpx::WhenFull::block;
  const auto work = examples::scaled_seconds(0.2, scale);
  std::atomic<std::uint64_t> started{0};
  std::uint64_t accepted = 0, shed = 0, ran_here = 0, most_waiting = 0;
  double blocked_ms = 0;
  const auto producer = std::this_thread::get_id();
  const auto t0 = Clock::now();
  {
    tpx::ThreadPoolExecutor ex(tpx::Options{.max_workers = 2,
                                            .thread_name_prefix = "bp",
                                            .pinning = tpx::Pinning::none,
                                            .max_queued = kBound,
                                            .when_full = when_full});
    std::vector<tpx::Future<bool>> futures;
    for (std::uint64_t id = 1; id <= burst; ++id) {
      const auto before = Clock::now();
      try {
        futures.push_back(ex.submit([&, work] {
          started.fetch_add(1);
          std::this_thread::sleep_for(work);
          return std::this_thread::get_id() == producer;
        }));
      } catch (const tpx::QueueFull&) {
        ++shed;
        examples::say("request ", id, ": shed (tpx::QueueFull) after ", examples::fixed2(ms_since(before)), " ms");
        continue;
      }
      ++accepted;
      const double took = ms_since(before);
      blocked_ms += took;
      const bool here = futures.back().done() && futures.back().result();
      if (here) ++ran_here;
      // Accepted and not started: queued, or taken by a worker a moment ago.
      const std::uint64_t now_started = started.load();
      const std::uint64_t waiting = accepted > now_started ? accepted - now_started : 0;
      most_waiting = std::max(most_waiting, waiting);
      examples::say("request ", id, ": ", here ? "ran on the producer" : "queued", ", submit took ",
                    examples::fixed2(took), " ms, waiting now: ", waiting);
    }
    for (auto& f : futures) f.result();
  }
  examples::say("burst of ", burst, " (policy ", policy, "): ", accepted, " accepted (", ran_here,
                " run by the producer), ", shed, " shed; at most ", most_waiting, " waiting (bound ", kBound,
                "); submit took ", examples::fixed2(blocked_ms), " ms in all; done after ",
                examples::fixed2(ms_since(t0)), " ms");
  return examples::kExitOk;
}
