#include "sim/drill/it_failure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "model/emergencies_loader.hpp"
#include "model/input_error.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/kpi/kpi.hpp"
#include "sim/ops/replications.hpp"

namespace halltwin::drill {

namespace {

std::string clock(double tod_s) {
  const long t = std::lround(tod_s);
  return fmt::format("{:02}:{:02}", t / 3600, t % 3600 / 60);
}

// What one replication shows in an interval of tickets.
struct Interval {
  double wait_mean_s = 0.0, wait_p90_s = 0.0;
  double abandoned = 0.0, tickets = 0.0;
};

// `touched`: 0 every ticket, 1 only tickets of `matters`, -1 only the others'.
Interval tickets_in(const ops::RunObservation& o, double from_s, double to_s, int touched = 0,
                    const std::vector<std::uint32_t>& matters = {}) {
  Interval r;
  std::vector<double> waits;
  for (const auto& t : o.tickets) {
    if (t.ticket_s < from_s || t.ticket_s >= to_s) continue;
    if (touched != 0) {
      const bool in = std::find(matters.begin(), matters.end(), t.matter) != matters.end();
      if (in != (touched > 0)) continue;
    }
    r.tickets += 1;
    if (t.abandoned) r.abandoned += 1;
    if (t.wait_s >= 0) waits.push_back(t.wait_s);
  }
  if (!waits.empty()) {
    std::sort(waits.begin(), waits.end());
    double s = 0;
    for (double w : waits) s += w;
    r.wait_mean_s = s / static_cast<double>(waits.size());
    // Nearest rank, as the KPI module's quantiles.
    const auto k = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(waits.size())));
    r.wait_p90_s = waits[std::max<std::size_t>(k, 1) - 1];
  }
  return r;
}

double sample(const std::vector<std::uint32_t>& v, std::size_t k) { return k < v.size() ? v[k] : 0.0; }

// Seconds after `end_s` until the disrupted queue is back within tolerance
// of the undisrupted one and stays there for kRecoveryHold_s (or until both
// series end); +inf when it never is.
double recovery_s(const ops::RunObservation& with, const ops::RunObservation& without, double end_s) {
  const double step = with.step_s;
  const std::size_t n = std::max(with.waiting.size(), without.waiting.size());
  const auto first = static_cast<std::size_t>(std::ceil(end_s / step));
  const auto hold = static_cast<std::size_t>(std::ceil(kRecoveryHold_s / step));
  std::size_t run = 0;
  for (std::size_t k = first; k < n; ++k) {
    const double base = sample(without.waiting, k);
    const bool ok = sample(with.waiting, k) <= base + std::max(kRecoveryTolerance, 0.1 * base);
    run = ok ? run + 1 : 0;
    if (run > hold || (ok && k + 1 == n)) return std::max(0.0, static_cast<double>(k + 1 - run) * step - end_s);
  }
  return HUGE_VAL;
}

// "M01, M02, ..." with at most `most` matter ids, then how many more.
std::string matter_list(const Hall& hall, const std::vector<std::uint32_t>& ms, std::size_t most = 10) {
  std::string out;
  for (std::size_t i = 0; i < ms.size() && i < most; ++i) out += fmt::format("{}{}", i ? ", " : "", hall.matters[ms[i]].id);
  if (ms.size() > most) out += fmt::format(" and {} more", ms.size() - most);
  return out;
}

}  // namespace

OutageReach outage_reach(const Hall& hall, const EmergencyPlan& plan) {
  OutageReach r;
  if (plan.kind != EmergencyKind::it_failure || !hall.platform.present) return r;
  const Platform& p = hall.platform;
  r.element = find_platform_element(p, plan.target);
  if (!r.element)  // the loader refuses such a plan; a hand-built one is a caller's error
    throw InputError(InputProblem{"", plan.line, 0, "target",
                                  fmt::format("'{}' is not a platform element id or kind", plan.target)});
  const PlatformKind k = r.element->kind;
  if (k == PlatformKind::terminal || k == PlatformKind::lan || k == PlatformKind::queue_server) return r;
  r.every = false;
  const auto index = static_cast<std::size_t>(r.element - p.elements.data());
  for (std::uint32_t m = 0; m < hall.matters.size(); ++m) {
    const auto& ts = p.transactions_of(MatterId{m});
    const bool reached = std::any_of(ts.begin(), ts.end(), [&](const PlatformTransaction& t) {
      return k == PlatformKind::extranet ? is_remote(p.elements[t.to].kind) : t.to == index;
    });
    if (reached) r.matters.push_back(m);
  }
  return r;
}

