#include "sim/size/staffing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "model/input_error.hpp"
#include "sim/ops/replications.hpp"

namespace halltwin::size {

using kpi::Kpi;

namespace {

// KPIs that more staff drive down (<=) or up (>=). Others (utilization,
// served counts, ...) are not service targets a roster can be sized for.
bool sizable_at_most(Kpi k) {
  switch (k) {
    case Kpi::wait_mean_s:
    case Kpi::wait_p50_s:
    case Kpi::wait_p90_s:
    case Kpi::wait_max_s:
    case Kpi::abandon_rate:
    case Kpi::abandoned:
    case Kpi::balked:
    case Kpi::max_in_hall:
    case Kpi::max_waiting_standing:
      return true;
    default:
      return false;
  }
}
bool sizable_at_least(Kpi k) { return k == Kpi::within_target_rate; }
// KPIs a block's own citizens define (by their ticket time); the day's counts
// and peaks (abandoned, balked, max_in_hall, standing) have no per-block reading.
bool per_block_kpi(Kpi k) {
  switch (k) {
    case Kpi::wait_mean_s:
    case Kpi::wait_p50_s:
    case Kpi::wait_p90_s:
    case Kpi::wait_max_s:
    case Kpi::abandon_rate:
    case Kpi::within_target_rate:
      return true;
    default:
      return false;
  }
}
constexpr std::string_view kPerBlock = "per block";

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string StaffingTarget::text() const {
  return fmt::format("{}{}{:g}{}", kpi::name(kpi), at_most ? "<=" : ">=", limit,
                     per_block ? " " + std::string(kPerBlock) : std::string());
}

StaffingTarget parse_target(std::string_view text, const std::string& flag) {
  auto fail = [&](const std::string& why) {
    // A flag names the command line as its file (as every CLI message does);
    // a file's caller (a program, a sweep) puts its own file and line in.
    throw InputError(InputProblem{flag.rfind("--", 0) == 0 ? "(command line)" : "", 0, 0, flag,
                                  fmt::format("'{}': {}", text, why)});
  };
  const auto le = text.find("<="), ge = text.find(">=");
  if ((le == std::string_view::npos) == (ge == std::string_view::npos))
    fail("expected KPI<=VALUE or KPI>=VALUE, e.g. \"wait_p90_s<=600\" or \"within_target_rate>=0.8\"");
  const std::size_t at = le != std::string_view::npos ? le : ge;
  const std::string_view name = trim(text.substr(0, at));
  std::string_view value = trim(text.substr(at + 2));
  bool per_block = false;
  if (value.size() > kPerBlock.size() && value.substr(value.size() - kPerBlock.size()) == kPerBlock) {
    per_block = true;
    value = trim(value.substr(0, value.size() - kPerBlock.size()));
  }
  const auto k = kpi::parse_kpi(name);
  if (!k) {
    std::string list;
    for (std::size_t i = 0; i < kpi::kKpiCount; ++i)
      if (sizable_at_most(Kpi(i)) || sizable_at_least(Kpi(i)))
        list += (list.empty() ? "" : ", ") + std::string(kpi::name(Kpi(i)));
    fail(fmt::format("unknown KPI '{}'; expected one of {}", name, list));
  }
  StaffingTarget t;
  t.kpi = *k;
  t.at_most = le != std::string_view::npos;
  if (t.at_most && !sizable_at_most(*k))
    fail(sizable_at_least(*k) ? fmt::format("{} is a share to keep high: use >=", name)
                              : fmt::format("{} is not a service target staffing can be sized for", name));
  if (!t.at_most && !sizable_at_least(*k))
    fail(sizable_at_most(*k) ? fmt::format("{} goes down with more staff: use <=", name)
                             : fmt::format("{} is not a service target staffing can be sized for", name));
  if (per_block && !per_block_kpi(*k))
    fail(fmt::format("{} is a count or peak of the whole day; per block: wait_mean_s, wait_p50_s, wait_p90_s, "
                     "wait_max_s, abandon_rate, within_target_rate",
                     name));
  t.per_block = per_block;
  double v = 0;
  const auto r = std::from_chars(value.data(), value.data() + value.size(), v);
  if (value.empty() || r.ec != std::errc() || r.ptr != value.data() + value.size() || !std::isfinite(v))
    fail(fmt::format("'{}' is not a number (a target may end in \"{}\")", value, kPerBlock));
  const auto [lo, hi] = kpi::natural_range(*k);
  if (v < lo || v > hi)
    fail(fmt::format("{} lies outside the KPI's range [{:g}, {:g}]", v, lo, hi));
  t.limit = v;
  return t;
}

std::vector<StaffingTarget> scenario_targets(const Targets& t) {
  std::vector<StaffingTarget> out;
  if (t.within_target_rate_min) out.push_back({Kpi::within_target_rate, false, *t.within_target_rate_min});
  if (t.abandon_rate_max) out.push_back({Kpi::abandon_rate, true, *t.abandon_rate_max});
  if (t.standing_max) out.push_back({Kpi::max_waiting_standing, true, *t.standing_max});
  return out;
}

int StaffingPlan::total_in_block(std::size_t b) const {
  int n = 0;
  for (const auto& p : staff) n += p[b];
  return n;
}

double StaffingPlan::staff_hours() const {
  double h = 0;
  for (const auto& p : staff)
    for (std::size_t b = 0; b < blocks.size(); ++b) h += p[b] * (blocks[b].end_s - blocks[b].start_s) / 3600.0;
  return h;
}

double erlang_c(int c, double a) {
  if (a <= 0) return 0.0;
  if (c <= a) return 1.0;
  // Erlang B by its stable recursion, then C from B.
  double b = 1.0;
  for (int k = 1; k <= c; ++k) b = a * b / (k + a * b);
  const double rho = a / c;
  return b / (1.0 - rho + rho * b);
}

double max_piece_h(const Roster& r) {
  double h = 24.0;
  if (r.max_shift_h > 0) h = std::min(h, r.max_shift_h);
  if (r.break_after_h > 0) h = std::min(h, r.break_after_h);
  return h;
}

namespace {

std::vector<Pool> make_pools(const Hall& hall) {
  const Roster& ro = hall.operations.roster;
  std::vector<Pool> pools;
  std::map<std::string, std::size_t> by_id;
  std::vector<bool> placed(hall.windows.size(), false);
  if (ro.queues == QueueDiscipline::per_group)
    for (const auto& g : ro.groups) {
      Pool p{g.id, {}, false};
      for (WindowId w : g.windows)
        if (!placed[w.value]) p.windows.push_back(w.value), placed[w.value] = true;
      if (!p.windows.empty()) pools.push_back(std::move(p));
    }
  for (std::uint32_t w = 0; w < hall.windows.size(); ++w) {
    if (placed[w]) continue;
    const Window& win = hall.windows[w];
    const std::string id = win.row.empty() ? win.id : win.row;
    auto [it, fresh] = by_id.try_emplace(id, pools.size());
    if (fresh) pools.push_back(Pool{id, {}, false});
    pools[it->second].windows.push_back(w);
  }
  for (auto& p : pools) {
    std::sort(p.windows.begin(), p.windows.end());
    p.pickup = std::all_of(p.windows.begin(), p.windows.end(),
                           [&](std::uint32_t w) { return hall.windows[w].kind == WindowKind::pickup; });
  }
  return pools;
}

std::vector<Block> make_blocks(const Roster& ro, int block_min) {
  std::vector<Block> blocks;
  const double step = block_min * 60.0;
  for (double t = ro.open_s; t < ro.close_s - 1e-6; t += step) blocks.push_back({t, std::min(t + step, ro.close_s)});
  return blocks;
}

// Arrival rate per hour in [a, b) of the busiest open weekday (a roster
// applies to every open day, so the busiest one sizes it); profile arrivals
// before the opening join the first block.
std::vector<double> arrivals_per_block(const Hall& hall, const std::vector<Block>& blocks) {
  const Demand& d = hall.operations.demand;
  const Roster& ro = hall.operations.roster;
  std::vector<double> best(blocks.size(), 0.0);
  if (d.kind == Demand::Kind::sinusoid) {
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      // Mean of the rate over the block (midpoint rule on 60 points).
      double s = 0;
      for (int i = 0; i < 60; ++i) {
        const double t = blocks[b].start_s + (i + 0.5) / 60.0 * (blocks[b].end_s - blocks[b].start_s);
        s += d.mean_per_h + d.amplitude_per_h * std::sin(2 * M_PI * t / (d.period_h * 3600.0));
      }
      best[b] = std::max(0.0, s / 60.0);
    }
    return best;
  }
  const double bm = d.block_min * 60.0;
  for (int w = 0; w < kWeekdays; ++w) {
    if (!ro.open_days[static_cast<std::size_t>(w)]) continue;
    const auto& prof = d.arrivals_per_block[static_cast<std::size_t>(w)];
    std::vector<double> count(blocks.size(), 0.0);
    for (std::size_t i = 0; i < prof.size(); ++i) {
      double a = d.profile_start_s + static_cast<double>(i) * bm, e = a + bm;
      if (e <= ro.open_s) {
        if (!blocks.empty()) count[0] += prof[i];
        continue;
      }
      double n = prof[i];
      if (a < ro.open_s) {  // the part before the opening joins the first block
        count[0] += n * (ro.open_s - a) / bm;
        n -= n * (ro.open_s - a) / bm;
        a = ro.open_s;
      }
      for (std::size_t b = 0; b < blocks.size(); ++b) {
        const double ov = std::min(e, blocks[b].end_s) - std::max(a, blocks[b].start_s);
        if (ov > 0) count[b] += n * ov / (e - a);
      }
    }
    for (std::size_t b = 0; b < blocks.size(); ++b)
      best[b] = std::max(best[b], count[b] * 3600.0 / (blocks[b].end_s - blocks[b].start_s));
  }
  return best;
}

struct PoolLoad {
  std::vector<double> rate_per_h;  // by block
  double service_mean_s = 0.0;     // load-weighted
};

// Citizens reaching a window per hour and block, by pool: the matter's share
// (minus self-service), group members, pickup visits; a matter's citizens
// spread over the pools that serve it in proportion to their windows.
std::vector<PoolLoad> pool_loads(const Hall& hall, const std::vector<Pool>& pools,
                                 const std::vector<double>& rate) {
  const Operations& op = hall.operations;
  double group_factor = 1.0;
  if (op.demand.groups)
    group_factor += op.demand.groups->share * ((op.demand.groups->size_min + op.demand.groups->size_max) / 2.0 - 1.0);
  std::vector<PoolLoad> out(pools.size());
  std::vector<double> work(pools.size(), 0.0), cits(pools.size(), 0.0);  // per citizen of the day
  for (auto& o : out) o.rate_per_h.assign(rate.size(), 0.0);
  std::vector<int> pool_of(hall.windows.size(), -1);
  for (std::size_t p = 0; p < pools.size(); ++p)
    for (auto w : pools[p].windows) pool_of[w] = static_cast<int>(p);
  const bool pickup_pool = std::any_of(pools.begin(), pools.end(), [](const Pool& p) { return p.pickup; });
  for (const MatterService& ms : op.services) {
    if (ms.share <= 0) continue;
    const double self = ms.self_service ? ms.self_service->share : 0.0;
    const double share = ms.share * (1.0 - self) * group_factor;
    std::vector<double> wins(pools.size(), 0.0);
    double total = 0;
    // Pickup windows serve pickup visits first; they count for a matter's
    // own citizens only when no other window serves it (a program's
    // "证照领取" matter done at the pickup windows, docs/size.md).
    for (int pass = 0; pass < 2 && total == 0; ++pass)
      for (std::size_t w = 0; w < hall.windows.size(); ++w) {
        const auto& m = hall.windows[w].matters;
        if (pass == 0 && hall.windows[w].kind == WindowKind::pickup) continue;
        if (std::find(m.begin(), m.end(), ms.matter) != m.end()) wins[pool_of[w]] += 1, total += 1;
      }
    if (total == 0) continue;
    double pick = 0;
    if (ms.backoffice) pick = share * ms.backoffice->share * ms.backoffice->pickup_share;
    for (std::size_t p = 0; p < pools.size(); ++p) {
      const double f = share * wins[p] / total;
      cits[p] += f, work[p] += f * ms.service_time.mean();
      // (Only a matter with a back office has pickups: `backoffice` is empty otherwise.)
      if (!pickup_pool && pick > 0)
        cits[p] += pick * wins[p] / total, work[p] += pick * wins[p] / total * ms.backoffice->pickup_time.mean();
    }
    if (pickup_pool && pick > 0) {
      double np = 0;
      for (const auto& p : pools) np += p.pickup ? static_cast<double>(p.windows.size()) : 0.0;
      for (std::size_t p = 0; p < pools.size(); ++p)
        if (pools[p].pickup) {
          const double f = pick * static_cast<double>(pools[p].windows.size()) / np;
          cits[p] += f, work[p] += f * ms.backoffice->pickup_time.mean();
        }
    }
  }
  for (std::size_t p = 0; p < pools.size(); ++p) {
    out[p].service_mean_s = cits[p] > 0 ? work[p] / cits[p] : 0.0;
    for (std::size_t b = 0; b < rate.size(); ++b) out[p].rate_per_h[b] = rate[b] * cits[p];
  }
  return out;
}

// Modified offered load per block (Erlangs): the busy servers an infinite
// hall would have at the end of each block, m' = -m/E[S] + lambda(t) solved
// exactly over a block of constant rate (exponential lag).
std::vector<double> modified_offered_load(const PoolLoad& l, const std::vector<Block>& blocks) {
  std::vector<double> m(blocks.size(), 0.0);
  if (l.service_mean_s <= 0) return m;
  double prev = 0;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    const double a = l.rate_per_h[b] / 3600.0 * l.service_mean_s;  // stationary load of the block
    const double decay = std::exp(-(blocks[b].end_s - blocks[b].start_s) / l.service_mean_s);
    const double end = a + (prev - a) * decay;
    // The block's mean load: the average of the exponential approach.
    const double tau = l.service_mean_s / (blocks[b].end_s - blocks[b].start_s);
    m[b] = a + (prev - a) * tau * (1.0 - decay);
    prev = end;
  }
  return m;
}

// The smallest c meeting the Erlang C versions of the wait targets at load a;
// square-root staffing (beta = 1) for targets Erlang C does not express.
int erlang_start(double a, double es, const std::vector<StaffingTarget>& targets, double target_wait_s,
                 int cap) {
  if (a <= 1e-9) return 0;
  int sqrt_c = static_cast<int>(std::ceil(a + std::sqrt(a)));
  int need = 1;
  for (const auto& t : targets) {
    std::function<bool(int)> ok;
    const auto tail = [&](int c, double w) { return erlang_c(c, a) * std::exp(-(c - a) * w / es); };
    switch (t.kpi) {
      case Kpi::wait_mean_s:
        ok = [&](int c) { return erlang_c(c, a) * es / (c - a) <= t.limit; };
        break;
      case Kpi::wait_p50_s:
        ok = [&](int c) { return tail(c, t.limit) <= 0.5; };
        break;
      case Kpi::wait_p90_s:
        ok = [&](int c) { return tail(c, t.limit) <= 0.1; };
        break;
      case Kpi::within_target_rate:
        ok = [&](int c) { return 1.0 - tail(c, target_wait_s) >= t.limit; };
        break;
      default:
        need = std::max(need, sqrt_c);
        continue;
    }
    int c = static_cast<int>(std::floor(a)) + 1;
    while (c < cap + 50 && !ok(c)) ++c;
    need = std::max(need, c);
  }
  return std::min(need, cap);
}

std::string hhmm(double s) {
  const int m = static_cast<int>(std::lround(s / 60.0));
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}

}  // namespace

