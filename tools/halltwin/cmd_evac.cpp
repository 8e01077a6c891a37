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
#include <numeric>
#include <optional>
#include <sstream>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_header.hpp"
#include "model/trace/trace_merge.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/evac/building.hpp"
#include "sim/evac/models/motion_model.hpp"
#include "sim/evac/simulation.hpp"
#include "sim/evac/stairs.hpp"
#include "sim/kpi/kpi.hpp"
#include "sim/ops/ops_model.hpp"
#include "tools/halltwin/at_time.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/run_outputs.hpp"

namespace halltwin::cli {

namespace {

using nlohmann::json;

// RGB rows (top first) as a PNG file's bytes (libpng).
std::string encode_png(const std::vector<unsigned char>& rgb, const int w, const int h) {
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

// The peak-density map as a PNG (libpng): the floor's walkable area in light
// grey, walls and obstacles dark, each 2 m cell coloured by its peak density
// (green 0-2, yellow 2-4, red 4-5.4, magenta above). Several floors: one map
// under the other, the top floor first, 10 px apart.
std::string density_png(const std::vector<std::pair<const evac::EvacModel*, const evac::EvacResult*>>& maps) {
  const double ppm = 10.0;  // pixels per metre
  struct Image {
    int w = 1, h = 1;
    std::vector<unsigned char> rgb;
  };
  std::vector<Image> images;
  for (const auto& [mp, rp] : maps) {
    const evac::EvacModel& m = *mp;
    const evac::EvacResult& r = *rp;
    const Vec2 lo = m.area().min_corner(), hi = m.area().max_corner();
    Image img;
    const int w = img.w = std::max(1, static_cast<int>(std::ceil((hi.x - lo.x) * ppm)));
    const int h = img.h = std::max(1, static_cast<int>(std::ceil((hi.y - lo.y) * ppm)));
    img.rgb.resize(static_cast<std::size_t>(w) * h * 3);
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
        std::copy(c, c + 3, img.rgb.begin() + (static_cast<std::size_t>(py) * w + px) * 3);
      }
    images.push_back(std::move(img));
  }
  const int gap = 10;
  int w_max = 1, h_sum = 0;
  for (const auto& img : images) w_max = std::max(w_max, img.w), h_sum += img.h;
  const int w = w_max, h = h_sum + gap * static_cast<int>(images.size() - 1);
  std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * h * 3, 255);
  int y0 = 0;
  for (const auto& img : images) {
    for (int py = 0; py < img.h; ++py)
      std::copy(img.rgb.begin() + static_cast<std::ptrdiff_t>(py) * img.w * 3,
                img.rgb.begin() + static_cast<std::ptrdiff_t>(py + 1) * img.w * 3,
                rgb.begin() + (static_cast<std::size_t>(y0 + py) * w) * 3);
    y0 += img.h + gap;
  }
  return encode_png(rgb, w, h);
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
    std::string model;  // "" = the scenario's evacuation.model, else cfsm
    std::vector<std::string> block;
    int population = -1, replications = 1, threads = 1;
    std::uint64_t seed = 1;
    double dt = 0.05, time_cap = 0;
    bool quiet = false;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "evac",
      "Simulate the evacuation of a floor or of all floors (collision-free speed model, or the social force "
      "model)");
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
  cmd->add_option("--model", opt->model,
                  "Motion model: cfsm (collision-free speed model, the default) or social-force (Helbing, "
                  "Farkas, Vicsek 2000); overrides the scenario's evacuation.model")
      ->check(CLI::IsMember({"cfsm", "social-force"}));
  cmd->add_option("--time-cap", opt->time_cap,
                  "Simulated-time cap, seconds (default: the scenario's, else 3x the hand calculation, at "
                  "least 600 s)")
      ->check(CLI::Range(1.0, 86000.0));
  cmd->add_option(
      "--floor", opt->floor,
      "Evacuate only this floor (default: all floors, the upper ones down their protected stairs)");
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
    evac::BuildingOptions bo;
    if (opt->population >= 0) bo.evac.population = opt->population;
    bo.evac.blocked = blocks;
    bo.evac.dt_s = opt->dt;
    for (const EvacMotionModel k : {EvacMotionModel::cfsm, EvacMotionModel::social_force})
      if (opt->model == flag_name(k)) bo.evac.motion_model = k;  // "" (no --model): the scenario's
    if (opt->time_cap > 0) bo.evac.time_cap_s = opt->time_cap;
    bo.evac.floor = opt->floor;
    bo.seed = opt->seed;
    if (!opt->at.empty()) {
      // --at: the people the operations simulator has in the hall at that moment.
      bo.start_date = first_day(hall, "");
      bo.at_s = parse_at(opt->at, bo.start_date);
      bo.at_label = opt->at;
    }
    const evac::BuildingEvacuation bld(hall, book, bo);
    const bool building = bld.building;
    const auto& models = bld.models();
    const evac::EvacModel& model = bld.ground();  // the ground floor (or the one floor)
    const auto& placed = bld.placed;
    const std::string& at_date = bld.at_date;
    const double cap_s = bld.cap_s;
    const double at_s = bo.at_s.value_or(0.0);