ops::Disruption outage_disruption(const Hall& hall, const ops::OpsModel& model, const EmergencyPlan& plan,
                                  const DayOptions& o) {
  const Roster& roster = hall.operations.roster;
  const auto days = ops::open_days(model, o.date, 1);
  if (days.empty() || days[0] != 0)
    throw InputError(InputProblem{"", 0, 0, "--date",
                                  fmt::format("{} is not an open day of the hall; an outage drill needs one", o.date)});
  const double at = o.at_s.value_or(plan.at_s.value_or(roster.open_s));
  const double dur_s = plan.duration_min * 60.0;
  if (o.at_s && (at < roster.open_s || at + dur_s > roster.close_s))
    throw InputError(InputProblem{
        "", 0, 0, "--at",
        fmt::format("'{}' puts the {:g} min outage ({} to {}) outside the opening hours {} to {}", o.at_label,
                    plan.duration_min, clock(at), clock(at + dur_s), clock(roster.open_s), clock(roster.close_s))});
  ops::Disruption d;
  d.from_s = at, d.to_s = at + dur_s;  // day 0 of the run: absolute = time of day
  for (const auto& id : plan.windows)
    for (std::uint32_t w = 0; w < hall.windows.size(); ++w)
      if (hall.windows[w].id == id || hall.windows[w].row == id) d.windows.push_back(w);
  d.mode = plan.fallback == FallbackMode::close          ? ops::DisruptionMode::close
           : plan.fallback == FallbackMode::paper_intake ? ops::DisruptionMode::paper_intake
                                                         : ops::DisruptionMode::manual_tickets;
  d.service_factor = plan.service_factor;
  d.call_overhead_s = plan.call_overhead_s;
  if (const OutageReach reach = outage_reach(hall, plan); !reach.every) d.matters = reach.matters;
  return d;
}