namespace {

// Whether `next` can follow a shift worked from `start_s` to `end_s` after a
// break (docs/size.md "The roster written"): the gap is a break the roster
// rules allow (at least min_break_min, and at least kMinLunchBreak_s) and no
// longer than kMaxLunchBreak_s (a longer gap is two shifts, not a break),
// and the shift with it stays within max_shift_h.
bool joins_as_break(const Roster& rules, double start_s, double end_s, const TimeSpan& next) {
  const double gap_s = next.start_s - end_s;
  if (gap_s < std::max(kMinLunchBreak_s, rules.min_break_min * 60.0) - 1e-6) return false;
  if (gap_s > kMaxLunchBreak_s + 1e-6) return false;
  return rules.max_shift_h <= 0 || next.end_s - start_s <= rules.max_shift_h * 3600.0 + 1e-6;
}

Roster sized_roster(const Hall& hall, const StaffingPlan& plan) {
  Roster ro = hall.operations.roster;
  const Roster& old = hall.operations.roster;
  // Keep the extended-hours members and their shifts; rebuild the rest.
  std::vector<Shift> shifts;
  std::vector<StaffMember> staff;
  std::map<std::uint32_t, std::uint32_t> kept;
  for (const StaffMember& m : old.staff) {
    if (!m.extended_only) continue;
    auto [it, fresh] = kept.try_emplace(m.shift, static_cast<std::uint32_t>(shifts.size()));
    if (fresh) shifts.push_back(old.shifts[m.shift]);
    StaffMember k = m;
    k.shift = it->second;
    staff.push_back(k);
  }
  std::map<std::string, std::uint32_t> shift_of;  // shift id (its worked pieces) -> index
  const double piece_s = max_piece_h(old) * 3600.0;
  for (std::size_t p = 0; p < plan.pools.size(); ++p) {
    const Pool& pool = plan.pools[p];
    for (std::size_t k = 0; k < pool.windows.size(); ++k) {
      const std::uint32_t w = pool.windows[k];
      int member = 0;
      std::vector<TimeSpan> worked;  // the window's pieces, in time order
      for (std::size_t b = 0; b < plan.blocks.size();) {
        if (plan.staff[p][b] <= static_cast<int>(k)) {
          ++b;
          continue;
        }
        std::size_t e = b;
        while (e < plan.blocks.size() && plan.staff[p][e] > static_cast<int>(k)) ++e;
        // Blocks b..e-1 staffed: split into the fewest near-equal pieces within the limit.
        const double len = plan.blocks[e - 1].end_s - plan.blocks[b].start_s;
        const std::size_t n_blocks = e - b;
        std::size_t pieces = static_cast<std::size_t>(std::ceil(len / piece_s - 1e-9));
        pieces = std::clamp<std::size_t>(pieces, 1, n_blocks);
        // Blocks of the hall are equal but the last; a piece of q or q+1 blocks.
        while (pieces < n_blocks) {
          bool fits = true;
          for (std::size_t i = 0, s = b; i < pieces; ++i) {
            const std::size_t nb = n_blocks / pieces + (i < n_blocks % pieces ? 1 : 0);
            if (plan.blocks[s + nb - 1].end_s - plan.blocks[s].start_s > piece_s + 1e-6) fits = false;
            s += nb;
          }
          if (fits) break;
          ++pieces;
        }
        for (std::size_t i = 0, s = b; i < pieces; ++i) {
          const std::size_t nb = n_blocks / pieces + (i < n_blocks % pieces ? 1 : 0);
          worked.push_back({plan.blocks[s].start_s, plan.blocks[s + nb - 1].end_s});
          s += nb;
        }
        b = e;
      }
      // The window's pieces in time order become its members' shifts: a
      // piece after a gap that can be a break joins the shift before it
      // (one member, a lunch break), else a new member takes it.
      for (std::size_t i = 0; i < worked.size();) {
        std::size_t j = i + 1;
        while (j < worked.size() && joins_as_break(old, worked[i].start_s, worked[j - 1].end_s, worked[j])) ++j;
        Shift sh;
        sh.span = {worked[i].start_s, worked[j - 1].end_s};
        sh.id = "size";
        for (std::size_t q = i; q < j; ++q) {
          sh.id += fmt::format("-{}-{}", hhmm(worked[q].start_s), hhmm(worked[q].end_s));
          if (q > i) sh.breaks.push_back({worked[q - 1].end_s, worked[q].start_s});
        }
        sh.id.erase(std::remove(sh.id.begin(), sh.id.end(), ':'), sh.id.end());
        auto [it, fresh] = shift_of.try_emplace(sh.id, static_cast<std::uint32_t>(shifts.size()));
        if (fresh) shifts.push_back(sh);
        StaffMember m;
        m.id = fmt::format("SZ-{}-{}", hall.windows[w].id, ++member);
        m.window = WindowId{w};
        m.shift = it->second;
        m.days = old.open_days;
        staff.push_back(m);
        i = j;
      }
    }
  }
  ro.shifts = std::move(shifts);
  ro.staff = std::move(staff);
  return ro;
}
}  // namespace

