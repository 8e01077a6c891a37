// `halltwin evac`: the evacuation of one floor (docs/evac.md): load, run the
// replications, write the summary and the outputs through the shared writer.
#include <fmt/format.h>
#include <png.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_header.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/evac/from_operations.hpp"
#include "sim/evac/simulation.hpp"
#include "sim/kpi/kpi.hpp"
#include "sim/ops/ops_model.hpp"
#include "tools/halltwin/at_time.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/run_outputs.hpp"

namespace halltwin::cli {

namespace {

using nlohmann::json;

// The peak-density map as a PNG (libpng): the floor's walkable area in light
// grey, walls and obstacles dark, each 2 m cell coloured by its peak density
// (green 0-2, yellow 2-4, red 4-5.4, magenta above).
std::string density_png(const evac::EvacModel& m, const evac::EvacResult& r) {
  const double ppm = 10.0;  // pixels per metre
  const Vec2 lo = m.area().min_corner(), hi = m.area().max_corner();
  const int w = std::max(1, static_cast<int>(std::ceil((hi.x - lo.x) * ppm)));
  const int h = std::max(1, static_cast<int>(std::ceil((hi.y - lo.y) * ppm)));
  std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * h * 3);
  for (int py = 0; py < h; ++py)
    for (int px = 0; px < w; ++px) {
      const Vec2 p{lo.x + (px + 0.5) / ppm, hi.y - (py + 0.5) / ppm};
      unsigned char c[3] = {60, 60, 60};
      const std::size_t k = m.grid().cell_of(p);
      if (m.grid().walkable(k)) {
        c[0] = c[1] = c[2] = 225;
        const int ci = static_cast<int>(std::floor((p.x - m.density_origin.x) / evac::kDensityCell_m));
        const int cj = static_cast<int>(std::floor((p.y - m.density_origin.y) / evac::kDensityCell_m));
        if (ci >= 0 && cj >= 0 && ci < m.density_nx && cj < m.density_ny) {
          const double d = r.peak_density_ppm2[static_cast<std::size_t>(cj) * m.density_nx + ci];
          if (d > 0) {
            const double t = std::min(1.0, d / 5.4);
            if (d > 5.4) {
              c[0] = 200, c[1] = 0, c[2] = 200;
            } else if (t < 0.5) {
              c[0] = static_cast<unsigned char>(510 * t), c[1] = 170, c[2] = 40;
            } else {
              c[0] = 230, c[1] = static_cast<unsigned char>(170 * (2 - 2 * t)), c[2] = 40;
            }
          }
        }
      }
      std::copy(c, c + 3, rgb.begin() + (static_cast<std::size_t>(py) * w + px) * 3);
    }
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) throw std::runtime_error("libpng: out of memory");
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw std::runtime_error("libpng: cannot encode the density map");
  }
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, png_size_t len) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), len);
      },
      nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(w), static_cast<png_uint_32>(h), 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int py = 0; py < h; ++py) png_write_row(png, rgb.data() + static_cast<std::size_t>(py) * w * 3);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