void outage_drill(const Hall& hall, const ops::OpsModel& model, const EmergencyPlan& plan, const DayOptions& o,
                  DrillResult& out, const DrillTrace* trace) {
  const Roster& roster = hall.operations.roster;
  const ops::Disruption d = outage_disruption(hall, model, plan, o);
  const OutageReach reach = outage_reach(hall, plan);
  const bool reaches = reach.every || !reach.matters.empty();
  const double at = d.from_s, dur_s = d.to_s - d.from_s;

  ops::ReplicationPlan rp;
  rp.base.seed = o.seed;
  rp.base.days = 1;
  rp.base.start_date = o.date;
  rp.base.observe_step_s = 60.0;
  rp.replications = o.replications;
  rp.threads = o.threads;
  const auto without = ops::run_replications(model, rp);
  if (reaches) rp.base.disruptions = {d};  // else the day with the outage is the day without it
  const auto writer = trace_day(trace, o.date, rp);
  const auto with = ops::run_replications(model, rp);
  if (writer) writer->flush();

  std::vector<double> p90, p90_base, mean, mean_base, aband, aband_base, after, after_base, peak, peak_base, rec,
      served, served_base, tickets;
  // With a platform, when the outage touches some matters but not all: their tickets' waits and the others'.
  const bool split =
      reach.element && !reach.every && !reach.matters.empty() && reach.matters.size() < hall.matters.size();
  std::vector<double> mean_in, mean_in_base, mean_out, mean_out_base;
  const double close = roster.close_s;
  for (std::size_t r = 0; r < with.size(); ++r) {
    const auto& ow = *with[r].observation;
    const auto& ob = *without[r].observation;
    const Interval iw = tickets_in(ow, d.from_s, d.to_s), ib = tickets_in(ob, d.from_s, d.to_s);
    p90.push_back(iw.wait_p90_s), p90_base.push_back(ib.wait_p90_s);
    mean.push_back(iw.wait_mean_s), mean_base.push_back(ib.wait_mean_s);
    aband.push_back(iw.abandoned), aband_base.push_back(ib.abandoned);
    tickets.push_back(iw.tickets);
    if (split) {
      mean_in.push_back(tickets_in(ow, d.from_s, d.to_s, 1, reach.matters).wait_mean_s);
      mean_in_base.push_back(tickets_in(ob, d.from_s, d.to_s, 1, reach.matters).wait_mean_s);
      mean_out.push_back(tickets_in(ow, d.from_s, d.to_s, -1, reach.matters).wait_mean_s);
      mean_out_base.push_back(tickets_in(ob, d.from_s, d.to_s, -1, reach.matters).wait_mean_s);
    }
    after.push_back(tickets_in(ow, d.to_s, close).wait_mean_s);
    after_base.push_back(tickets_in(ob, d.to_s, close).wait_mean_s);
    auto peak_of = [&](const ops::RunObservation& x) {
      double m = 0;
      for (std::size_t k = static_cast<std::size_t>(d.from_s / x.step_s); k < x.waiting.size(); ++k)
        m = std::max(m, static_cast<double>(x.waiting[k]));
      return m;
    };
    peak.push_back(peak_of(ow)), peak_base.push_back(peak_of(ob));
    rec.push_back(recovery_s(ow, ob, d.to_s) / 60.0);
    served.push_back(with[r].kpis.values[static_cast<std::size_t>(kpi::Kpi::served)]);
    served_base.push_back(without[r].kpis.values[static_cast<std::size_t>(kpi::Kpi::served)]);
  }
  auto add = [&](const std::string& key, const std::vector<double>& v) {
    const auto e = kpi::estimate(v, 0.0);
    out.kpis.push_back({key, e.mean, e.ci95_low, e.ci95_high});
    return e.mean;
  };
  out.kpis.push_back({"outage_start_s", at, {}, {}});
  out.kpis.push_back({"outage_end_s", at + dur_s, {}, {}});
  if (reach.element)  // with a platform: how many matters' window services the outage reaches
    out.kpis.push_back(
        {"affected_matters", static_cast<double>(reach.every ? hall.matters.size() : reach.matters.size()), {}, {}});
  const double m_tickets = add("tickets_during_outage", tickets);
  const double m_p90 = add("wait_p90_during_outage_s", p90);
  const double m_p90b = add("wait_p90_during_outage_no_outage_s", p90_base);
  const double m_mean = add("wait_mean_during_outage_s", mean);
  const double m_meanb = add("wait_mean_during_outage_no_outage_s", mean_base);
  const double m_ab = add("abandoned_during_outage", aband);
  const double m_abb = add("abandoned_during_outage_no_outage", aband_base);
  const double m_after = add("wait_mean_after_outage_s", after);
  const double m_afterb = add("wait_mean_after_outage_no_outage_s", after_base);
  const double m_peak = add("peak_queue", peak);
  const double m_peakb = add("peak_queue_no_outage", peak_base);
  const double m_rec = add("service_resumes_after_min", rec);
  const double m_served = add("served", served);
  const double m_servedb = add("served_no_outage", served_base);
  double m_in = 0, m_inb = 0, m_out = 0, m_outb = 0;
  if (split) {
    m_in = add("wait_mean_during_outage_affected_s", mean_in);
    m_inb = add("wait_mean_during_outage_affected_no_outage_s", mean_in_base);
    m_out = add("wait_mean_during_outage_unaffected_s", mean_out);
    m_outb = add("wait_mean_during_outage_unaffected_no_outage_s", mean_out_base);
  }

  std::string windows = plan.windows.empty() ? "every window" : fmt::format("windows {}", fmt::join(plan.windows, ", "));
  std::string how;
  switch (plan.fallback) {
    case FallbackMode::close:
      how = "closed (no calls)";
      break;
    case FallbackMode::paper_intake:
      how = fmt::format("paper intake (service time x {:g})", plan.service_factor);
      break;
    case FallbackMode::manual_tickets:
      how = fmt::format("manual tickets and calls by voice (service time x {:g} + {:g} s per call)", plan.service_factor,
                        plan.call_overhead_s);
      break;
  }
  if (!reach.element) {
    out.lines.push_back(fmt::format("{} down on {} from {} to {} ({:g} min): {} {}", plan.target, o.date, clock(at),
                                    clock(at + dur_s), plan.duration_min, windows, how));
  } else {
    const PlatformElement& e = *reach.element;
    const std::string_view kind = platform_kind_name(e.kind);
    out.lines.push_back(fmt::format("{} ({}) down on {} from {} to {} ({:g} min)", e.id, kind, o.date, clock(at),
                                    clock(at + dur_s), plan.duration_min));
    const std::size_t n = hall.matters.size();
    if (reach.every)
      out.lines.push_back(fmt::format("every window service depends on the {} (all {} matters, pickups included): "
                                      "{} {}",
                                      kind, n, windows, how));
    else if (reach.matters.empty())
      out.lines.push_back(fmt::format("no window service's transactions reach {}{}: the windows work as usual", e.id,
                                      e.kind == PlatformKind::kiosk
                                          ? " (kiosk self-service makes no transactions in the model: docs/platform.md)"
                                          : ""));
    else
      out.lines.push_back(fmt::format("{} of {} matters make transactions {} ({}): their services at {}: {}; {}"
                                      "pickups as usual",
                                      reach.matters.size(), n,
                                      e.kind == PlatformKind::extranet ? std::string("over the extranet") : "to " + e.id,
                                      matter_list(hall, reach.matters), windows, how,
                                      reach.matters.size() < n ? "other matters' services and " : ""));
  }
  out.lines.push_back(fmt::format("compared with the same day and seed without the outage (common random numbers), "
                                  "{} replication(s)",
                                  o.replications));
  out.lines.push_back(fmt::format("{:<34} {:>12} {:>12}", "", "OUTAGE", "NO OUTAGE"));
  auto row = [&](const char* what, double a, double b, const char* unit) {
    out.lines.push_back(fmt::format("{:<34} {:>10.1f} {:<2}{:>9.1f} {}", what, a, unit, b, unit));
  };
  out.lines.push_back(fmt::format("{:<34} {:>12.1f}", "tickets issued during the outage", m_tickets));
  row("wait p90 of those tickets", m_p90 / 60, m_p90b / 60, "min");
  row("wait mean of those tickets", m_mean / 60, m_meanb / 60, "min");
  if (split) {
    row("  of the matters touched", m_in / 60, m_inb / 60, "min");
    row("  of the other matters", m_out / 60, m_outb / 60, "min");
  }
  row("of those gave up (abandoned)", m_ab, m_abb, "");
  row("wait mean of tickets after it", m_after / 60, m_afterb / 60, "min");
  row("longest queue from its start", m_peak, m_peakb, "");
  row("served in the day", m_served, m_servedb, "");
  out.lines.push_back(std::isfinite(m_rec)
                          ? fmt::format("queue back to its no-outage level {:.0f} min after the outage ended{}", m_rec,
                                        d.to_s + m_rec * 60 > close ? " (after closing)" : "")
                          : "the queue never came back to its no-outage level");

  for (const auto& p : plan.promises) {
    switch (p.kind) {
      case PromiseKind::service_resumes:
        out.promises.push_back(judge(p, m_rec,
                                     fmt::format("minutes after the outage until the queue is within {:g} tickets "
                                                 "(or 10%) of the no-outage queue for 15 min",
                                                 kRecoveryTolerance)));
        break;
      case PromiseKind::wait_p90_during_outage:
        out.promises.push_back(judge(p, m_p90 / 60, "p90 wait of tickets issued during the outage"));
        break;
      case PromiseKind::wait_mean_during_outage:
        out.promises.push_back(judge(p, m_mean / 60, "mean wait of tickets issued during the outage"));
        break;
      case PromiseKind::abandoned_during_outage:
        out.promises.push_back(judge(p, m_ab, "citizens with a ticket from the outage who gave up"));
        break;
      default:
        break;  // measured by another part of the drill (power failure)
    }
  }
}

}  // namespace halltwin::drill
