#include "sim/kpi/kpi.hpp"

#include <algorithm>
#include <cmath>

namespace halltwin::kpi {

std::string_view name(Kpi k) {
  static constexpr std::string_view kNames[kKpiCount] = {"wait_mean_s",
                                                         "wait_p50_s",
                                                         "wait_p90_s",
                                                         "wait_max_s",
                                                         "served",
                                                         "abandoned",
                                                         "no_show",
                                                         "balked",
                                                         "served_self",
                                                         "pickups",
                                                         "arrivals",
                                                         "abandon_rate",
                                                         "within_target_rate",
                                                         "utilization",
                                                         "overtime_s",
                                                         "max_in_hall",
                                                         "max_waiting_standing"};
  return kNames[static_cast<std::size_t>(k)];
}

std::optional<Kpi> parse_kpi(std::string_view n) {
  for (std::size_t k = 0; k < kKpiCount; ++k)
    if (name(Kpi(k)) == n) return Kpi(k);
  return std::nullopt;
}

// ---------------------------------------------------------------- histogram
void WaitHistogram::add(double wait_s) {
  ++count_;
  sum_ += wait_s;
  max_ = std::max(max_, wait_s);
  if (wait_s <= 0.0) {
    ++zeros_;
    return;
  }
  const auto k = static_cast<std::size_t>(std::ceil(wait_s)) - 1;  // (k, k + 1]
  if (k >= bins_.size()) bins_.resize(k + 1 + bins_.size() / 2, 0);
  ++bins_[k];
}

double WaitHistogram::quantile(double p) const {
  if (count_ == 0) return 0.0;
  const auto rank = static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_)));
  if (rank <= zeros_) return 0.0;
  std::uint64_t seen = zeros_;
  for (std::size_t k = 0; k < bins_.size(); ++k) {
    seen += bins_[k];
    if (seen >= rank) return std::min(static_cast<double>(k) + 0.5, max_);
  }
  return max_;
}

void WaitHistogram::merge(const WaitHistogram& other) {
  count_ += other.count_;
  zeros_ += other.zeros_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
  if (other.bins_.size() > bins_.size()) bins_.resize(other.bins_.size(), 0);
  for (std::size_t k = 0; k < other.bins_.size(); ++k) bins_[k] += other.bins_[k];
}

std::uint64_t WaitHistogram::count_at_most(double wait_s) const {
  std::uint64_t n = zeros_;
  const double top = std::floor(wait_s);  // bins entirely at or below wait_s
  for (std::size_t k = 0; k < bins_.size() && static_cast<double>(k) + 1.0 <= top; ++k) n += bins_[k];
  return n;
}

// ---------------------------------------------------------------- accumulator
KpiAccumulator::KpiAccumulator(double target_wait_s, std::vector<std::string> matters,
                               std::vector<std::string> windows)
    : target_wait_s_(target_wait_s),
      matters_(std::move(matters)),
      windows_(std::move(windows)),
      by_matter_(matters_.size()),
      by_window_(windows_.size()) {}

void KpiAccumulator::begin_day(const std::string& date) {
  dates_.push_back(date);
  days_.emplace_back();
}

std::size_t KpiAccumulator::day_index_of(const std::string& date) const {
  return static_cast<std::size_t>(std::find(dates_.begin(), dates_.end(), date) - dates_.begin());
}

std::size_t KpiAccumulator::day(const std::string& date) {
  const std::size_t i = day_index_of(date);
  if (i < dates_.size()) return i;
  begin_day(date);
  return dates_.size() - 1;
}

std::uint32_t KpiAccumulator::matter_index(std::string_view id) {
  const auto it = std::find(matters_.begin(), matters_.end(), id);
  if (it != matters_.end()) return static_cast<std::uint32_t>(it - matters_.begin());
  matters_.emplace_back(id);
  by_matter_.emplace_back();
  return static_cast<std::uint32_t>(matters_.size() - 1);
}

std::uint32_t KpiAccumulator::window_index(std::string_view id) {
  const auto it = std::find(windows_.begin(), windows_.end(), id);
  if (it != windows_.end()) return static_cast<std::uint32_t>(it - windows_.begin());
  windows_.emplace_back(id);
  by_window_.emplace_back();
  return static_cast<std::uint32_t>(windows_.size() - 1);
}