Hall staffed_hall(const Hall& hall, const StaffingPlan& plan) {
  Hall h = hall;
  h.operations.roster = sized_roster(hall, plan);
  return h;
}

namespace {

// Simulates plans. The hall's OpsModel (walking routes, queues) is built
// once, for the hall with every window staffed; a plan only swaps its staff
// tables (what OpsModel would build from the plan's roster: the same queues
// per window, the shift's pieces), which is most of the saving on a large
// hall. A plan leaving the pickup windows unstaffed all day changes the
// queues themselves (pickups then queue with their matter) and gets a model
// of its own.
class Search {
 public:
  Search(const Hall& hall, const SizingOptions& o, const StaffingPlan& full)
      : hall_(hall),
        o_(o),
        base_(staffed_hall(hall, full)),
        model_(base_),
        blocks_(full.blocks),
        target_wait_s_(hall.operations.targets.wait_s) {
    for (const StaffMember& m : base_.operations.roster.staff) kept_ += m.extended_only ? 1 : 0;
    kept_defs_.assign(model_.staff.begin(), model_.staff.begin() + static_cast<std::ptrdiff_t>(kept_));
    window_def_.resize(hall.windows.size());
    for (std::size_t s = kept_; s < model_.staff.size(); ++s) window_def_[model_.staff[s].window] = model_.staff[s];
  }

