// `halltwin check`: a hall against a rulebook; a readable table, optionally JSON.
#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/check/check_context.hpp"
#include "sim/check/checker.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"

namespace halltwin::cli {

namespace {

std::string number(const std::optional<double>& v) {
  if (!v) return "-";
  if (!std::isfinite(*v)) return "inf";
  if (std::fabs(*v - std::round(*v)) < 1e-9 && std::fabs(*v) < 1e9) return fmt::format("{:.0f}", *v);
  return fmt::format("{:.2f}", *v);
}

nlohmann::json json_number(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;
  return std::round(*v * 1000.0) / 1000.0;  // millimetre / 0.001 unit precision: stable output
}

std::string table(const Hall& hall, const Rulebook& book, const check::OccupantLoadResult& load,
                  const std::vector<check::Finding>& findings) {
  std::string out = fmt::format(
      "{} ({}, {} floor(s), {} windows, {} seats)\nscenario: {}\nrulebook: {} ({})\n"
      "occupant load: {:.0f} persons: {}\n\n",
      hall.name, name(hall.level), hall.floors.size(), hall.windows.size(), hall.seats.size(),
      hall.source_file, book.name, book.source_file, load.total, load.basis);
  std::size_t w_rule = 4;
  for (const auto& f : findings) w_rule = std::max(w_rule, f.rule.size());
  out += fmt::format("{:<6}  {:<{}}  {:>10}  {:>10}  {:<14}  {:<11}  {:<20}  {}\n", "STATUS", "RULE", w_rule,
                     "MEASURED", "REQUIRED", "UNIT", "CONFIDENCE", "LOCATION", "CLAUSE");
  int counts[4] = {0, 0, 0, 0};
  for (const auto& f : findings) {
    ++counts[static_cast<int>(f.status)];
    std::string loc =
        f.location ? fmt::format("{} ({:.1f}, {:.1f})", f.floor, f.location->x, f.location->y) : "-";
    std::string status(check::name(f.status));
    if (f.status == check::Status::not_applicable) status = "n/a";
    out += fmt::format("{:<6}  {:<{}}  {:>10}  {:>10}  {:<14}  {:<11}  {:<20}  {}\n", status, f.rule, w_rule,
                       number(f.measured), number(f.required), f.unit, name(f.confidence), loc, f.clause);
  }
  std::string reasons;
  for (const auto& f : findings)
    if (f.status != check::Status::pass)
      reasons += fmt::format("{} {}: {}\n", check::name(f.status), f.rule, f.message);
  if (!reasons.empty()) out += "\n" + reasons;
  out += fmt::format("\n{} rules: {} pass, {} fail, {} warn, {} not applicable\n", findings.size(), counts[0],
                     counts[1], counts[2], counts[3]);
  return out;
}

nlohmann::json to_json(const Hall& hall, const Rulebook& book, const check::OccupantLoadResult& load,
                       const std::vector<check::Finding>& findings) {
  nlohmann::json j;
  j["scenario"] = {{"name", hall.name}, {"file", hall.source_file}, {"level", std::string(name(hall.level))}};
  j["rulebook"] = {{"name", book.name}, {"file", book.source_file}, {"extends_chain", book.chain}};
  nlohmann::json by_floor = nlohmann::json::object();
  for (std::size_t i = 0; i < hall.floors.size(); ++i) by_floor[hall.floors[i].id] = load.by_floor[i];
  j["occupant_load"] = {{"persons", load.total}, {"by_floor", by_floor}, {"basis", load.basis}};
  // Floors that list fire compartments (format 9): persons per compartment.
  nlohmann::json by_comp = nlohmann::json::object();
  for (std::size_t i = 0; i < hall.floors.size(); ++i)
    for (std::size_t c = 0; c < hall.floors[i].compartments.size() && c < load.by_compartment[i].size(); ++c)
      by_comp[hall.floors[i].id][hall.floors[i].compartments[c].id] = load.by_compartment[i][c];
  if (!by_comp.empty()) j["occupant_load"]["by_compartment"] = by_comp;
  j["findings"] = nlohmann::json::array();
  for (const auto& f : findings) {
    nlohmann::json r;
    r["rule"] = f.rule;
    r["title"] = f.title;
    r["clause"] = f.clause;
    r["confidence"] = std::string(name(f.confidence));
    r["status"] = std::string(check::name(f.status));
    r["measured"] = json_number(f.measured);
    r["required"] = json_number(f.required);
    r["unit"] = f.unit;
    r["message"] = f.message;
    r["location"] = f.location
                        ? nlohmann::json::array({json_number(f.location->x), json_number(f.location->y)})
                        : nlohmann::json(nullptr);
    r["floor"] = f.floor.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.floor);
    r["rulebook_file"] = f.rulebook_file;
    j["findings"].push_back(std::move(r));
  }
  return j;
}

}  // namespace

Command add_check_command(CLI::App& app) {
  struct Options {
    std::string scenario, rulebook = HALLTWIN_DEFAULT_RULEBOOK, json;
    double cell_m = 0.0;
    bool quiet = false;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd =
      app.add_subcommand("check", "Check a hall design against the construction, layout and safety rules");
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML, docs/scenario-format.md)")->required();
  cmd->add_option("--rulebook", opt->rulebook, "Rulebook file (YAML, docs/rules.md)")->capture_default_str();
  auto* json = cmd->add_option("--json", opt->json, "Also write the findings as JSON to this file");
  auto* cell =
      cmd->add_option("--cell", opt->cell_m,
                      "Raster cell size for walking distances, metres (default 0.1, coarser on huge floors)")
          ->check(CLI::Range(0.02, 1.0));
  cmd->add_flag("--quiet", opt->quiet, "Print only the summary line");
  return [opt, json, cell]() -> int {
    // CLI11's Range lets NaN through (every comparison with NaN is false).
    if (cell->count() > 0 && !std::isfinite(opt->cell_m))
      throw InputError(
          InputProblem{"(command line)", 0, 0, "--cell",
                       fmt::format("'{}' is not a number from 0.02 to 1.0", cell->as<std::string>())});
    // `--json ""` is a mistake, not "no JSON": the flag was given.
    const bool want_json = json->count() > 0;
    if (want_json) probe_writable(opt->json, "--json", {opt->scenario, opt->rulebook});
    const Rulebook book = load_rulebook(opt->rulebook);
    const check::Checker checker(book);
    const Hall hall = load_scenario(opt->scenario);
    check::CheckOptions co;
    co.cell_m = opt->cell_m;
    const auto findings = checker.run(hall, co);
    const auto load = check::occupant_load(hall, book);
    // Everything is computed (and the JSON written) before anything is printed, so that
    // no error can follow a printed result.
    const std::string text = table(hall, book, load, findings);
    if (want_json)
      write_file_atomically(opt->json, to_json(hall, book, load, findings).dump(2) + "\n", "--json");
    if (opt->quiet)
      std::cout << text.substr(text.rfind('\n', text.size() - 2) + 1);
    else
      std::cout << text;
    std::cout.flush();
    return check::exit_code(findings);
  };
}

}  // namespace halltwin::cli