namespace {
std::size_t hour_of(double time_of_day_s) {
  return std::min<std::size_t>(23, static_cast<std::size_t>(std::max(0.0, time_of_day_s) / 3600.0));
}
}  // namespace

void KpiAccumulator::arrived(std::size_t day, double t, std::uint32_t matter, int priority) {
  ++days_[day].arrivals;
  ++hours_[hour_of(t)].arrivals;
  ++by_matter_[matter].arrivals;
  ++by_class_[priority ? 1 : 0].arrivals;
}

void KpiAccumulator::served(std::size_t day, double t, double wait_s, std::uint32_t matter,
                            std::uint32_t window, double service_s, int priority) {
  // A wait within the target is judged on the exact value, not its 1 s bin.
  const bool within = wait_s <= target_wait_s_;
  for (Tally* tally : {static_cast<Tally*>(&days_[day]), &hours_[hour_of(t)], &by_matter_[matter],
                       &by_class_[priority ? 1 : 0]}) {
    ++tally->served;
    tally->within_target += within;
    tally->wait_sum_s += wait_s;
    tally->wait_max_s = std::max(tally->wait_max_s, wait_s);
    tally->service_sum_s += service_s;
    ++tally->service_count;
  }
  ++by_window_[window].served;
  by_window_[window].service_sum_s += service_s;
  waits_.add(wait_s);
}

void KpiAccumulator::abandoned(std::size_t day, double t, std::uint32_t matter, int priority) {
  for (Tally* tally : {static_cast<Tally*>(&days_[day]), &hours_[hour_of(t)], &by_matter_[matter],
                       &by_class_[priority ? 1 : 0]})
    ++tally->abandoned;
}

void KpiAccumulator::no_show(std::size_t day, double t, std::uint32_t matter, int priority) {
  for (Tally* tally : {static_cast<Tally*>(&days_[day]), &hours_[hour_of(t)], &by_matter_[matter],
                       &by_class_[priority ? 1 : 0]})
    ++tally->no_show;
}

void KpiAccumulator::balked(std::size_t day, double t, std::uint32_t matter) {
  for (Tally* tally : {static_cast<Tally*>(&days_[day]), &hours_[hour_of(t)], &by_matter_[matter]})
    ++tally->balked;
}

void KpiAccumulator::served_self(std::size_t day, double t, std::uint32_t matter) {
  for (Tally* tally : {static_cast<Tally*>(&days_[day]), &hours_[hour_of(t)], &by_matter_[matter]})
    ++tally->served_self;
}

void KpiAccumulator::pickup(std::size_t day, double t, std::uint32_t matter, std::uint32_t window,
                            double service_s) {
  for (Tally* tally : {static_cast<Tally*>(&days_[day]), &hours_[hour_of(t)], &by_matter_[matter]})
    ++tally->pickups;
  by_window_[window].service_sum_s += service_s;
  ++by_window_[window].served;
}

void KpiAccumulator::in_hall(std::size_t day, int count) {
  days_[day].max_in_hall = std::max(days_[day].max_in_hall, count);
}

void KpiAccumulator::waiting_standing(std::size_t day, int count) {
  days_[day].max_waiting_standing = std::max(days_[day].max_waiting_standing, count);
}

void KpiAccumulator::window_busy(std::uint32_t window, double seconds) {
  by_window_[window].busy_s += seconds;
}
void KpiAccumulator::window_rostered(std::uint32_t window, double seconds) {
  by_window_[window].rostered_s += seconds;
}
namespace {
// Adds the interval [start, start + seconds) to the hour bins it covers,
// wrapping past midnight (a service that runs over 24:00).
void add_by_hour(std::array<double, 24>& bins, double start_time_of_day_s, double seconds) {
  double t = start_time_of_day_s, left = seconds;
  while (left > 0.0) {
    const double hour_start = std::floor(t / 3600.0) * 3600.0;
    const double piece = std::min(left, hour_start + 3600.0 - t);
    const long h = static_cast<long>(hour_start / 3600.0);
    bins[static_cast<std::size_t>(((h % 24) + 24) % 24)] += piece;
    t += piece, left -= piece;
  }
}
}  // namespace