  Evaluation evaluate(const StaffingPlan& plan, bool fresh = false) {
    Roster r = sized_roster(hall_, plan);
    bool pickup_staffed = false;
    for (const StaffMember& m : r.staff)
      pickup_staffed = pickup_staffed || hall_.windows[m.window.value].kind == WindowKind::pickup;
    if (fresh || (model_.pickup_queue != ops::kNone && !pickup_staffed)) {
      Hall h = hall_;
      h.operations.roster = std::move(r);
      const ops::OpsModel m(h);
      if (fresh) home_floor_differs = m.home_floor != model_.home_floor;
      return run(m);
    }
    base_.operations.roster.shifts = r.shifts;
    base_.operations.roster.staff = r.staff;
    auto& st = model_.staff;
    st.assign(kept_defs_.begin(), kept_defs_.end());
    for (std::size_t i = kept_; i < r.staff.size(); ++i) {
      const StaffMember& m = r.staff[i];
      ops::StaffDef d = window_def_[m.window.value];
      d.id = m.id;
      d.shift = m.shift;
      d.days = m.days;
      d.extended_only = false;
      d.pieces = ops::working_pieces(r.shifts[m.shift]);  // a lunch break splits the shift
      st.push_back(std::move(d));
    }
    for (auto& v : model_.staff_of_window) v.clear();
    for (auto& v : model_.staff_of_queue) v.clear();
    for (std::uint32_t s = 0; s < st.size(); ++s) {
      model_.staff_of_window[st[s].window].push_back(s);
      for (std::uint32_t q : st[s].queues) model_.staff_of_queue[q].push_back(s);
    }
    return run(model_);
  }