// --block DOOR or DOOR@SECONDS (seconds after the alarm).
EvacBlocked parse_block(const std::string& text) {
  EvacBlocked b;
  const auto at = text.rfind('@');
  b.door = text.substr(0, at);
  if (b.door.empty())
    throw InputError(
        InputProblem{"", 0, 0, "--block", fmt::format("'{}': expected DOOR_ID or DOOR_ID@SECONDS", text)});
  if (at == std::string::npos) return b;
  const std::string num = text.substr(at + 1);
  std::size_t used = 0;
  double v = -1;
  try {
    v = std::stod(num, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (num.empty() || used != num.size() || !std::isfinite(v) || v < 0 || v > 86000)
    throw InputError(InputProblem{
        "", 0, 0, "--block",
        fmt::format("'{}': '{}' is not a time; expected DOOR_ID@SECONDS with 0 <= SECONDS <= 86000 "
                    "(seconds after the alarm)",
                    text, num)});
  b.at_s = v;
  return b;
}

}  // namespace

Command add_evac_command(CLI::App& app) {
  struct Options {
    std::string scenario, json, trace, curve, density, floor, at, rulebook = HALLTWIN_DEFAULT_RULEBOOK;
    std::vector<std::string> block;
    int population = -1, replications = 1, threads = 1;
    std::uint64_t seed = 1;
    double dt = 0.05, time_cap = 0;
    bool quiet = false;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("evac", "Simulate the evacuation of one floor (collision-free speed model)");
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML)")->required();
  cmd->add_option("--population", opt->population,
                  "Persons in the hall (spread over the waiting and window zones by area unless the scenario "
                  "gives them by zone); default: the scenario's, else the checker's occupant load")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--seed", opt->seed, "Random seed")->capture_default_str();
  cmd->add_option("--replications", opt->replications, "Independent replications (95% confidence intervals)")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Threads running replications (results do not depend on it)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option(
      "--block", opt->block,
      "A door blocked from the start (DOOR_ID) or from SECONDS after the alarm (DOOR_ID@SECONDS); "
      "repeatable");
  cmd->add_option("--dt", opt->dt, "Time step, seconds")
      ->check(CLI::Range(0.001, 0.2))
      ->capture_default_str();
  cmd->add_option("--time-cap", opt->time_cap,
                  "Simulated-time cap, seconds (default: the scenario's, else 3x the hand calculation, at "
                  "least 600 s)")
      ->check(CLI::Range(1.0, 86000.0));
  cmd->add_option("--floor", opt->floor, "Floor to evacuate (default: the storey-1 floor)");
  cmd->add_option("--rulebook", opt->rulebook, "Rulebook for the default population (occupant densities)")
      ->capture_default_str();
  cmd->add_option("--json", opt->json, "Write the results as JSON to this file");
  cmd->add_option(
      "--trace", opt->trace,
      "Write the trace (CSV, docs/trace-format.md); with N replications OUT.r1.csv ... OUT.rN.csv");
  cmd->add_option("--curve", opt->curve, "Write persons inside over time (CSV, replication 1)");
  cmd->add_option("--density", opt->density, "Write the peak-density map (PNG, replication 1)");
  cmd->add_option("--at", opt->at,
                  "Start from the hall as the operations simulator has it at HH:MM of hall.start_date or at "
                  "'YYYY-MM-DD HH:MM' (its citizens and staff on the floor, where they are)");
  cmd->add_flag("--quiet", opt->quiet, "No progress bar");
  return [opt]() -> int {
    const std::vector<std::string> inputs{opt->scenario, opt->rulebook};
    std::vector<EvacBlocked> blocks;
    for (const auto& b : opt->block) blocks.push_back(parse_block(b));
    std::vector<std::pair<std::string, std::string>> outs;
    if (!opt->json.empty()) outs.push_back({opt->json, "--json"});
    if (!opt->curve.empty()) outs.push_back({opt->curve, "--curve"});
    if (!opt->density.empty()) outs.push_back({opt->density, "--density"});
    const std::vector<std::string> trace_paths =
        opt->trace.empty() ? std::vector<std::string>{} : replication_paths(opt->trace, opt->replications);
    for (const auto& p : trace_paths) outs.push_back({p, "--trace"});
    for (std::size_t i = 0; i < outs.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (outs[i].first == outs[j].first)
          throw InputError(
              InputProblem{outs[i].first, 0, 0, outs[i].second, "is also the " + outs[j].second + " output"});
    for (const auto& [p, flag] : outs) probe_writable(p, flag, inputs);

    const Hall hall = load_scenario(opt->scenario);
    const Rulebook book = load_rulebook(opt->rulebook);
    evac::EvacOptions eo;
    if (opt->population >= 0) eo.population = opt->population;
    eo.blocked = blocks;
    eo.floor = opt->floor;
    eo.dt_s = opt->dt;
    if (opt->time_cap > 0) eo.time_cap_s = opt->time_cap;
    // --at: the people the operations simulator has on the floor at that moment.
    std::optional<Hall> at_hall;
    std::optional<evac::Placement> placed;
    std::string at_date;
    double at_s = 0.0;
    if (!opt->at.empty()) {
      if (!hall.operations.present)
        throw InputError(
            InputProblem{hall.source_file, 0, 0, "--at",
                         "needs a hall with operations sections (services, demand, roster; format 2 "
                         "or later) to know who is inside"});
      if (opt->population >= 0)
        throw InputError(InputProblem{"", 0, 0, "--at", "--population and --at exclude each other"});
      const std::string start = first_day(hall, "");
      at_s = parse_at(opt->at, start);
      at_date = date_of_day(start, static_cast<int>(at_s / 86400.0));
      const ops::OpsModel om(hall);
      ops::RunOptions ro;
      ro.seed = opt->seed;
      ro.start_date = start;
      ro.days = static_cast<int>(at_s / 86400.0) + 1;
      ro.stop_at_s = at_s;
      const ops::RunResult day = ops::simulate(om, ro);
      FloorId fid{0};
      for (std::uint32_t f = 0; f < hall.floors.size(); ++f)
        if (opt->floor.empty() ? hall.floors[f].storey == 1 : hall.floors[f].id == opt->floor)
          fid = FloorId{f};
      placed = evac::place_snapshot(hall, fid, *day.snapshot);
      if (placed->persons.empty())
        throw InputError(InputProblem{
            "", 0, 0, "--at",
            fmt::format("nobody is on floor {} at {} {} (closed, or before opening): nothing to evacuate",
                        hall.floors[fid.value].id, at_date, opt->at)});
      at_hall = hall;
      at_hall->evacuation.present = true;
      at_hall->evacuation.persons = placed->persons;
      at_hall->evacuation.population_by_zone.clear();
      at_hall->evacuation.population_total.reset();
    }
    const evac::EvacModel model(at_hall ? *at_hall : hall, book, eo);

    evac::EvacPlan plan;
    plan.base.seed = opt->seed;
    plan.replications = opt->replications;
    plan.threads = opt->threads;
    ReplicationTraces traces(trace_paths);
    if (!traces.empty()) {
      plan.trace_for = [&](int r) {
        TraceHeader h;
        h.scenario = hall.name;
        h.scenario_file = opt->scenario;
        h.source = "halltwin evac";
        h.seed = opt->seed;
        h.replication = r;
        h.start_date = hall.start_date;
        h.sample_interval_s = evac::kSampleInterval_s;
        return traces.open(r, h);
      };
      plan.after_run = [&](int r) { traces.close(r); };
    }
    const bool tty = ::isatty(2) && !opt->quiet;
    if (tty && model.population >= 200)
      plan.base.progress = [cap = model.time_cap_s](double t) {
        const int width = 30, filled = static_cast<int>(width * std::min(1.0, t / cap));
        std::cerr << fmt::format("\revac: replication 1 [{}{}] {:.0f} s simulated", std::string(filled, '#'),
                                 std::string(width - filled, '.'), t)
                  << std::flush;
      };
    if (tty && opt->replications > 1)
      plan.progress = [](int done, int total) {
        std::cerr << fmt::format("\revac: {}/{} replications{}", done, total, std::string(30, ' '))
                  << (done == total ? "\n" : "") << std::flush;
      };
    const auto t0 = std::chrono::steady_clock::now();
    const auto runs = evac::run_replications(model, plan);
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (tty && model.population >= 200 && opt->replications == 1) std::cerr << "\n";

    std::vector<double> times;
    std::uint64_t agent_steps = 0;
    for (const auto& r : runs) times.push_back(r.evacuation_time_s), agent_steps += r.agent_steps;
    const auto est = kpi::estimate(times, 0.0);
    const evac::EvacResult& r1 = runs[0];
    const Floor& fl = hall.floor(model.floor);

    // ---------------------------------------------------------- text
    std::string out = fmt::format(
        "{} ({})\nscenario: {}\nfloor {} ({}); {} persons ({}); seed {}, {} replication(s), dt {} s\n",
        hall.name, name(hall.level), opt->scenario, fl.id, fl.name, r1.agents, model.population_basis,
        opt->seed, opt->replications, opt->dt);
    if (placed)
      out += fmt::format(
          "started from the simulated day at {} ({}): {} persons where they were ({} moved to a free spot "
          "nearby, {} with no free spot left out, {} on other floors)\n",
          opt->at, at_date, placed->persons.size(), placed->moved, placed->dropped, placed->on_other_floors);
    for (const auto& n : model.notes) out += "note: " + n + "\n";
    if (!model.blocked.empty())
      out += fmt::format("blocked from the start: {}\n", fmt::join(model.blocked, ", "));
    for (const auto& [door, at] : model.blocked_later)
      out += fmt::format("blocked at {:.1f} s: {}\n", at, door);
    for (const auto& h : model.hazards)
      out += fmt::format("hazard zone {} closed to entry from {:.1f} s\n", h.zone, h.from_s);
    out += fmt::format("\nevacuation time: {:.1f} s", est.mean);
    if (est.ci95_low) out += fmt::format(" (95% CI {:.1f} .. {:.1f})", *est.ci95_low, *est.ci95_high);
    out += fmt::format("   hand calculation: {:.0f} s   time cap: {:.0f} s\n", model.hydraulic_estimate_s,
                       model.time_cap_s);
    // ASET/RSET: the margin against the upper end of the evacuation time (the
    // mean with one replication); a negative margin misses the target (exit 1).
    std::optional<double> margin;
    const double rset_s = est.ci95_high ? *est.ci95_high : est.mean;
    bool any_stuck = false;
    for (const auto& r : runs) any_stuck = any_stuck || !r.stuck.empty();
    if (model.aset_s) {
      margin = *model.aset_s - rset_s;
      out += fmt::format("ASET {:.0f} s, RSET {:.1f} s ({}): margin {:+.1f} s, {}\n", *model.aset_s, rset_s,
                         est.ci95_high ? "upper 95% bound" : "one replication", *margin,
                         *margin >= 0 && !any_stuck ? "met" : "NOT MET");
    }
    if (!model.hazards.empty())
      out += fmt::format("hazard zones: {} person(s) caught inside left them; entries from outside: {}\n",
                         r1.caught_in_hazard, r1.hazard_entries);
    out += fmt::format("\n{:<8} {:>6} {:>9} {:>9} {:>11}   (replication 1)\n", "EXIT", "COUNT", "FIRST_S",
                       "LAST_S", "FLOW_P/S");
    json exits = json::array();
    for (const auto& e : r1.exits) {
      const double flow = e.count > 1 && e.last_s > e.first_s ? (e.count - 1) / (e.last_s - e.first_s) : 0.0;
      out += fmt::format(
          "{:<8} {:>6} {:>9} {:>9} {:>11}\n", e.id, e.count, e.count ? fmt::format("{:.1f}", e.first_s) : "-",
          e.count ? fmt::format("{:.1f}", e.last_s) : "-", e.count > 1 ? fmt::format("{:.2f}", flow) : "-");
      exits.push_back({{"id", e.id},
                       {"count", e.count},
                       {"first_s", e.count ? number(e.first_s) : json(nullptr)},
                       {"last_s", e.count ? number(e.last_s) : json(nullptr)},
                       {"mean_flow_pps", e.count > 1 ? number(flow) : json(nullptr)}});
    }
    out += fmt::format(
        "\nmax density {:.2f} persons/m² (2 m cells); congestion (> {:.0f} persons/m²) {:.1f} s\n",
        r1.max_density_ppm2, evac::kCongestionDensity_ppm2, r1.congestion_s);
    json stuck = json::array();
    if (!r1.stuck.empty()) {
      out += fmt::format("STUCK: {} person(s) still inside at the time cap of {:.0f} s:\n", r1.stuck.size(),
                         model.time_cap_s);
      for (std::size_t k = 0; k < r1.stuck.size(); ++k) {
        const auto& p = r1.persons[r1.stuck[k]];
        if (k < 20) out += fmt::format("  {} at ({:.2f}, {:.2f})\n", p.id, p.last.x, p.last.y);
        stuck.push_back({{"id", p.id}, {"x", number(p.last.x)}, {"y", number(p.last.y)}});
      }
      if (r1.stuck.size() > 20) out += fmt::format("  ... and {} more (see --json)\n", r1.stuck.size() - 20);
    }
    const double rate = wall_s > 0 ? static_cast<double>(agent_steps) / wall_s : 0.0;
    out += fmt::format("\nsimulated {} agent-steps in {:.2f} s ({:.0f} agent-steps/s, {} thread(s))\n",
                       agent_steps, wall_s, rate, opt->threads);

    // ---------------------------------------------------------- outputs
    if (!opt->json.empty()) {
      json j;
      j["scenario"] = {
          {"name", hall.name}, {"file", hall.source_file}, {"level", std::string(name(hall.level))}};
      j["floor"] = fl.id;
      j["seed"] = opt->seed;
      j["replications"] = opt->replications;
      j["dt_s"] = opt->dt;
      j["model"] = "cfsm";
      j["blocked"] = model.blocked;
      j["agents"] = r1.agents;
      if (placed) {
        int staff = 0;
        for (const auto& p : placed->persons) staff += !p.id.starts_with("C") && !p.id.starts_with("P");
        j["at"] = {{"date", at_date},
                   {"time_s", number(at_s - 86400.0 * std::floor(at_s / 86400.0))},
                   {"persons", placed->persons.size()},
                   {"staff", staff},
                   {"moved", placed->moved},
                   {"dropped", placed->dropped},
                   {"on_other_floors", placed->on_other_floors}};
      }
      j["evacuation_time_s"] = {{"mean", number(est.mean)},
                                {"ci95_low", est.ci95_low ? number(*est.ci95_low) : json(nullptr)},
                                {"ci95_high", est.ci95_high ? number(*est.ci95_high) : json(nullptr)}};
      j["evacuation_times_s"] = json::array();
      for (double t : times) j["evacuation_times_s"].push_back(number(t));
      j["hand_calculation_s"] = number(model.hydraulic_estimate_s, 1);
      j["time_cap_s"] = number(model.time_cap_s, 1);
      j["exits"] = exits;
      j["max_density_ppm2"] = number(r1.max_density_ppm2);
      j["congestion_s"] = number(r1.congestion_s);
      j["stuck"] = static_cast<int>(r1.stuck.size());
      j["stuck_persons"] = stuck;
      j["notes"] = model.notes;
      j["blocked_later"] = json::array();
      for (const auto& [door, at] : model.blocked_later)
        j["blocked_later"].push_back({{"door", door}, {"at_s", number(at)}});
      j["hazards"] = json::array();
      for (const auto& h : model.hazards)
        j["hazards"].push_back({{"zone", h.zone}, {"from_s", number(h.from_s)}});
      j["hazard_entries"] = r1.hazard_entries;
      j["caught_in_hazard"] = r1.caught_in_hazard;
      j["exit_changes"] = r1.exit_changes;
      j["aset_s"] = model.aset_s ? number(*model.aset_s) : json(nullptr);
      j["rset_s"] = number(rset_s);
      j["rset_margin_s"] = margin ? number(*margin) : json(nullptr);
      j["aset_met"] = margin ? json(*margin >= 0 && !any_stuck) : json(nullptr);
      json phases = json::object();
      for (std::size_t k = 0; k < evac::kPhaseCount; ++k) {
        double s = 0;
        for (const auto& r : runs) s += r.phase_s[k];
        phases[evac::kPhaseNames[k]] = number(s, 6);
      }
      j["performance"] = {{"agent_steps", agent_steps},
                          {"wall_s", number(wall_s, 6)},
                          {"agent_steps_per_s", number(rate, 0)},
                          {"threads", opt->threads},
                          {"navigation_prepare_s", number(model.prepare_s, 3)},
                          {"navigation_fields_mb", number(static_cast<double>(model.field_bytes) / 1e6, 1)},
                          {"phases_s", phases}};
      write_file_atomically(opt->json, j.dump(2) + "\n", "--json");
    }
    if (!opt->curve.empty()) {
      std::string csv = "time_s,inside,evacuated\n";
      for (const auto& [t, n] : r1.curve) csv += fmt::format("{:.1f},{},{}\n", t, n, r1.agents - n);
      write_file_atomically(opt->curve, csv, "--curve");
    }
    if (!opt->density.empty()) write_file_atomically(opt->density, density_png(model, r1), "--density");
    std::cout << out;
    return margin && (*margin < 0 || any_stuck) ? 1 : 0;
  };
}

}  // namespace halltwin::cli