void KpiAccumulator::window_busy_at(std::uint32_t window, double start_time_of_day_s, double seconds) {
  window_busy(window, seconds);
  add_by_hour(by_window_[window].busy_by_hour_s, start_time_of_day_s, seconds);
}
void KpiAccumulator::window_rostered_at(std::uint32_t window, double start_time_of_day_s, double seconds) {
  window_rostered(window, seconds);
  add_by_hour(by_window_[window].rostered_by_hour_s, start_time_of_day_s, seconds);
}
void KpiAccumulator::overtime(std::size_t day, double seconds) { days_[day].overtime_s += seconds; }

namespace {
void add_tally(Tally& a, const Tally& b) {
  a.arrivals += b.arrivals, a.served += b.served, a.abandoned += b.abandoned, a.no_show += b.no_show;
  a.within_target += b.within_target, a.balked += b.balked, a.served_self += b.served_self;
  a.pickups += b.pickups, a.wait_sum_s += b.wait_sum_s, a.service_sum_s += b.service_sum_s;
  a.wait_max_s = std::max(a.wait_max_s, b.wait_max_s);
  a.service_count += b.service_count;
}
}  // namespace

void KpiAccumulator::merge(const KpiAccumulator& o) {
  for (std::size_t d = 0; d < o.days_.size(); ++d) {
    DayTally& to = days_[day(o.dates_[d])];
    const DayTally& from = o.days_[d];
    add_tally(to, from);
    to.overtime_s += from.overtime_s;
    to.max_in_hall = std::max(to.max_in_hall, from.max_in_hall);
    to.max_waiting_standing = std::max(to.max_waiting_standing, from.max_waiting_standing);
  }
  for (std::size_t h = 0; h < hours_.size(); ++h) add_tally(hours_[h], o.hours_[h]);
  for (std::size_t m = 0; m < o.by_matter_.size() && m < by_matter_.size(); ++m)
    add_tally(by_matter_[m], o.by_matter_[m]);
  for (std::size_t w = 0; w < o.by_window_.size() && w < by_window_.size(); ++w) {
    WindowTally& to = by_window_[w];
    const WindowTally& from = o.by_window_[w];
    to.served += from.served, to.busy_s += from.busy_s, to.rostered_s += from.rostered_s;
    to.service_sum_s += from.service_sum_s;
    for (std::size_t h = 0; h < 24; ++h)
      to.busy_by_hour_s[h] += from.busy_by_hour_s[h], to.rostered_by_hour_s[h] += from.rostered_by_hour_s[h];
  }
  for (std::size_t c = 0; c < by_class_.size(); ++c) add_tally(by_class_[c], o.by_class_[c]);
  waits_.merge(o.waits_);
}

namespace {
double ratio(double a, double b) { return b > 0.0 ? a / b : 0.0; }
}  // namespace