  int evaluations = 0;
  bool home_floor_differs = false;

 private:
  Evaluation run(const ops::OpsModel& model) {
    ops::ReplicationPlan rp;
    rp.base.seed = o_.seed;
    rp.base.days = o_.days;
    rp.base.start_date = o_.start_date;
    rp.replications = o_.replications;
    rp.threads = o_.threads;
    // Per-block targets read every first visit's ticket time and wait (the
    // queue samples that come with them are kept coarse: one an hour).
    const bool per_block = std::any_of(o_.targets.begin(), o_.targets.end(), [](const auto& t) { return t.per_block; });
    if (per_block) rp.base.observe_step_s = 3600.0;
    const auto runs = ops::run_replications(model, rp);
    ++evaluations;
    if (o_.progress) o_.progress(evaluations);
    std::vector<std::vector<kpi::KpiValues>> by_block;  // [replication][block]
    if (per_block)
      for (const auto& r : runs) by_block.push_back(block_kpis(r));
    Evaluation ev;
    ev.met = true;
    for (const auto& t : o_.targets) {
      const auto [lo, hi] = kpi::natural_range(t.kpi);
      const auto k = static_cast<std::size_t>(t.kpi);
      auto judge = [&](const std::vector<double>& v) {
        TargetResult tr;
        tr.target = t;
        tr.estimate = kpi::estimate(v, lo, hi);
        // A KPI without a value (nobody served: NaN) misses the target.
        const auto& e = tr.estimate;
        tr.bound = t.at_most ? e.ci95_high.value_or(e.mean) : e.ci95_low.value_or(e.mean);
        tr.met = std::isfinite(tr.bound) && (t.at_most ? tr.bound <= t.limit : tr.bound >= t.limit);
        return tr;
      };
      TargetResult tr;
      if (!t.per_block) {
        std::vector<double> v;
        for (const auto& r : runs) v.push_back(r.kpis.values[k]);
        tr = judge(v);
      } else {
        // Every block with a value in some replication must meet the target
        // (over the replications that have one); the block reported is the
        // one with the worst bound.
        // A replication where the block has citizens (served or abandoned)
        // but no value (nobody served: no wait) counts, as NaN, and misses.
        tr.target = t;
        const auto has_citizens = static_cast<std::size_t>(Kpi::abandon_rate);
        for (std::size_t b = 0; b < blocks_.size(); ++b) {
          std::vector<double> v;
          for (const auto& rep : by_block)
            if (std::isfinite(rep[b][has_citizens])) v.push_back(rep[b][k]);
          if (v.empty()) continue;
          const TargetResult one = judge(v);
          if (!one.met) tr.missed_blocks.push_back(b);
          const bool worse = !std::isfinite(one.bound) ? std::isfinite(tr.bound)
                                                        : (t.at_most ? one.bound > tr.bound : one.bound < tr.bound);
          if (!tr.worst_block || worse) {
            tr.estimate = one.estimate;
            tr.bound = one.bound;
            tr.worst_block = b;
          }
        }
        tr.met = tr.missed_blocks.empty();
      }
      ev.met = ev.met && tr.met;
      ev.targets.push_back(tr);
    }
    return ev;
  }

