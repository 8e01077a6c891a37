#include "tools/connect/calibrate.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/math/distributions/exponential.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <cmath>
#include <numeric>

#include "model/input_error.hpp"
#include "model/trace/trace_header.hpp"
#include "model/yaml_safe_load.hpp"
#include "tools/connect/importer.hpp"

namespace halltwin::connect {

Weekday weekday_of(const std::string& date) {
  const long days =
      days_from_civil(std::stoi(date.substr(0, 4)), static_cast<unsigned>(std::stoi(date.substr(5, 2))),
                      static_cast<unsigned>(std::stoi(date.substr(8, 2))));
  // 1970-01-01 was a Thursday (index 3, Monday first).
  return Weekday(static_cast<int>(((days % 7) + 7 + 3) % 7));
}

namespace {

void add_hours(std::array<double, 24>& hours, double start_tod, double end_tod) {
  for (int h = 0; h < 24; ++h) {
    const double a = std::max(start_tod, h * 3600.0), b = std::min(end_tod, (h + 1) * 3600.0);
    if (b > a) hours[static_cast<std::size_t>(h)] += b - a;
  }
}
}  // namespace

bool CalibrationSink::select(const Catalog& c, int date_day, Weekday& wd) {
  const std::string date = date_of_day(c.start_date, date_day);
  if (!filter_.empty() && !filter_.count(date)) return false;
  dates.insert(date);
  wd = weekday_of(date);
  weekday_dates[static_cast<std::size_t>(wd)].insert(date);
  return true;
}

void CalibrationSink::day(const Catalog& c, int date_day, std::span<const Visit> visits) {
  Weekday wd;
  if (!select(c, date_day, wd)) return;
  const auto w = static_cast<std::size_t>(wd);
  const std::size_t blocks = static_cast<std::size_t>(24 * 60 / block_min_);
  if (arrivals[w].empty()) arrivals[w].assign(blocks, 0.0);
  const double base = date_day * kSecondsPerDay;
  for (const Visit& v : visits) {
    if (v.outcome == Outcome::left_before_queue || v.outcome == Outcome::phantom) continue;
    const double issued = happened(v.ticket) ? v.ticket : v.called;
    const double tod = std::clamp(issued - base, 0.0, kSecondsPerDay - 1e-6);
    arrivals[w][std::min(blocks - 1, static_cast<std::size_t>(tod / (block_min_ * 60.0)))] += 1.0;
    const std::string matter = v.matter == kNoId ? "-" : c.matters.text(v.matter);
    ++matter_arrivals[matter];
    if (v.outcome == Outcome::served) service_s[matter].push_back(v.end - v.start);
    if (happened(v.ticket) && (v.outcome == Outcome::served || v.outcome == Outcome::abandoned))
      waits.emplace_back(v.called - v.ticket, v.outcome == Outcome::abandoned);
  }
  if (use_inferred_presence) {
    if (availability)
      infer_availability(visits, kPresenceGap_s, kAvailabilityGrace_s, pieces_);
    else
      infer_presence(visits, kPresenceGap_s, pieces_);
    for (const auto& p : pieces_) add_hours(present_s[w], p.start - base, p.end - base);
  }
}

void CalibrationSink::presence(int, double start, double end, const Catalog& c) {
  // A piece may span days (a shift around the clock): each day gets its part.
  for (int d = static_cast<int>(std::floor(start / kSecondsPerDay)); d * kSecondsPerDay < end; ++d) {
    const std::string date = date_of_day(c.start_date, d);
    if (!filter_.empty() && !filter_.count(date)) continue;
    const double base = d * kSecondsPerDay;
    add_hours(present_s[static_cast<std::size_t>(weekday_of(date))], std::max(start, base) - base,
              std::min(end, base + kSecondsPerDay) - base);
  }
}

namespace {
// A two-parameter family must beat the exponential by this KS distance to be chosen.
constexpr double kParsimonyKs = 0.01;

template <class Dist>
double ks_distance(const std::vector<double>& sorted, const Dist& d) {
  const double n = static_cast<double>(sorted.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double f = boost::math::cdf(d, std::max(sorted[i], 0.0));
    worst = std::max({worst, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  return worst;
}

MatterFit fit_matter(const std::string& matter, std::vector<double> x) {
  MatterFit m;
  m.matter = matter;
  m.n = x.size();
  if (x.empty()) return m;
  // A service of 0 s (logged to the second) is taken as half a second: lognormal and gamma need x > 0.
  for (double& v : x) v = std::max(v, 0.5);
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  const double sd = x.size() > 1 ? std::sqrt(ss / (n - 1)) : mean;
  m.sample_mean_s = mean;
  m.sample_cv = sd / mean;
  m.mean_ci95_half_s = 1.96 * sd / std::sqrt(n);
  // Exponential (MLE: the mean).
  {
    FamilyFit f{"exponential", mean, 1.0,
                ks_distance(x, boost::math::exponential_distribution<>(1.0 / mean))};
    m.families.push_back(f);
  }
  // Lognormal (MLE on the logs).
  {
    double mu = 0, s2 = 0;
    for (double v : x) mu += std::log(v);
    mu /= n;
    for (double v : x) s2 += (std::log(v) - mu) * (std::log(v) - mu);
    s2 = x.size() > 1 ? s2 / n : 0.01;
    const double sigma = std::max(std::sqrt(s2), 1e-3);
    FamilyFit f{"lognormal", std::exp(mu + sigma * sigma / 2), std::sqrt(std::expm1(sigma * sigma)),
                ks_distance(x, boost::math::lognormal_distribution<>(mu, sigma))};
    m.families.push_back(f);
  }
  // Gamma (moments).
  {
    const double cv = std::max(m.sample_cv, 1e-3);
    const double k = 1.0 / (cv * cv), theta = mean / k;
    FamilyFit f{"gamma", mean, cv, ks_distance(x, boost::math::gamma_distribution<>(k, theta))};
    m.families.push_back(f);
  }
  m.chosen = *std::min_element(m.families.begin(), m.families.end(),
                               [](const FamilyFit& a, const FamilyFit& b) { return a.ks < b.ks; });
  // Parsimony: the one-parameter exponential unless a two-parameter family fits clearly better.
  if (m.families[0].ks <= m.chosen.ks + kParsimonyKs) m.chosen = m.families[0];
  // The scenario format bounds cv to (0, 20].
  m.chosen.cv = std::clamp(m.chosen.cv, 0.01, 20.0);
  return m;
}

PatienceFit fit_patience(std::vector<std::pair<double, bool>> w) {
  PatienceFit p;
  double exposure = 0.0;
  for (const auto& [t, ab] : w) {
    exposure += std::max(t, 0.0);
    ab ? ++p.abandoned : ++p.censored;
  }
  if (p.abandoned == 0) return p;
  const double d = static_cast<double>(p.abandoned);
  p.mean_s = exposure / d;
  // Exponential with censoring: 2 * exposure / mean ~ chi-square with 2d degrees of freedom;
  // the normal approximation of log(mean) is enough here (d is large).
  p.mean_ci95_low_s = p.mean_s * std::exp(-1.96 / std::sqrt(d));
  p.mean_ci95_high_s = p.mean_s * std::exp(1.96 / std::sqrt(d));
  // Kaplan-Meier: events at abandonment times; censored at service. Ties: events first.
  std::sort(w.begin(), w.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second > b.second;
  });
  double at_risk = static_cast<double>(w.size()), s = 1.0;
  const double report[] = {30, 60, 120, 300, 600, 1200};
  std::size_t next = 0;
  for (std::size_t i = 0; i < w.size();) {
    const double t = w[i].first;
    while (next < std::size(report) && report[next] < t) p.km_points.emplace_back(report[next++], s);
    double events = 0, leaving = 0;
    for (; i < w.size() && w[i].first == t; ++i) events += w[i].second, leaving += 1;
    if (events > 0) s *= 1.0 - events / at_risk;
    at_risk -= leaving;
    if (p.km_median_s < 0 && s <= 0.5) p.km_median_s = t;
  }
  while (next < std::size(report)) p.km_points.emplace_back(report[next++], s);
  return p;
}
}  // namespace

Calibration calibrate(const CalibrationSink& data) {
  Calibration c;
  c.block_min = data.block_min_;
  c.dates.assign(data.dates.begin(), data.dates.end());
  std::uint64_t total = 0;
  for (const auto& [m, n] : data.matter_arrivals) total += n;
  for (const auto& [m, n] : data.matter_arrivals) {
    const auto it = data.service_s.find(m);
    MatterFit f = fit_matter(m, it == data.service_s.end() ? std::vector<double>{} : it->second);
    f.share = total ? static_cast<double>(n) / static_cast<double>(total) : 0.0;
    c.matters.push_back(f);
  }
  c.patience = fit_patience(data.waits);
  for (std::size_t w = 0; w < kWeekdays; ++w) {
    const double nd = static_cast<double>(data.weekday_dates[w].size());
    c.fit_days[w] = static_cast<int>(nd);
    if (nd == 0) continue;
    c.arrivals_per_block[w] = data.arrivals[w];
    for (double& a : c.arrivals_per_block[w]) a /= nd;
    for (std::size_t h = 0; h < 24; ++h) {
      c.staff_per_hour[w][h] = data.present_s[w][h] / (3600.0 * nd);
      c.staff_rostered[w][h] = static_cast<int>(std::lround(c.staff_per_hour[w][h]));
    }
  }
  return c;
}

namespace {
std::string hhmm(int h) { return fmt::format("{:02}:00", h); }
double r3(double v) { return std::round(v * 1000.0) / 1000.0; }
}  // namespace

std::string calibrated_scenario(const std::string& hall_file, const Calibration& cal,
                                const std::vector<std::string>& window_ids) {
  YAML::Node root = load_yaml_file(hall_file);
  static constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  // services: shares add up to 1 (the last takes the rounding).
  YAML::Node services(YAML::NodeType::Map);
  double share_sum = 0.0;
  std::vector<const MatterFit*> with_demand;
  for (const auto& m : cal.matters)
    if (m.n > 0 && m.share > 0) with_demand.push_back(&m);
  for (std::size_t i = 0; i < with_demand.size(); ++i) {
    const MatterFit& m = *with_demand[i];
    double share = r3(m.share * 1000.0) / 1000.0;
    if (i + 1 == with_demand.size()) share = 1.0 - share_sum;
    share_sum += share;
    YAML::Node st(YAML::NodeType::Map);
    st["dist"] = m.chosen.family;
    st["mean_s"] = r3(m.chosen.mean_s);
    if (m.chosen.family != "exponential") st["cv"] = r3(m.chosen.cv);
    services[m.matter]["share"] = std::round(share * 1e6) / 1e6;
    services[m.matter]["service_time"] = st;
  }
  // Exact sum after rounding to 1e-6: put the remainder on the largest matter.
  double sum = 0.0;
  for (auto it = services.begin(); it != services.end(); ++it) sum += it->second["share"].as<double>();
  if (!with_demand.empty()) {
    const MatterFit* big = *std::max_element(with_demand.begin(), with_demand.end(),
                                             [](auto* a, auto* b) { return a->share < b->share; });
    services[big->matter]["share"] =
        std::round((services[big->matter]["share"].as<double>() + 1.0 - sum) * 1e6) / 1e6;
  }
  root["services"] = services;

  YAML::Node demand(YAML::NodeType::Map);
  demand["block_min"] = cal.block_min;
  demand["profile_start"] = "00:00";
  YAML::Node weekdays(YAML::NodeType::Map);
  std::vector<std::string> open_days;
  for (std::size_t w = 0; w < kWeekdays; ++w) {
    if (cal.fit_days[w] == 0) continue;
    open_days.emplace_back(kDays[w]);
    YAML::Node list(YAML::NodeType::Sequence);
    list.SetStyle(YAML::EmitterStyle::Flow);
    for (double a : cal.arrivals_per_block[w]) list.push_back(r3(a));
    weekdays[std::string(kDays[w])] = list;
  }
  demand["weekdays"] = weekdays;
  if (cal.patience.abandoned > 0) {
    demand["patience"]["dist"] = "exponential";
    demand["patience"]["mean_s"] = r3(cal.patience.mean_s);
  }
  root["demand"] = demand;

  // roster: window k works on weekday w in the hours where the rounded staffing exceeds k.
  int needed = 0;
  for (const auto& day : cal.staff_rostered)
    for (int n : day) needed = std::max(needed, n);
  if (static_cast<std::size_t>(needed) > window_ids.size())
    throw InputError(InputProblem{
        hall_file, 0, 0, "floors.windows",
        fmt::format("the calibrated staffing needs {} windows; the hall has {}", needed, window_ids.size())});
  YAML::Node roster(YAML::NodeType::Map);
  roster["hours"]["open"] = "00:00";
  roster["hours"]["close"] = "24:00";
  YAML::Node days_node(YAML::NodeType::Sequence);
  days_node.SetStyle(YAML::EmitterStyle::Flow);
  for (const auto& d : open_days) days_node.push_back(d);
  roster["hours"]["days"] = days_node;
  YAML::Node shifts(YAML::NodeType::Sequence), staff(YAML::NodeType::Sequence);
  std::map<std::vector<int>, std::string> shift_ids;  // hour pattern -> shift id
  for (int k = 0; k < needed; ++k) {
    std::map<std::vector<int>, std::vector<std::string>> patterns;  // hours -> weekdays
    for (std::size_t w = 0; w < kWeekdays; ++w) {
      if (cal.fit_days[w] == 0) continue;
      std::vector<int> hours;
      for (int h = 0; h < 24; ++h)
        if (cal.staff_rostered[w][static_cast<std::size_t>(h)] > k) hours.push_back(h);
      if (!hours.empty()) patterns[hours].emplace_back(kDays[w]);
    }
    int p = 0;
    for (const auto& [hours, wdays] : patterns) {
      auto [it, fresh] = shift_ids.try_emplace(hours, fmt::format("H{}", shift_ids.size() + 1));
      if (fresh) {
        YAML::Node s(YAML::NodeType::Map);
        s.SetStyle(YAML::EmitterStyle::Flow);
        s["id"] = it->second;
        s["start"] = hhmm(hours.front());
        s["end"] = hhmm(hours.back() + 1);
        YAML::Node breaks(YAML::NodeType::Sequence);
        for (std::size_t i = 1; i < hours.size(); ++i)
          if (hours[i] != hours[i - 1] + 1) {
            YAML::Node b(YAML::NodeType::Map);
            b["start"] = hhmm(hours[i - 1] + 1);
            b["end"] = hhmm(hours[i]);
            breaks.push_back(b);
          }
        if (breaks.size()) s["breaks"] = breaks;
        shifts.push_back(s);
      }
      YAML::Node m(YAML::NodeType::Map);
      m.SetStyle(YAML::EmitterStyle::Flow);
      m["id"] = fmt::format("S{:02}-{}", k + 1, ++p);
      m["window"] = window_ids[static_cast<std::size_t>(k)];
      m["shift"] = it->second;
      YAML::Node d(YAML::NodeType::Sequence);
      for (const auto& x : wdays) d.push_back(x);
      m["days"] = d;
      staff.push_back(m);
    }
  }
  roster["shifts"] = shifts;
  roster["staff"] = staff;
  root["roster"] = roster;

  YAML::Emitter out;
  out << root;
  std::string text = fmt::format(
      "# Calibrated by `halltwin calibrate` from {} fit day(s) {} .. {} of a queue log, on the hall {}.\n"
      "# services, demand and roster are fitted (docs/queue-data.md); the rest is the hall as given.\n",
      cal.dates.size(), cal.dates.empty() ? "" : cal.dates.front(), cal.dates.empty() ? "" : cal.dates.back(),
      hall_file);
  text += out.c_str();
  text += "\n";
  return text;
}

}  // namespace halltwin::connect
