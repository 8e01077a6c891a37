// The one translation unit that includes SimGrid (docs/platform.md): it
// builds the platform in code, runs the driver actor and maps transactions
// to SimGrid activities. Keep every SimGrid call here: newer SimGrid renames
// some of them.
#include "sim/platform/cosimulation.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <simgrid/s4u.hpp>
#include <stdexcept>
#include <vector>

#include "sim/ops/random_stream.hpp"

namespace halltwin::platform {

namespace {

namespace s4u = simgrid::s4u;
constexpr double kDay_s = 86400.0;
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Interval {
  double from_s, to_s;
};

// The down intervals of one element over the horizon, sorted and merged:
// each day's scheduled outages and the random failures of its own stream.
std::vector<Interval> down_intervals(const PlatformElement& e, const CosimSetup& setup, ElementKpis& k) {
  std::vector<Interval> v;
  const double horizon = setup.horizon_days * kDay_s;
  for (int d = 0; d < setup.horizon_days; ++d)
    for (const auto& o : e.outages) v.push_back({d * kDay_s + o.from_s, d * kDay_s + o.to_s});
  if (e.mtbf_h) {
    // Alternating renewal process from an up state at 00:00 of day 0.
    ops::RandomStream rng(setup.seed, static_cast<std::uint64_t>(setup.replication), "platform:" + e.id);
    double t = 0.0;
    while (true) {
      t += rng.exponential(*e.mtbf_h * 3600.0);
      if (t >= horizon) break;
      const double repair = rng.exponential(e.mttr_min * 60.0);
      v.push_back({t, std::min(t + repair, horizon)});
      ++k.failures;
      t += repair;
    }
  }
  std::sort(v.begin(), v.end(), [](const Interval& a, const Interval& b) { return a.from_s < b.from_s; });
  std::vector<Interval> merged;
  for (const auto& i : v) {
    if (!merged.empty() && i.from_s <= merged.back().to_s)
      merged.back().to_s = std::max(merged.back().to_s, i.to_s);
    else
      merged.push_back(i);
  }
  for (const auto& i : merged) k.down_s += i.to_s - i.from_s;
  return merged;
}

struct AvailabilityChange {
  double time_s;
  std::size_t element;
  bool up;
};

// One window service in progress: its transactions run one after the other,
// each as three SimGrid activities (request, compute, reply).
struct Service {
  const std::vector<PlatformTransaction>* transactions = nullptr;
  std::size_t index = 0;  // the transaction
  int repetition = 0;     // of its count
  int stage = 0;          // 0 request, 1 compute, 2 reply
  s4u::ActivityPtr activity;
  bool blocked = false;  // waiting for an element of its route to come back
  double transaction_start_s = 0.0;
  double staff_end_s = 0.0;
};

class Driver final : public ops::PlatformLink {
 public:
  Driver(const Platform& p, const CosimSetup& setup, const std::vector<s4u::Host*>& hosts, PlatformKpis& kpis)
      : p_(p), hosts_(hosts), kpis_(kpis), down_(p.elements.size(), 0) {
    for (std::size_t i = 0; i < p.elements.size(); ++i) {
      const auto& e = p.elements[i];
      if (e.kind == PlatformKind::terminal) terminal_ = i;
      if (e.kind == PlatformKind::lan) lan_ = i;
      if (e.kind == PlatformKind::extranet) extranet_ = i;
      kpis_.elements.push_back({e.id, 0.0, 0});
      for (const auto& iv : down_intervals(e, setup, kpis_.elements.back())) {
        changes_.push_back({iv.from_s, i, false});
        changes_.push_back({iv.to_s, i, true});
      }
    }
    // Time order; at one moment, an element comes back before another goes
    // down, and ties by element order: deterministic.
    std::sort(changes_.begin(), changes_.end(), [](const AvailabilityChange& a, const AvailabilityChange& b) {
      if (a.time_s != b.time_s) return a.time_s < b.time_s;
      if (a.up != b.up) return a.up;
      return a.element < b.element;
    });
  }

  bool involves(std::uint32_t matter) const override { return !p_.transactions_of(MatterId{matter}).empty(); }

  void service_started(double now_s, std::uint32_t matter, double staff_end_s, std::uint32_t token) override {
    (void)now_s;  // the SimGrid clock is there: advance() ran up to this event
    Service& s = services_[token];
    s = Service{};
    s.transactions = &p_.transactions_of(MatterId{matter});
    s.staff_end_s = staff_end_s;
    s.transaction_start_s = s4u::Engine::get_clock();
    proceed(token);
  }