  // The per-block KPIs of one replication, from its first visits' tickets:
  // waits over the served (ticket to first call), abandon rate and
  // within-target rate over the served and abandoned, each citizen in the
  // block of their ticket's time of day (all simulated days pooled). The
  // waits go through kpi::WaitHistogram, so a block's p90 is defined as the
  // day's is. NaN where the block has no such citizen.
  std::vector<kpi::KpiValues> block_kpis(const ops::RunResult& r) const {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<kpi::WaitHistogram> waits(blocks_.size());
    std::vector<std::uint64_t> abandoned(blocks_.size(), 0), within(blocks_.size(), 0);
    if (r.observation)
      for (const auto& tk : r.observation->tickets) {
        const double tod = std::fmod(tk.ticket_s, 86400.0);
        const auto it = std::upper_bound(blocks_.begin(), blocks_.end(), tod,
                                         [](double x, const Block& b) { return x < b.start_s; });
        if (it == blocks_.begin()) continue;  // before the first block (extended hours are not sized)
        const auto b = static_cast<std::size_t>(it - blocks_.begin()) - 1;
        if (tod >= blocks_[b].end_s) continue;
        if (tk.wait_s >= 0) {
          waits[b].add(tk.wait_s);
          within[b] += tk.wait_s <= target_wait_s_ ? 1 : 0;
        } else if (tk.abandoned) {
          ++abandoned[b];
        }
      }
    std::vector<kpi::KpiValues> out(blocks_.size());
    for (std::size_t b = 0; b < blocks_.size(); ++b) {
      auto& v = out[b];
      v.fill(nan);
      const auto& w = waits[b];
      if (w.count() > 0) {
        v[static_cast<std::size_t>(Kpi::wait_mean_s)] = w.mean();
        v[static_cast<std::size_t>(Kpi::wait_p50_s)] = w.quantile(0.5);
        v[static_cast<std::size_t>(Kpi::wait_p90_s)] = w.quantile(0.9);
        v[static_cast<std::size_t>(Kpi::wait_max_s)] = w.max();
      }
      const double n = static_cast<double>(w.count() + abandoned[b]);
      if (n > 0) {
        v[static_cast<std::size_t>(Kpi::abandon_rate)] = static_cast<double>(abandoned[b]) / n;
        v[static_cast<std::size_t>(Kpi::within_target_rate)] = static_cast<double>(within[b]) / n;
      }
    }
    return out;
  }