    // ---------------------------------------------------------- runs, floor by floor
    const bool tty = ::isatty(2) && !opt->quiet;
    ReplicationTraces traces(building ? std::vector<std::string>{} : trace_paths);
    // Several floors: each floor's trace in memory, merged by time afterwards.
    std::vector<std::vector<std::unique_ptr<std::ostringstream>>> floor_trace_text(models.size());
    std::vector<std::vector<std::unique_ptr<TraceWriter>>> floor_trace(models.size());
    auto header_for = [&](int r) {
      TraceHeader h;
      h.scenario = hall.name;
      h.scenario_file = opt->scenario;
      h.source = "halltwin evac";
      h.seed = opt->seed;
      h.replication = r;
      h.start_date = hall.start_date;
      h.sample_interval_s = evac::kSampleInterval_s;
      return h;
    };
    evac::EvacPlan base_plan;
    base_plan.base.seed = opt->seed;
    base_plan.replications = opt->replications;
    base_plan.threads = opt->threads;
    const auto t0 = std::chrono::steady_clock::now();
    const evac::BuildingRuns runs = evac::run_building(bld, base_plan, [&](std::size_t i, evac::EvacPlan& plan) {
      const evac::EvacModel& m = *models[i];
      if (!trace_paths.empty() && !building) {
        plan.trace_for = [&](int r) { return traces.open(r, header_for(r)); };
        plan.after_run = [&](int r) { traces.close(r); };
      } else if (!trace_paths.empty()) {
        floor_trace_text[i].resize(static_cast<std::size_t>(opt->replications));
        floor_trace[i].resize(static_cast<std::size_t>(opt->replications));
        for (int r = 1; r <= opt->replications; ++r) {
          floor_trace_text[i][r - 1] = std::make_unique<std::ostringstream>();
          floor_trace[i][r - 1] =
              std::make_unique<TraceWriter>(*floor_trace_text[i][r - 1], header_for(r), trace_paths[r - 1]);
        }
        plan.trace_for = [&, i](int r) { return floor_trace[i][static_cast<std::size_t>(r - 1)].get(); };
        plan.after_run = [&, i](int r) { floor_trace[i][static_cast<std::size_t>(r - 1)]->flush(); };
      }
      const std::string what = building ? fmt::format("floor {}, ", hall.floor(m.floor).id) : "";
      if (tty && m.population >= 200)
        plan.base.progress = [cap = m.time_cap_s, what](double t) {
          const int width = 30, filled = static_cast<int>(width * std::min(1.0, t / cap));
          std::cerr << fmt::format("\revac: {}replication 1 [{}{}] {:.0f} s simulated", what,
                                   std::string(filled, '#'), std::string(width - filled, '.'), t)
                    << std::flush;
        };
      if (tty && opt->replications > 1)
        plan.progress = [what](int done, int total) {
          std::cerr << fmt::format("\revac: {}{}/{} replications{}", what, done, total, std::string(30, ' '))
                    << (done == total ? "\n" : "") << std::flush;
        };
    });
    if (tty && opt->replications == 1)
      for (const auto& m : models)
        if (m->population >= 200) {
          std::cerr << "\n";
          break;
        }
    const auto& floor_runs = runs.floors;
    const auto& building_runs = runs.building;
    const auto& stairs = bld.stairs;
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::vector<double> times;
    std::uint64_t agent_steps = 0;
    for (int r = 0; r < opt->replications; ++r)
      times.push_back(building ? building_runs[static_cast<std::size_t>(r)].evacuation_time_s
                               : floor_runs[0][static_cast<std::size_t>(r)].evacuation_time_s);
    for (const auto& runs : floor_runs)
      for (const auto& r : runs) agent_steps += r.agent_steps;
    const auto est = kpi::estimate(times, 0.0);
    bool any_stuck = false;
    for (const auto& runs : floor_runs)
      for (const auto& r : runs) any_stuck = any_stuck || !r.stuck.empty();
    int agents = 0, stuck_n = 0, caught = 0, entries = 0;
    std::uint64_t exit_changes = 0;
    double max_density = 0, congestion = 0;
    const double hand_s = bld.hand_estimate_s();
    for (std::size_t i = 0; i < models.size(); ++i) {
      const evac::EvacResult& r = floor_runs[i][0];
      agents += r.agents, stuck_n += static_cast<int>(r.stuck.size());
      caught += r.caught_in_hazard, entries += r.hazard_entries, exit_changes += r.exit_changes;
      max_density = std::max(max_density, r.max_density_ppm2);
      congestion = std::max(congestion, r.congestion_s);
    }
    const evac::EvacResult& r1 = floor_runs[0][0];