  std::optional<Done> advance(double until_s) override {
    while (true) {
      if (!ready_.empty()) {
        const Done d = ready_.front();
        ready_.erase(ready_.begin());
        return d;
      }
      const double now = s4u::Engine::get_clock();
      if (until_s <= now) return std::nullopt;
      const double next_change = next_change_ < changes_.size() ? changes_[next_change_].time_s : kInf;
      const double horizon = std::min(until_s, next_change);
      std::vector<s4u::ActivityPtr> acts;
      std::vector<std::uint32_t> tokens;
      for (auto& [token, s] : services_)
        if (s.activity) acts.push_back(s.activity), tokens.push_back(token);
      if (acts.empty()) {
        if (horizon == kInf) return std::nullopt;  // nothing runs, nothing changes
        if (horizon > now) s4u::this_actor::sleep_until(horizon);
      } else {
        const double timeout = horizon == kInf ? -1.0 : horizon - now;
        const ssize_t i = timeout == 0.0 ? -1 : s4u::Activity::wait_any_for(acts, timeout);
        if (i >= 0 && static_cast<std::size_t>(i) < acts.size()) {
          stage_done(tokens[static_cast<std::size_t>(i)]);
          continue;
        }
      }
      // The horizon is reached (compared as values, not through the clock,
      // so that rounding cannot loop): apply the availability change, or
      // hand control back to the engine.
      if (next_change <= until_s) {
        apply_changes(next_change);
        continue;
      }
      return std::nullopt;
    }
  }

  // Cancels what is still in flight (a run stopped by --at).
  void stop() {
    for (auto& [token, s] : services_)
      if (s.activity) s.activity->cancel(), s.activity = nullptr;
    services_.clear();
  }

 private:
  bool route_up(const PlatformTransaction& t) const {
    if (down_[terminal_] || down_[lan_] || down_[t.to]) return false;
    if (is_remote(p_.elements[t.to].kind) && down_[extranet_]) return false;
    return true;
  }
  bool uses(const PlatformTransaction& t, std::size_t e) const {
    return e == terminal_ || e == lan_ || e == t.to || (is_remote(p_.elements[t.to].kind) && e == extranet_);
  }

  // Whether a stage has anything to do: an empty message or no work is
  // skipped (SimGrid never completes a zero-byte host-to-host transfer).
  static bool stage_empty(const PlatformTransaction& t, int stage) {
    return stage == 0 ? t.request_kb <= 0.0 : stage == 1 ? t.compute_mflop <= 0.0 : t.reply_kb <= 0.0;
  }

  // Starts the service's current stage, skipping empty ones; a transaction
  // whose stages are done is timed and the next one begins; when none is
  // left the service is ready for the engine.
  void proceed(std::uint32_t token) {
    Service& s = services_.at(token);
    const double now = s4u::Engine::get_clock();
    while (true) {
      const PlatformTransaction& t = (*s.transactions)[s.index];
      while (s.stage < 3 && stage_empty(t, s.stage)) ++s.stage;
      if (s.stage < 3) break;
      times_.push_back(now - s.transaction_start_s);
      s.stage = 0;
      if (++s.repetition >= t.count) s.repetition = 0, ++s.index;
      s.transaction_start_s = now;
      if (s.index == s.transactions->size()) {
        ++kpis_.services;
        if (now > s.staff_end_s) {
          ++kpis_.services_delayed;
          kpis_.delay_sum_s += now - s.staff_end_s;
        }
        ready_.push_back({token, now});
        services_.erase(token);
        return;
      }
    }
    start_stage(s);
  }

  void start_stage(Service& s) {
    const PlatformTransaction& t = (*s.transactions)[s.index];
    if (!route_up(t)) {
      s.blocked = true;
      s.activity = nullptr;
      return;
    }
    s.blocked = false;
    switch (s.stage) {
      case 0:
        s.activity = s4u::Comm::sendto_async(hosts_[terminal_], hosts_[t.to],
                                             static_cast<std::uint64_t>(std::llround(t.request_kb * 1000.0)));
        break;
      case 1:
        s.activity =
            s4u::Exec::init()->set_flops_amount(t.compute_mflop * 1e6)->set_host(hosts_[t.to])->start();
        break;
      default:
        s.activity = s4u::Comm::sendto_async(hosts_[t.to], hosts_[terminal_],
                                             static_cast<std::uint64_t>(std::llround(t.reply_kb * 1000.0)));
        break;
    }
  }

  void stage_done(std::uint32_t token) {
    Service& s = services_.at(token);
    s.activity = nullptr;
    ++s.stage;
    proceed(token);
  }