  const Hall& hall_;
  const SizingOptions& o_;
  Hall base_;  // the model's hall: its roster follows the plan simulated
  ops::OpsModel model_;
  std::size_t kept_ = 0;  // extended-hours members, first in every sized roster
  std::vector<ops::StaffDef> kept_defs_;
  std::vector<ops::StaffDef> window_def_;  // a member at each window, as OpsModel builds it
  std::vector<Block> blocks_;              // the sizing's blocks, in time order
  double target_wait_s_;                   // targets.wait_s: within_target_rate's bound
};

// Every matter citizens bring to a window has an open window in every block
// (else they would wait for a window that never opens, and a KPI over the
// served alone would not see them); with groups_never_close, every pool too.
struct Floors {
  std::vector<std::vector<int>> min;  // [pool][block]
  std::vector<std::vector<std::size_t>> pools_of_matter;  // matters with window demand
};

Floors make_floors(const Hall& hall, const StaffingPlan& plan) {
  Floors f;
  f.min.assign(plan.pools.size(), std::vector<int>(plan.blocks.size(), 0));
  std::vector<int> pool_of(hall.windows.size(), -1);
  for (std::size_t p = 0; p < plan.pools.size(); ++p)
    for (auto w : plan.pools[p].windows) pool_of[w] = static_cast<int>(p);
  for (const MatterService& ms : hall.operations.services) {
    if (ms.share <= 0 || (ms.self_service && ms.self_service->share >= 1.0)) continue;
    std::set<std::size_t> ps;
    for (int pass = 0; pass < 2 && ps.empty(); ++pass)  // pickup windows only for a matter nobody else serves
      for (std::size_t w = 0; w < hall.windows.size(); ++w) {
        const auto& m = hall.windows[w].matters;
        if ((pass == 1 || hall.windows[w].kind != WindowKind::pickup) &&
            std::find(m.begin(), m.end(), ms.matter) != m.end())
          ps.insert(static_cast<std::size_t>(pool_of[w]));
      }
    if (!ps.empty()) f.pools_of_matter.emplace_back(ps.begin(), ps.end());
  }
  if (hall.operations.roster.groups_never_close)
    for (auto& row : f.min) std::fill(row.begin(), row.end(), 1);
  return f;
}

bool covered(const Floors& f, const StaffingPlan& plan, std::size_t b) {
  for (const auto& ps : f.pools_of_matter) {
    bool any = false;
    for (auto p : ps) any = any || plan.staff[p][b] > 0;
    if (!any) return false;
  }
  return true;
}

}  // namespace