    // ---------------------------------------------------------- text
    std::string floor_text;
    for (std::size_t i = 0; i < models.size(); ++i) {
      const Floor& f = hall.floor(models[i]->floor);
      floor_text += fmt::format("{}{} ({})", i ? ", " : "", f.id, f.name);
    }
    std::string out =
        fmt::format("{} ({})\nscenario: {}\n{} {}; {} persons ({}); seed {}, {} replication(s), dt {} s, {}\n",
                    hall.name, name(hall.level), opt->scenario, building ? "floors" : "floor", floor_text,
                    agents, model.population_basis, opt->seed, opt->replications, opt->dt,
                    evac::motion_model(model.motion_model).name());
    if (placed)
      out += fmt::format(
          "started from the simulated day at {} ({}): {} persons where they were ({} moved to a free spot "
          "nearby, {} with no free spot left out, {} on other floors)\n",
          opt->at, at_date, placed->persons.size(), placed->moved, placed->dropped, placed->on_other_floors);
    std::vector<std::string> notes;
    for (const auto& m : models)
      for (const auto& n : m->notes)
        if (std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
    if (building)
      notes.push_back(
          "the upper floors go down their protected stairs (1.1 persons/(m s), stair speed 0.83 x level "
          "speed) "
          "and out at the stair foot; the ground floor is not slowed by them (docs/evac.md)");
    for (const auto& n : notes) out += "note: " + n + "\n";
    if (!model.blocked.empty())
      out += fmt::format("blocked from the start: {}\n", fmt::join(model.blocked, ", "));
    for (const auto& [door, at] : model.blocked_later)
      out += fmt::format("blocked at {:.1f} s: {}\n", at, door);
    for (const auto& m : models)
      for (const auto& h : m->hazards)
        out += fmt::format("hazard zone {} closed to entry from {:.1f} s\n", h.zone, h.from_s);
    out += fmt::format("\nevacuation time: {:.1f} s", est.mean);
    if (est.ci95_low) out += fmt::format(" (95% CI {:.1f} .. {:.1f})", *est.ci95_low, *est.ci95_high);
    out += fmt::format("   hand calculation: {:.0f} s   time cap: {:.0f} s\n", hand_s, cap_s);
    // ASET/RSET: the margin against the upper end of the evacuation time (the
    // mean with one replication); a negative margin misses the target (exit 1).
    std::optional<double> margin;
    const double rset_s = est.ci95_high ? *est.ci95_high : est.mean;
    if (model.aset_s) {
      margin = *model.aset_s - rset_s;
      out += fmt::format("ASET {:.0f} s, RSET {:.1f} s ({}): margin {:+.1f} s, {}\n", *model.aset_s, rset_s,
                         est.ci95_high ? "upper 95% bound" : "one replication", *margin,
                         *margin >= 0 && !any_stuck ? "met" : "NOT MET");
    }
    bool any_hazard = false;
    for (const auto& m : models) any_hazard = any_hazard || !m->hazards.empty();
    if (any_hazard)
      out += fmt::format("hazard zones: {} person(s) caught inside left them; entries from outside: {}\n",
                         caught, entries);
    out += fmt::format("\n{:<8} {:<8} {:>6} {:>9} {:>9} {:>11}   (replication 1)\n", "FLOOR", "EXIT", "COUNT",
                       "FIRST_S", "LAST_S", "FLOW_P/S");
    json exits = json::array(), floors_json = json::array(), stuck = json::array();
    for (std::size_t i = 0; i < models.size(); ++i) {
      const std::string fid = hall.floor(models[i]->floor).id;
      const evac::EvacResult& r = floor_runs[i][0];
      json fexits = json::array();
      for (const auto& e : r.exits) {
        const double flow =
            e.count > 1 && e.last_s > e.first_s ? (e.count - 1) / (e.last_s - e.first_s) : 0.0;
        out += fmt::format("{:<8} {:<8} {:>6} {:>9} {:>9} {:>11}\n", fid, e.id, e.count,
                           e.count ? fmt::format("{:.1f}", e.first_s) : "-",
                           e.count ? fmt::format("{:.1f}", e.last_s) : "-",
                           e.count > 1 ? fmt::format("{:.2f}", flow) : "-");
        json x = {{"id", e.id},
                  {"count", e.count},
                  {"first_s", e.count ? number(e.first_s) : json(nullptr)},
                  {"last_s", e.count ? number(e.last_s) : json(nullptr)},
                  {"mean_flow_pps", e.count > 1 ? number(flow) : json(nullptr)}};
        fexits.push_back(x);
        if (building) x["floor"] = fid;
        exits.push_back(x);
      }
      for (std::size_t k = 0; k < r.stuck.size(); ++k) {
        const auto& p = r.persons[r.stuck[k]];
        stuck.push_back({{"id", p.id}, {"x", number(p.last.x)}, {"y", number(p.last.y)}});
        if (building) stuck.back()["floor"] = fid;
      }
      floors_json.push_back({{"id", fid},
                             {"agents", r.agents},
                             {"floor_cleared_s", number(r.evacuation_time_s)},
                             {"stuck", static_cast<int>(r.stuck.size())},
                             {"exits", fexits}});
    }
    json stairs_json = json::array();
    if (building) {
      const evac::BuildingResult& b = building_runs[0];
      out += fmt::format("\n{:<8} {:>6} {:>12} {:>11} {:>11}   (replication 1)\n", "STAIR", "COUNT",
                         "FIRST_OUT_S", "LAST_OUT_S", "MAX_WAIT_S");
      for (const auto& s : b.stairs) {
        out += fmt::format("{:<8} {:>6} {:>12} {:>11} {:>11.1f}\n", s.id, s.count,
                           s.count ? fmt::format("{:.1f}", s.first_out_s) : "-",
                           s.count ? fmt::format("{:.1f}", s.last_out_s) : "-", s.max_wait_s);
        stairs_json.push_back({{"id", s.id},
                               {"count", s.count},
                               {"first_out_s", s.count ? number(s.first_out_s) : json(nullptr)},
                               {"last_out_s", s.count ? number(s.last_out_s) : json(nullptr)},
                               {"max_wait_s", number(s.max_wait_s)}});
      }
      for (std::size_t i = 0; i < models.size(); ++i)
        floors_json[i]["evacuation_time_s"] = number(floor_runs[i][0].evacuation_time_s);
      // A floor is out of the building when its last person is: its own exits, or the stair foot.
      for (std::size_t i = 0; i < models.size(); ++i) {
        double last = 0;
        for (const auto& e : floor_runs[i][0].exits)
          if (e.count && stairs->leg_of(e.id) < 0) last = std::max(last, e.last_s);
        for (std::size_t l = 0; l < stairs->legs.size(); ++l)
          for (const auto& d : hall.doors)
            if (d.id == stairs->legs[l].upper_door && d.floor == models[i]->floor && b.stairs[l].count)
              last = std::max(last, b.stairs[l].last_out_s);
        floors_json[i]["evacuation_time_s"] = floor_runs[i][0].stuck.empty() ? number(last) : number(cap_s);
      }
    }
    out += fmt::format(
        "\nmax density {:.2f} persons/m² (2 m cells); congestion (> {:.0f} persons/m²) {:.1f} s\n",
        max_density, evac::kCongestionDensity_ppm2, congestion);
    if (stuck_n > 0) {
      out += fmt::format("STUCK: {} person(s) still inside at the time cap:\n", stuck_n);
      for (std::size_t k = 0; k < stuck.size() && k < 20; ++k)
        out += fmt::format("  {} at ({:.2f}, {:.2f}){}\n", stuck[k]["id"].get<std::string>(),
                           stuck[k]["x"].get<double>(), stuck[k]["y"].get<double>(),
                           building ? " on " + stuck[k]["floor"].get<std::string>() : "");
      if (stuck.size() > 20) out += fmt::format("  ... and {} more (see --json)\n", stuck.size() - 20);
    }
    const double rate = wall_s > 0 ? static_cast<double>(agent_steps) / wall_s : 0.0;
    double sim_s = 0;
    for (double t : times) sim_s += t;
    out += fmt::format(
        "\nsimulated {} agent-steps in {:.2f} s ({:.0f} agent-steps/s, {:.0f} x real time, {} thread(s))\n",
        agent_steps, wall_s, rate, wall_s > 0 ? sim_s / wall_s : 0.0, opt->threads);

    // ---------------------------------------------------------- outputs
    if (!opt->json.empty()) {
      json j;
      j["scenario"] = {
          {"name", hall.name}, {"file", hall.source_file}, {"level", std::string(name(hall.level))}};
      j["floor"] = building ? std::string("all") : hall.floor(model.floor).id;
      j["seed"] = opt->seed;
      j["replications"] = opt->replications;
      j["dt_s"] = opt->dt;
      j["model"] = scenario_name(model.motion_model);
      j["blocked"] = model.blocked;
      j["agents"] = agents;
      if (placed) {
        int staff = 0;
        for (const auto& p : placed->persons) staff += p.kind == "staff";
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
      j["hand_calculation_s"] = number(hand_s, 1);
      j["time_cap_s"] = number(cap_s, 1);
      j["exits"] = exits;
      j["max_density_ppm2"] = number(max_density);
      j["congestion_s"] = number(congestion);
      j["stuck"] = stuck_n;
      j["stuck_persons"] = stuck;
      j["notes"] = notes;
      j["floors"] = floors_json;
      j["stairs"] = stairs_json;
      j["blocked_later"] = json::array();
      for (const auto& [door, at] : model.blocked_later)
        j["blocked_later"].push_back({{"door", door}, {"at_s", number(at)}});
      j["hazards"] = json::array();
      for (const auto& m : models)
        for (const auto& h : m->hazards)
          j["hazards"].push_back({{"zone", h.zone}, {"from_s", number(h.from_s)}});
      j["hazard_entries"] = entries;
      j["caught_in_hazard"] = caught;
      j["exit_changes"] = exit_changes;
      j["aset_s"] = model.aset_s ? number(*model.aset_s) : json(nullptr);
      j["rset_s"] = number(rset_s);
      j["rset_margin_s"] = margin ? number(*margin) : json(nullptr);
      j["aset_met"] = margin ? json(*margin >= 0 && !any_stuck) : json(nullptr);
      json phases = json::object();
      for (std::size_t k = 0; k < evac::kPhaseCount; ++k) {
        double s = 0;
        for (const auto& runs : floor_runs)
          for (const auto& r : runs) s += r.phase_s[k];
        phases[evac::kPhaseNames[k]] = number(s, 6);
      }
      double prepare = 0, field_mb = 0;
      for (const auto& m : models)
        prepare += m->prepare_s, field_mb += static_cast<double>(m->field_bytes) / 1e6;
      j["performance"] = {{"agent_steps", agent_steps},
                          {"wall_s", number(wall_s, 6)},
                          {"agent_steps_per_s", number(rate, 0)},
                          {"simulated_s_per_wall_s", number(wall_s > 0 ? sim_s / wall_s : 0.0, 1)},
                          {"threads", opt->threads},
                          {"navigation_prepare_s", number(prepare, 3)},
                          {"navigation_fields_mb", number(field_mb, 1)},
                          {"phases_s", phases}};
      write_file_atomically(opt->json, j.dump(2) + "\n", "--json");
    }
    if (!opt->curve.empty()) {
      std::string csv = "time_s,inside,evacuated";
      if (building) {
        for (const auto& m : models) csv += ",inside_" + hall.floor(m->floor).id;
        csv += ",in_stairs";
      }
      csv += "\n";
      if (!building) {
        for (const auto& [t, n] : r1.curve) csv += fmt::format("{:.1f},{},{}\n", t, n, r1.agents - n);
      } else {
        const evac::BuildingResult& b = building_runs[0];
        for (std::size_t k = 0; k < b.out_curve.size(); ++k) {
          const auto [t, n_out] = b.out_curve[k];
          csv += fmt::format("{:.1f},{},{}", t, agents - n_out, n_out);
          for (const auto& runs : floor_runs) {
            const auto& c = runs[0].curve;
            csv += fmt::format(",{}", k < c.size() ? c[k].second : 0);
          }
          csv += fmt::format(",{}\n", b.in_stairs_curve[k].second);
        }
      }
      write_file_atomically(opt->curve, csv, "--curve");
    }
    if (!opt->density.empty()) {
      std::vector<std::pair<const evac::EvacModel*, const evac::EvacResult*>> maps;
      for (std::size_t i = models.size(); i-- > 0;) maps.push_back({models[i].get(), &floor_runs[i][0]});
      write_file_atomically(opt->density, density_png(maps), "--density");
    }
    if (building && !trace_paths.empty())
      for (int r = 1; r <= opt->replications; ++r) {
        std::vector<std::string> texts;
        for (std::size_t i = 0; i < models.size(); ++i) texts.push_back(floor_trace_text[i][r - 1]->str());
        write_file_atomically(trace_paths[r - 1], merge_traces(texts), "--trace");
      }
    std::cout << out;
    return margin && (*margin < 0 || any_stuck) ? 1 : 0;
  };
}

}  // namespace halltwin::cli
