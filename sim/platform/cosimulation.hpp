#pragma once
// The hall's IT platform on SimGrid, co-simulated with the operations engine
// (docs/platform.md). This header has no SimGrid type: only cosimulation.cpp
// includes SimGrid, the one translation unit that links it.
//
// SimGrid runs one simulation per process (it cannot be reset, its issue
// 185): run_cosimulation() may be called once per process; `halltwin run`
// runs each replication that uses the platform in a child process.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/platform.hpp"
#include "sim/ops/platform_link.hpp"

namespace halltwin::platform {

struct CosimSetup {
  std::uint64_t seed = 1;
  int replication = 1;  // with the seed and the element's id, selects its failure stream
  // Availability (scheduled outages every day, random failures) is laid out
  // over calendar days [0, horizon_days) of the run; after it all is up.
  int horizon_days = 1;
};

struct ElementKpis {
  std::string id;
  double down_s = 0.0;  // time down within the horizon (scheduled and random)
  int failures = 0;     // random failures within the horizon
};

struct PlatformKpis {
  std::uint64_t services = 0;      // window services that made transactions (all completed)
  std::uint64_t transactions = 0;  // completed transactions
  double transaction_mean_s = 0.0;
  double transaction_p90_s = 0.0;  // nearest rank
  double transaction_max_s = 0.0;
  // Services whose transactions ended after the clerk's own work (the
  // window waited for the platform), and the extra time summed.
  std::uint64_t services_delayed = 0;
  double delay_sum_s = 0.0;
  // Transaction stages cut by an element going down and retried after it came back.
  std::uint64_t retries = 0;
  std::vector<ElementKpis> elements;  // in the scenario's order
};

// Builds the SimGrid platform from `platform`, starts the one driver actor
// and calls `body` inside it with the link (the engine runs there: no actor
// per citizen). Returns the platform's KPIs. Rethrows what `body` throws.
// Throws std::logic_error when called a second time in one process.
PlatformKpis run_cosimulation(const Platform& platform, const CosimSetup& setup,
                              const std::function<void(ops::PlatformLink&)>& body);

}  // namespace halltwin::platform