SizingResult size_staffing(const Hall& hall, const SizingOptions& o_in) {
  if (!hall.operations.present)
    throw InputError(InputProblem{hall.source_file, 0, 0, "roster",
                                  "the scenario has no operations sections (services, demand, roster) to size"});
  SizingOptions o = o_in;
  if (o.targets.empty())
    throw InputError(InputProblem{hall.source_file, 0, 0, "--target",
                                  "no target: give --target (e.g. \"wait_p90_s<=600\") or set the scenario's "
                                  "targets.within_target_rate_min / abandon_rate_max / standing_max"});
  const Roster& ro = hall.operations.roster;
  if (o.block_min <= 0) o.block_min = hall.operations.demand.block_min;
  if (o.block_min < 5 || o.block_min > 1440)
    throw InputError(InputProblem{"", 0, 0, "--by-block",
                                  fmt::format("{} minutes; expected 5 to 1440", o.block_min)});
  if (o.replications < 2)
    throw InputError(InputProblem{"", 0, 0, "--replications",
                                  "at least 2 replications are needed for a 95% confidence interval"});

  SizingResult res;
  if (max_piece_h(ro) < 24.0)
    res.notes.push_back(fmt::format(
        "roster.rules: each window's staffed stretch is cut into pieces of at most {:g} h (max_shift_h / "
        "break_after_h); staff changing over at a window follow each other",
        max_piece_h(ro)));
  res.notes.push_back(fmt::format(
      "a window's gap of {:g} min to {:g} h between two pieces is one member's break (a lunch break){}", 
      std::max(kMinLunchBreak_s / 60.0, ro.min_break_min), kMaxLunchBreak_s / 3600.0,
      ro.max_shift_h > 0 ? fmt::format(" when the shift stays within {:g} h", ro.max_shift_h) : std::string()));
  if (ro.groups_never_close)
    res.notes.push_back("roster.rules.groups_never_close: every window row or group keeps one window staffed");
  int kept = 0;
  for (const auto& m : ro.staff) kept += m.extended_only ? 1 : 0;
  if (kept > 0)
    res.notes.push_back(fmt::format(
        "{} extended-hours member(s) (extended_only) kept as the scenario has them; only the normal hours are sized",
        kept));
  bool skills = false;
  for (const auto& m : ro.staff) {
    if (m.extended_only || m.skills.empty()) continue;
    const auto& wm = hall.windows[m.window.value].matters;
    for (MatterId x : wm)
      skills = skills || std::find(m.skills.begin(), m.skills.end(), x) == m.skills.end();
  }
  if (skills)
    res.notes.push_back("staff skills narrower than their window's matters are not carried over: sized staff "
                        "serve every matter of their window");
  StaffingPlan plan;
  plan.blocks = make_blocks(ro, o.block_min);
  plan.pools = make_pools(hall);
  const auto rate = arrivals_per_block(hall, plan.blocks);
  const auto loads = pool_loads(hall, plan.pools, rate);
  res.offered_load.assign(plan.blocks.size(), 0.0);
  plan.staff.assign(plan.pools.size(), std::vector<int>(plan.blocks.size(), 0));
  const Floors floors = make_floors(hall, plan);
  for (std::size_t p = 0; p < plan.pools.size(); ++p) {
    const auto mol = modified_offered_load(loads[p], plan.blocks);
    const int cap = static_cast<int>(plan.pools[p].windows.size());
    for (std::size_t b = 0; b < plan.blocks.size(); ++b) {
      res.offered_load[b] += mol[b];
      plan.staff[p][b] = std::max(floors.min[p][b],
                                  erlang_start(mol[b], loads[p].service_mean_s, o.targets,
                                               hall.operations.targets.wait_s, cap));
    }
  }
  // Coverage: a matter whose pools all start at 0 in a block gets one window
  // in its pool with the most windows.
  for (std::size_t b = 0; b < plan.blocks.size(); ++b)
    for (const auto& ps : floors.pools_of_matter) {
      bool any = false;
      for (auto p : ps) any = any || plan.staff[p][b] > 0;
      if (!any) {
        std::size_t best = ps.front();
        for (auto p : ps)
          if (plan.pools[p].windows.size() > plan.pools[best].windows.size()) best = p;
        plan.staff[best][b] = 1;
      }
    }
  res.analytic = plan;

  StaffingPlan full = plan;
  for (std::size_t p = 0; p < full.pools.size(); ++p)
    std::fill(full.staff[p].begin(), full.staff[p].end(), static_cast<int>(full.pools[p].windows.size()));
  Search search(hall, o, full);
  Evaluation ev = search.evaluate(plan);
  // Raise: one more everywhere (within the windows) until every target holds.
  while (!ev.met) {
    bool raised = false;
    for (std::size_t p = 0; p < plan.pools.size(); ++p)
      for (auto& n : plan.staff[p])
        if (n < static_cast<int>(plan.pools[p].windows.size())) ++n, raised = true;
    if (!raised) break;
    ev = search.evaluate(plan);
  }
  if (!ev.met) {
    res.plan = plan;
    res.evaluation = search.evaluate(plan, true);
    res.unreachable = true;
    res.evaluations = search.evaluations;
    res.notes.push_back("every window of the hall staffed in every block still misses a target");
    return res;
  }
  // Tighten: one fewer in each block and pool while every target holds. A
  // plan with fewer staff than one that missed misses too (more staff never
  // lengthen a queue), so a failed (pool, block) is not tried again in the
  // pass; the verifying pass tries every one again on the final plan.
  std::set<std::pair<std::size_t, std::size_t>> failed;
  for (int pass = 0; pass < o.max_passes; ++pass) {
    ++res.passes;
    bool changed = false;
    for (std::size_t b = 0; b < plan.blocks.size(); ++b)
      for (std::size_t p = 0; p < plan.pools.size(); ++p)
        while (plan.staff[p][b] > floors.min[p][b] && !failed.count({p, b})) {
          --plan.staff[p][b];
          if (!covered(floors, plan, b)) {
            ++plan.staff[p][b];
            break;
          }
          Evaluation e = search.evaluate(plan);
          if (!e.met) {
            ++plan.staff[p][b];
            failed.insert({p, b});
            break;
          }
          ev = std::move(e);
          changed = true;
        }
    if (!changed) {  // every (pool, block) tried on this very plan missed
      res.locally_minimal = true;
      break;
    }
    if (!o.verify) break;
    failed.clear();
  }
  // The answer once more with a model built from its own roster, as `halltwin run` builds it.
  ev = search.evaluate(plan, true);
  if (search.home_floor_differs)
    res.notes.push_back("the windows' home floors differ between the search's model and the sized roster's");
  if (!ev.met) {
    res.notes.push_back("the sized roster, simulated as `halltwin run` does, misses a target");
    res.plan = plan;
    res.evaluation = ev;
    res.evaluations = search.evaluations;
    return res;
  }
  res.plan = plan;
  res.evaluation = ev;
  res.met = true;
  res.evaluations = search.evaluations;
  return res;
}

}  // namespace halltwin::size