  void apply_changes(double t) {
    while (next_change_ < changes_.size() && changes_[next_change_].time_s == t) {
      const AvailabilityChange c = changes_[next_change_++];
      down_[c.element] = c.up ? 0 : 1;
      for (auto& [token, s] : services_) {
        const PlatformTransaction& tr = (*s.transactions)[s.index];
        if (!c.up && s.activity && uses(tr, c.element)) {
          // The stage is lost with the element; it is sent or computed
          // again, whole, once the route is back.
          s.activity->cancel();
          s.activity = nullptr;
          s.blocked = true;
          ++kpis_.retries;
        } else if (c.up && s.blocked && route_up(tr)) {
          start_stage(s);
        }
      }
    }
  }

  const Platform& p_;
  const std::vector<s4u::Host*>& hosts_;
  PlatformKpis& kpis_;
  std::size_t terminal_ = 0, lan_ = 0, extranet_ = 0;
  std::vector<char> down_;
  std::vector<AvailabilityChange> changes_;
  std::size_t next_change_ = 0;
  std::map<std::uint32_t, Service> services_;  // ordered: deterministic scans
  std::vector<Done> ready_;
  std::vector<double> times_;

 public:
  void finish_kpis() {
    kpis_.transactions = times_.size();
    if (times_.empty()) return;
    double sum = 0.0;
    for (double t : times_) sum += t;
    kpis_.transaction_mean_s = sum / static_cast<double>(times_.size());
    std::sort(times_.begin(), times_.end());
    const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(times_.size())));
    kpis_.transaction_p90_s = times_[std::max<std::size_t>(rank, 1) - 1];
    kpis_.transaction_max_s = times_.back();
  }
};

bool g_used = false;

}  // namespace

PlatformKpis run_cosimulation(const Platform& platform, const CosimSetup& setup,
                              const std::function<void(ops::PlatformLink&)>& body) {
  if (g_used) throw std::logic_error("SimGrid runs one simulation per process (simgrid issue 185)");
  g_used = true;
  // CM02: a transfer takes latency + size / bandwidth, links shared max-min
  // fairly: the hand calculation the tests check (the default LV08 model
  // adds TCP fitting factors). No cross traffic: a reply does not load the
  // request's direction. TCP-gamma high: no window-size bound on the rate.
  std::vector<std::string> args = {"halltwin", "--log=root.thresh:critical", "--cfg=network/model:CM02",
                                   "--cfg=network/crosstraffic:0", "--cfg=network/TCP-gamma:1e15"};
#ifdef HALLTWIN_SANITIZE
  // SimGrid's default stack switching confuses AddressSanitizer.
  args.emplace_back("--cfg=contexts/factory:thread");
#endif
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  int argc = static_cast<int>(argv.size());
  s4u::Engine engine(&argc, argv.data());

  auto* zone = s4u::create_full_zone("hall");
  std::vector<s4u::Host*> hosts(platform.elements.size(), nullptr);
  std::vector<s4u::Link*> links(platform.elements.size(), nullptr);
  for (std::size_t i = 0; i < platform.elements.size(); ++i) {
    const auto& e = platform.elements[i];
    if (is_link(e.kind)) {
      links[i] = zone->create_link(e.id, e.bandwidth_Bps)->set_latency(e.latency_s)->seal();
    } else {
      hosts[i] = zone->create_host(e.id, e.speed_flops)->set_core_count(e.cores)->seal();
    }
  }
  std::size_t terminal = 0, lan = 0, extranet = 0;
  for (std::size_t i = 0; i < platform.elements.size(); ++i) {
    const auto k = platform.elements[i].kind;
    if (k == PlatformKind::terminal) terminal = i;
    if (k == PlatformKind::lan) lan = i;
    if (k == PlatformKind::extranet) extranet = i;
  }
  // The routes the transactions take: terminal to every other host, over
  // the LAN, and over the extranet for the provincial side.
  for (std::size_t i = 0; i < platform.elements.size(); ++i) {
    if (!hosts[i] || i == terminal) continue;
    std::vector<s4u::LinkInRoute> route = {s4u::LinkInRoute(links[lan])};
    if (is_remote(platform.elements[i].kind)) route.emplace_back(links[extranet]);
    zone->add_route(hosts[terminal]->get_netpoint(), hosts[i]->get_netpoint(), nullptr, nullptr, route, true);
  }
  zone->seal();

  PlatformKpis kpis;
  std::exception_ptr error;
  s4u::Actor::create("engine", hosts[terminal], [&] {
    Driver driver(platform, setup, hosts, kpis);
    try {
      body(driver);
    } catch (...) {
      error = std::current_exception();
    }
    driver.stop();
    driver.finish_kpis();
  });
  engine.run();
  if (error) std::rethrow_exception(error);
  return kpis;
}

}  // namespace halltwin::platform