ReplicationKpis KpiAccumulator::finish(std::uint64_t events, std::uint64_t inside_at_end) const {
  ReplicationKpis r;
  r.events = events;
  r.inside_at_end = inside_at_end;
  double busy = 0.0, rostered = 0.0;
  for (const auto& w : by_window_) busy += w.busy_s, rostered += w.rostered_s;
  DayTally total;
  double max_in_hall = 0.0, max_standing = 0.0;
  for (std::size_t d = 0; d < days_.size(); ++d) {
    const DayTally& day = days_[d];
    total.arrivals += day.arrivals;
    total.served += day.served;
    total.abandoned += day.abandoned;
    total.no_show += day.no_show;
    total.balked += day.balked;
    total.served_self += day.served_self;
    total.pickups += day.pickups;
    total.within_target += day.within_target;
    total.overtime_s += day.overtime_s;
    max_in_hall += day.max_in_hall;
    max_standing += day.max_waiting_standing;
    KpiValues v{};
    v[std::size_t(Kpi::wait_mean_s)] = ratio(day.wait_sum_s, static_cast<double>(day.served));
    v[std::size_t(Kpi::wait_p50_s)] = std::nan("");  // quantiles are kept for the whole run only
    v[std::size_t(Kpi::wait_p90_s)] = std::nan("");
    v[std::size_t(Kpi::wait_max_s)] = day.wait_max_s;
    v[std::size_t(Kpi::served)] = static_cast<double>(day.served);
    v[std::size_t(Kpi::abandoned)] = static_cast<double>(day.abandoned);
    v[std::size_t(Kpi::no_show)] = static_cast<double>(day.no_show);
    v[std::size_t(Kpi::balked)] = static_cast<double>(day.balked);
    v[std::size_t(Kpi::served_self)] = static_cast<double>(day.served_self);
    v[std::size_t(Kpi::pickups)] = static_cast<double>(day.pickups);
    v[std::size_t(Kpi::arrivals)] = static_cast<double>(day.arrivals);
    v[std::size_t(Kpi::abandon_rate)] =
        ratio(static_cast<double>(day.abandoned), static_cast<double>(day.served + day.abandoned));
    v[std::size_t(Kpi::within_target_rate)] =
        ratio(static_cast<double>(day.within_target), static_cast<double>(day.served + day.abandoned));
    v[std::size_t(Kpi::utilization)] = std::nan("");  // kept for the whole run only
    v[std::size_t(Kpi::overtime_s)] = day.overtime_s;
    v[std::size_t(Kpi::max_in_hall)] = day.max_in_hall;
    v[std::size_t(Kpi::max_waiting_standing)] = day.max_waiting_standing;
    r.by_day[dates_[d]] = v;
  }
  const double n_days = std::max<double>(1.0, static_cast<double>(days_.size()));
  auto& v = r.values;
  v[std::size_t(Kpi::wait_mean_s)] = waits_.mean();
  v[std::size_t(Kpi::wait_p50_s)] = waits_.quantile(0.5);
  v[std::size_t(Kpi::wait_p90_s)] = waits_.quantile(0.9);
  v[std::size_t(Kpi::wait_max_s)] = waits_.max();
  v[std::size_t(Kpi::served)] = static_cast<double>(total.served) / n_days;
  v[std::size_t(Kpi::abandoned)] = static_cast<double>(total.abandoned) / n_days;
  v[std::size_t(Kpi::no_show)] = static_cast<double>(total.no_show) / n_days;
  v[std::size_t(Kpi::balked)] = static_cast<double>(total.balked) / n_days;
  v[std::size_t(Kpi::served_self)] = static_cast<double>(total.served_self) / n_days;
  v[std::size_t(Kpi::pickups)] = static_cast<double>(total.pickups) / n_days;
  v[std::size_t(Kpi::arrivals)] = static_cast<double>(total.arrivals) / n_days;
  v[std::size_t(Kpi::abandon_rate)] =
      ratio(static_cast<double>(total.abandoned), static_cast<double>(total.served + total.abandoned));
  v[std::size_t(Kpi::within_target_rate)] =
      ratio(static_cast<double>(total.within_target), static_cast<double>(total.served + total.abandoned));
  v[std::size_t(Kpi::utilization)] = ratio(busy, rostered);
  v[std::size_t(Kpi::overtime_s)] = total.overtime_s / n_days;
  v[std::size_t(Kpi::max_in_hall)] = max_in_hall / n_days;
  v[std::size_t(Kpi::max_waiting_standing)] = max_standing / n_days;
  r.by_hour = hours_;
  r.by_matter = by_matter_;
  r.by_window = by_window_;
  r.by_class = by_class_;
  return r;
}

// ---------------------------------------------------------------- estimates
double t975(int dof) {
  static constexpr double kTable[] = {0,     12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365,
                                      2.306, 2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                                      2.120, 2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
                                      2.064, 2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (dof <= 0) return std::nan("");
  if (dof <= 30) return kTable[dof];
  // Cornish-Fisher expansion around the normal quantile: within 1e-3 above 30.
  const double z = 1.959964, n = dof;
  return z + (z * z * z + z) / (4 * n) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
}

std::pair<double, double> natural_range(Kpi k) {
  switch (k) {
    case Kpi::abandon_rate:
    case Kpi::within_target_rate:
    case Kpi::utilization:
      return {0.0, 1.0};
    default:
      return {0.0, HUGE_VAL};
  }
}

Estimate estimate(const std::vector<double>& samples, double low, double high) {
  Estimate e;
  if (samples.empty()) return e;
  double sum = 0.0;
  for (double x : samples) sum += x;
  const double n = static_cast<double>(samples.size());
  e.mean = sum / n;
  if (samples.size() < 2) return e;
  double ss = 0.0;
  for (double x : samples) ss += (x - e.mean) * (x - e.mean);
  const double half = t975(static_cast<int>(samples.size()) - 1) * std::sqrt(ss / (n - 1.0) / n);
  e.ci95_low = std::max(low, e.mean - half);
  e.ci95_high = std::min(high, e.mean + half);
  return e;
}

}  // namespace halltwin::kpi
