// The platform on SimGrid (sim/platform/cosimulation.hpp) against the hand
// calculation: on an idle platform a transaction takes, per message, the sum
// of the route's latencies plus size / the narrowest bandwidth, and its
// compute / the host's speed; two transfers sharing a link each get half of
// it (max-min fairness). SimGrid runs once per process: ctest runs each case
// in its own process (gtest_discover_tests).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "sim/ops/random_stream.hpp"
#include "sim/platform/cosimulation.hpp"

namespace halltwin::platform {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// terminal --lan (100 Mbit/s, 0.5 ms)-- approval host (1 Gflop/s, 1 core)
//          --lan-- extranet (20 Mbit/s, 20 ms) -- provincial platform (2 Gflop/s, 4 cores)
Platform hall_platform() {
  Platform p;
  p.present = true;
  auto host = [&](const char* id, PlatformKind k, double gflops, int cores) {
    PlatformElement e;
    e.id = id, e.kind = k, e.speed_flops = gflops * 1e9, e.cores = cores;
    p.elements.push_back(e);
  };
  auto link = [&](const char* id, PlatformKind k, double mbps, double ms) {
    PlatformElement e;
    e.id = id, e.kind = k, e.bandwidth_Bps = mbps * 125000.0, e.latency_s = ms / 1000.0;
    p.elements.push_back(e);
  };
  host("terminals", PlatformKind::terminal, 1.0, 1);            // 0
  link("lan", PlatformKind::lan, 100.0, 0.5);                   // 1
  link("extranet", PlatformKind::extranet, 20.0, 20);           // 2
  host("province", PlatformKind::provincial_platform, 2.0, 4);  // 3
  host("approval", PlatformKind::approval_host, 1.0, 1);        // 4
  return p;
}

PlatformTransaction tx(std::size_t to, double req_kb, double mflop, double reply_kb, int count = 1) {
  PlatformTransaction t;
  t.to = to, t.request_kb = req_kb, t.compute_mflop = mflop, t.reply_kb = reply_kb, t.count = count;
  return t;
}

struct Start {
  double at_s;
  std::uint32_t matter;
};

// Drives the link like the operations engine: services start at the given
// times; returns each service's completion time (by start order).
std::vector<double> completions(const Platform& p, const std::vector<Start>& starts,
                                PlatformKpis* kpis = nullptr, CosimSetup setup = {}) {
  std::vector<double> done(starts.size(), -1.0);
  const PlatformKpis k = run_cosimulation(p, setup, [&](ops::PlatformLink& link) {
    for (std::uint32_t i = 0; i <= starts.size(); ++i) {
      const double next = i < starts.size() ? starts[i].at_s : kInf;
      while (auto d = link.advance(next)) done[d->token] = d->time_s;
      if (i < starts.size()) link.service_started(starts[i].at_s, starts[i].matter, starts[i].at_s, i);
    }
  });
  if (kpis) *kpis = k;
  return done;
}

TEST(PlatformSim, IdleTransactionMatchesHandCalculation) {
  Platform p = hall_platform();
  p.by_matter.push_back({MatterId{0}, {tx(3, 100, 500, 200)}});
  PlatformKpis k;
  const auto done = completions(p, {{10.0, 0}}, &k);
  // Request: 0.5 ms + 20 ms + 100 kB / 2.5 MB/s; compute: 500 Mflop / 2 Gflop/s;
  // reply: 20.5 ms + 200 kB / 2.5 MB/s.
  const double hand = (0.0005 + 0.020 + 100e3 / 2.5e6) + 500e6 / 2e9 + (0.0005 + 0.020 + 200e3 / 2.5e6);
  EXPECT_NEAR(done[0] - 10.0, hand, 1e-9);
  EXPECT_NEAR(hand, 0.411, 1e-12);
  EXPECT_EQ(k.transactions, 1u);
  EXPECT_NEAR(k.transaction_mean_s, hand, 1e-9);
}

TEST(PlatformSim, LocalHostNeedsNoExtranet) {
  Platform p = hall_platform();
  p.by_matter.push_back({MatterId{0}, {tx(4, 125, 100, 0, 3)}});
  const auto done = completions(p, {{0.0, 0}});
  // Three in sequence: 0.5 ms + 125 kB / 12.5 MB/s, then 0.1 s compute; no
  // reply (an empty message is no message).
  const double one = (0.0005 + 125e3 / 12.5e6) + 0.1;
  EXPECT_NEAR(done[0], 3 * one, 1e-9);
}

TEST(PlatformSim, ContendedExtranetIsSharedFairly) {
  Platform p = hall_platform();
  p.by_matter.push_back({MatterId{0}, {tx(3, 1000, 0, 0)}});
  // Alone: 20.5 ms + 1 MB / 2.5 MB/s.
  const double alone = 0.0205 + 1e6 / 2.5e6;
  // Two at once on the 20 Mbit/s extranet: each gets half of it.
  const auto done = completions(p, {{0.0, 0}, {0.0, 0}});
  const double shared = 0.0205 + 1e6 / 1.25e6;
  EXPECT_NEAR(done[0], shared, 1e-6);
  EXPECT_NEAR(done[1], shared, 1e-6);
  EXPECT_GT(done[0], alone * 1.9);
}

TEST(PlatformSim, ContendedHostCoresAreShared) {
  Platform p = hall_platform();
  // 1 Gflop on the one-core approval host: 1 s alone, 2 s each for two at once.
  p.by_matter.push_back({MatterId{0}, {tx(4, 0, 1000, 0)}});
  const auto done = completions(p, {{0.0, 0}, {0.0, 0}});
  EXPECT_NEAR(done[0], 2.0, 1e-6);
  EXPECT_NEAR(done[1], 2.0, 1e-6);
}

TEST(PlatformSim, OutageHoldsTheTransactionUntilRecovery) {
  Platform p = hall_platform();
  p.elements[2].outages.push_back({36000.0, 37800.0, 1});  // extranet 10:00-10:30
  p.by_matter.push_back({MatterId{0}, {tx(3, 100, 500, 200)}});
  PlatformKpis k;
  // One service cut by the outage's start (its request is through at
  // 35999.9605, its compute on the provincial host is cut at 36000), one
  // starting in the middle of it.
  const auto done = completions(p, {{35999.9, 0}, {36500.0, 0}}, &k);
  // At 10:30 the first computes again (0.25 s, to 37800.25), the second
  // sends its request (20.5 ms + 100 kB / 2.5 MB/s, to 37800.0605) and
  // computes (to 37800.3105). The first's reply is alone on the extranet from
  // 37800.2705 (after its latency) to 37800.331 (151.25 kB through), then
  // shares it with the second's: each at 1.25 MB/s, the first's last 48.75 kB
  // take 0.039 s (37800.370); the second's remaining 151.25 kB then go alone
  // at 2.5 MB/s in 0.0605 s (37800.4305).
  EXPECT_NEAR(done[0], 37800.370, 1e-6);
  EXPECT_NEAR(done[1], 37800.4305, 1e-6);
  EXPECT_EQ(k.retries, 1u);
  EXPECT_NEAR(k.elements[2].down_s, 1800.0, 1e-9);
  EXPECT_EQ(k.services_delayed, 2u);
}

TEST(PlatformSim, RandomFailuresAreSeedDeterministic) {
  Platform p = hall_platform();
  p.elements[2].mtbf_h = 2.0;
  p.elements[2].mttr_min = 20.0;
  p.by_matter.push_back({MatterId{0}, {tx(3, 100, 500, 200)}});
  CosimSetup s;
  s.seed = 7, s.horizon_days = 3;
  PlatformKpis k;
  std::vector<Start> starts;
  for (int i = 0; i < 200; ++i) starts.push_back({i * 600.0, 0});
  const auto done = completions(p, starts, &k, s);
  // The failures are the element's own stream of (seed, replication,
  // "platform:" + id): the same renewal process drawn here gives the same
  // failures and down time, whatever else the run does.
  ops::RandomStream rng(7, 1, "platform:extranet");
  int failures = 0;
  double down = 0.0, t = 0.0;
  while (true) {
    t += rng.exponential(2.0 * 3600.0);
    if (t >= 3 * 86400.0) break;
    const double r = rng.exponential(20.0 * 60.0);
    down += std::min(t + r, 3 * 86400.0) - t, ++failures, t += r;
  }
  EXPECT_EQ(k.elements[2].failures, failures);
  EXPECT_NEAR(k.elements[2].down_s, down, 1e-6);
  EXPECT_GT(failures, 15);  // about 3 days / (2 h + 20 min)
  EXPECT_GT(k.services_delayed, 0u);
  EXPECT_EQ(k.services, 200u);
  for (std::size_t i = 0; i < done.size(); ++i) EXPECT_GE(done[i], starts[i].at_s + 0.411 - 1e-9);
}

}  // namespace
}  // namespace halltwin::platform
