// `halltwin calibrate`: demand, service times, patience and staffing fitted to
// a queue log, written as a complete scenario that `halltwin run` accepts;
// with --validate, the calibrated hall predicts other days of the log and the
// prediction is compared with what was observed (docs/queue-data.md).
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_header.hpp"
#include "sim/ops/replications.hpp"
#include "tools/connect/calibrate.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/queue_data.hpp"

namespace halltwin::cli {

std::set<std::string> parse_days(const std::string& list);  // cmd_replay.cpp
nlohmann::json observed_json(const connect::ObservedKpis& obs);

namespace {
using kpi::Kpi;
using nlohmann::json;
constexpr double kWaitBand = 0.15, kAbandonBand = 0.03;
}  // namespace

Command add_calibrate_command(CLI::App& app) {
  struct Options {
    std::string log, mapping, scenario, out, report, days, validate;
    std::string staffing = "available";
    int block_min = 30, replications = 10, threads = 1;
    std::uint64_t seed = 1;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "calibrate", "Fit demand, service times, patience and staffing to a queue log; write a scenario");
  cmd->add_option("log", opt->log, "The export (CSV) or a halltwin trace")->required();
  cmd->add_option("--mapping", opt->mapping, "Mapping file (YAML); not needed for a halltwin trace");
  cmd->add_option("--scenario", opt->scenario, "The hall to calibrate (its geometry, matters and windows)")
      ->required();
  cmd->add_option("--out", opt->out, "Write the calibrated scenario (YAML) here")->required();
  cmd->add_option("--report", opt->report, "Write the fit (and the validation) as JSON");
  cmd->add_option("--days", opt->days, "Fit dates YYYY-MM-DD[..YYYY-MM-DD][,...] (default: all)");
  cmd->add_option("--validate", opt->validate,
                  "Predict these dates with the calibrated hall and compare with the log");
  cmd->add_option("--block-min", opt->block_min, "Demand block length, minutes")
      ->check(CLI::IsMember({15, 30, 60}))
      ->capture_default_str();
  cmd->add_option("--replications", opt->replications, "Replications of the validation run")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Threads of the validation run")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Random seed of the validation run")->capture_default_str();
  cmd->add_option("--staffing", opt->staffing,
                  "An export's staffing: available (servers who could take a call: a server leaving a call it "
                  "serves waiting is not counted) or present (first to last service, gaps over 30 min out)")
      ->check(CLI::IsMember({"available", "present"}))
      ->capture_default_str();
  return [opt]() -> int {
    std::vector<std::string> inputs{opt->log, opt->scenario};
    if (!opt->mapping.empty()) inputs.push_back(opt->mapping);
    probe_writable(opt->out, "--out", inputs);
    if (!opt->report.empty()) {
      if (opt->report == opt->out)
        throw InputError(InputProblem{opt->report, 0, 0, "--report", "is also the --out output"});
      probe_writable(opt->report, "--report", inputs);
    }
    const Hall hall = load_scenario(opt->scenario);
    std::vector<std::string> windows, matters;
    for (const auto& w : hall.windows) windows.push_back(w.id);
    for (const auto& m : hall.matters) matters.push_back(m.id);
    const double target = hall.operations.present ? hall.operations.targets.wait_s : 1200.0;
    const std::set<std::string> fit_days =
        opt->days.empty() ? std::set<std::string>{} : parse_days(opt->days);
    const std::set<std::string> val_days =
        opt->validate.empty() ? std::set<std::string>{} : parse_days(opt->validate);
    const bool trace_input = connect::looks_like_trace(opt->log);

    connect::CalibrationSink data(opt->block_min, fit_days);
    data.use_inferred_presence = !trace_input;
    data.availability = opt->staffing == "available";
    connect::ObservedKpis observed(target, matters, windows, val_days, !trace_input);
    std::vector<connect::VisitSink*> sinks{&data};
    if (!val_days.empty()) sinks.push_back(&observed);
    const LogRead r = read_log(opt->log, opt->mapping, sinks, val_days.empty() ? nullptr : &observed, &data);
    if (data.dates.empty())
      throw InputError(InputProblem{opt->log, 0, 0, "--days", "no imported visit on the fit dates"});
    for (const auto& m : data.matter_arrivals)
      if (std::find(matters.begin(), matters.end(), m.first) == matters.end())
        throw InputError(
            InputProblem{opt->scenario, 0, 0, "matters",
                         fmt::format("the log has matter '{}', which the hall does not list", m.first)});
    const connect::Calibration cal = connect::calibrate(data);
    const std::string yaml = connect::calibrated_scenario(opt->scenario, cal, windows);
    write_file_atomically(opt->out, yaml, "--out");

    // ---------------------------------------------------------- report
    std::string out = accounting_text(r);
    out += fmt::format(
        "\nfit on {} day(s) {} .. {}\nservice times (chosen by the Kolmogorov-Smirnov distance):\n",
        cal.dates.size(), cal.dates.front(), cal.dates.back());
    json j;
    j["log"] = opt->log;
    j["scenario"] = {{"name", hall.name}, {"file", opt->scenario}};
    j["out"] = opt->out;
    j["fit_dates"] = cal.dates;
    j["accounting"] = accounting_json(r, false);
    json jm = json::object();
    for (const auto& m : cal.matters) {
      out += fmt::format("  {:<4} n={:<6} share {:.3f}  mean {:.1f} s (+-{:.1f})  cv {:.2f}  -> {} (KS",
                         m.matter, m.n, m.share, m.sample_mean_s, m.mean_ci95_half_s, m.sample_cv,
                         m.chosen.family);
      json fams = json::object();
      for (const auto& f : m.families) {
        out += fmt::format(" {} {:.3f}", f.family, f.ks);
        fams[f.family] = {{"mean_s", number(f.mean_s)}, {"cv", number(f.cv)}, {"ks", number(f.ks, 4)}};
      }
      out += ")\n";
      jm[m.matter] = {{"n", m.n},
                      {"share", number(m.share, 6)},
                      {"sample_mean_s", number(m.sample_mean_s)},
                      {"mean_ci95_half_s", number(m.mean_ci95_half_s)},
                      {"sample_cv", number(m.sample_cv)},
                      {"families", fams},
                      {"chosen", m.chosen.family},
                      {"goodness_of_fit", "Kolmogorov-Smirnov distance (smaller is better)"}};
    }
    j["services"] = jm;
    const auto& p = cal.patience;
    out += fmt::format(
        "patience: {} abandoned, {} censored (served); exponential mean {:.1f} s (95% {:.1f} .. {:.1f}); "
        "Kaplan-Meier median {}\n",
        p.abandoned, p.censored, p.mean_s, p.mean_ci95_low_s, p.mean_ci95_high_s,
        p.km_median_s < 0 ? std::string("above the longest wait") : fmt::format("{:.0f} s", p.km_median_s));
    json km = json::array();
    for (const auto& [t, s] : p.km_points) km.push_back({{"t_s", t}, {"survival", number(s, 4)}});
    j["patience"] = {{"abandoned", p.abandoned},
                     {"censored", p.censored},
                     {"exponential_mean_s", number(p.mean_s)},
                     {"mean_ci95", {number(p.mean_ci95_low_s), number(p.mean_ci95_high_s)}},
                     {"km_median_s", p.km_median_s < 0 ? json(nullptr) : json(p.km_median_s)},
                     {"km_survival", km}};
    static constexpr const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    json staffing = json::object(), demand = json::object();
    // The rule behind the staffing: a trace's shift records, or an export's inferred servers.
    const std::string staffing_rule = trace_input                  ? "shift records of the trace"
                                      : opt->staffing == "available" ? "available"
                                                                     : "present";
    out += fmt::format("staff per hour, {} (average over the fit days of each weekday, rounded):\n",
                       trace_input ? "from shift records" : staffing_rule + ", inferred from service periods");
    for (std::size_t w = 0; w < kWeekdays; ++w) {
      if (!cal.fit_days[w]) continue;
      json hours = json::array();
      std::string line;
      for (std::size_t h = 0; h < 24; ++h) {
        hours.push_back(number(cal.staff_per_hour[w][h], 2));
        line += fmt::format(" {:>2}", cal.staff_rostered[w][h]);
      }
      staffing[kDays[w]] = {{"fit_days", cal.fit_days[w]}, {"present_per_hour", hours}};
      double total = 0;
      for (double a : cal.arrivals_per_block[w]) total += a;
      demand[kDays[w]] = {{"fit_days", cal.fit_days[w]}, {"arrivals_per_day", number(total, 1)}};
      out +=
          fmt::format("  {} ({} day(s), {:.0f} arrivals/day):{}\n", kDays[w], cal.fit_days[w], total, line);
    }
    staffing["rule"] = staffing_rule;
    j["staffing"] = staffing;
    j["demand"] = demand;
    out += fmt::format("calibrated scenario written to {}\n", opt->out);

    // ---------------------------------------------------------- validation
    int code = 0;
    if (!val_days.empty()) {
      const Hall cal_hall = load_scenario(opt->out);
      const ops::OpsModel model(cal_hall);
      const std::string first = *val_days.begin(), last = *val_days.rbegin();
      int n_open = 0;
      for (int d = 0;; ++d) {
        const std::string date = date_of_day(first, d);
        if (date > last) break;
        if (val_days.count(date)) ++n_open;
      }
      // The calibrated roster opens only on weekdays seen in the fit: count those.
      std::vector<int> offs = ops::open_days(model, first, 3660);
      int days = 0;
      for (int o : offs) {
        const std::string date = date_of_day(first, o);
        if (date > last) break;
        ++days;
      }
      ops::ReplicationPlan plan;
      plan.base.seed = opt->seed;
      plan.base.days = std::max(1, days);
      plan.base.start_date = first;
      plan.replications = opt->replications;
      plan.threads = opt->threads;
      const auto runs = ops::run_replications(model, plan);
      const json obs = observed_json(observed);
      auto mean_of = [&](Kpi k) {
        double s = 0;
        for (const auto& x : runs) s += x.kpis.values[std::size_t(k)];
        return s / static_cast<double>(runs.size());
      };
      const double pw = mean_of(Kpi::wait_mean_s), pa = mean_of(Kpi::abandon_rate);
      const double ow = obs["kpis"]["wait_mean_s"].get<double>(),
                   oa = obs["kpis"]["abandon_rate"].get<double>();
      const double wait_err = ow > 0 ? (pw - ow) / ow : 0.0, ab_err = pa - oa;
      const bool wait_ok = std::abs(wait_err) <= kWaitBand, ab_ok = std::abs(ab_err) <= kAbandonBand;
      out += fmt::format(
          "\nvalidation: predicted {} day(s) {} .. {} ({} replications, seed {}) against the log\n", days,
          first, last, opt->replications, opt->seed);
      out +=
          fmt::format("  {:<12} {:>10} {:>10} {:>10} {:>8}\n", "", "observed", "predicted", "error", "band");
      out += fmt::format("  {:<12} {:>9.1f}s {:>9.1f}s {:>9.1f}% {:>7}  {}\n", "wait_mean", ow, pw,
                         100 * wait_err, "15%", wait_ok ? "within" : "OUTSIDE");
      out += fmt::format("  {:<12} {:>9.1f}% {:>9.1f}% {:>8.1f}pp {:>6}pp  {}\n", "abandon", 100 * oa,
                         100 * pa, 100 * ab_err, "3", ab_ok ? "within" : "OUTSIDE");
      json per_day = json::object();
      out += "  by date (observed / predicted): wait_mean_s, abandon_rate, arrivals\n";
      for (const auto& date : runs[0].dates) {
        double w = 0, a = 0, n = 0;
        for (const auto& x : runs) {
          const auto& v = x.kpis.by_day.at(date);
          w += v[std::size_t(Kpi::wait_mean_s)], a += v[std::size_t(Kpi::abandon_rate)],
              n += v[std::size_t(Kpi::arrivals)];
        }
        const double R = static_cast<double>(runs.size());
        json o = obs["by_day"].contains(date) ? obs["by_day"][date] : json::object();
        per_day[date] = {
            {"weekday", kDays[static_cast<int>(connect::weekday_of(date))]},
            {"observed", o},
            {"predicted",
             {{"wait_mean_s", number(w / R)}, {"abandon_rate", number(a / R)}, {"arrivals", number(n / R)}}}};
        out += fmt::format("  {} {}  {:>7.1f} / {:>7.1f}   {:>5.1f}% / {:>5.1f}%   {:>6.0f} / {:>6.0f}\n", date,
                           kDays[static_cast<int>(connect::weekday_of(date))],
                           o.value("wait_mean_s", 0.0), w / R, 100 * o.value("abandon_rate", 0.0),
                           100 * a / R, o.value("arrivals", 0.0), n / R);
      }
      j["validation"] = {{"dates", std::vector<std::string>(val_days.begin(), val_days.end())},
                         {"predicted_days", runs[0].dates},
                         {"replications", opt->replications},
                         {"seed", opt->seed},
                         {"wait_mean_s",
                          {{"observed", number(ow)},
                           {"predicted", number(pw)},
                           {"relative_error", number(wait_err, 4)},
                           {"band", kWaitBand},
                           {"within", wait_ok}}},
                         {"abandon_rate",
                          {{"observed", number(oa, 4)},
                           {"predicted", number(pa, 4)},
                           {"error_pp", number(100 * ab_err, 2)},
                           {"band_pp", 100 * kAbandonBand},
                           {"within", ab_ok}}},
                         {"by_day", per_day}};
      code = wait_ok && ab_ok ? 0 : 1;
    }
    if (!opt->report.empty()) write_file_atomically(opt->report, j.dump(2) + "\n", "--report");
    std::cout << out;
    return code;
  };
}

}  // namespace halltwin::cli
