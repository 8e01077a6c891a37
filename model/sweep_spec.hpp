#pragma once
// A sweep file (docs/sweep.md, docs/sweep.schema.json): which halls, which
// parameter grid, how many replications, which commands and KPIs. Loaded and
// validated here with file:line errors; expanded into halls, points and tasks
// by tools/sweep/. No engine and no IO beyond reading the file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/hall.hpp"  // SourceLoc

namespace halltwin {

inline constexpr const char* kSweepFormat = "halltwin-sweep/1";

// What a point is evaluated by. `run`: the operations day(s), one row per
// replication; `check`: the compliance verdict (deterministic, once per point);
// `evac`: the evacuation time (once per point, its own replications);
// `drill`: the hall's emergency plans (halltwin drill, each plan's promises
// and KPIs over `drill_replications`), on the point's scenario; `size`: the
// fewest staff per block meeting the targets (halltwin size FILE --target),
// on the point's scenario; `size_program`: a new hall sized from its demand
// program (halltwin size --program: windows, staff, seats, areas, exits, the
// draft checked and run), on the point's program.
enum class SweepCommand { check, run, evac, drill, size, size_program };
std::string_view name(SweepCommand c);

// A hall source: one scenario file, every *.yaml of a folder (sorted by
// name), or a template that generates `count` halls.
struct SweepSource {
  enum class Kind { file, folder, template_ } kind = Kind::file;
  // From the `programs` list: demand programs of new halls (halltwin-program/1,
  // docs/size.md), evaluated by size_program; a template's population is
  // program.population_served and scales matters[].daily.
  bool program = false;
  std::string path;  // resolved against the sweep file's folder
  SourceLoc loc;
  // Template only: each generated hall gets a name from `name` ("{index}"
  // replaced by 1..count, zero-padded to `count`'s width) and a population
  // served drawn uniformly from [population_min, population_max] (rounded to
  // 1,000) with `seed`; its demand scales with population / the template's.
  int count = 0;
  std::string name_pattern;
  double population_min = 0.0, population_max = 0.0;
  std::uint64_t seed = 1;
};

// One time block of a `staff_per_block` option: from start to end, `staff`
// windows staffed. Minutes since 00:00, or kOpen / kClose: each hall's own
// opening and closing (so one option fits halls with other hours, and the
// `close` axis).
struct StaffBlock {
  static constexpr int kOpen = -1, kClose = -2;
  int start_min = 0, end_min = 0;
  int staff = 0;
  SourceLoc loc;        // the block's key (errors about its times)
  SourceLoc staff_loc;  // its number (errors about the staff)
  std::string text() const;  // "09:00-12:00", "open-12:00", "13:30-close"
};

// One axis of the parameter grid; a point takes one value of each axis.
struct SweepAxis {
  enum class Kind {
    demand_factor,    // number > 0: every demand block of the scenario multiplied
    staffed_windows,  // integer >= 1: the roster keeps the first N windows it staffs (hall order)
    close,            // "HH:MM": roster.hours.close (ticket_stop keeps its distance to close)
    open_,            // "HH:MM": roster.hours.open (a program's hours.open); named "open"
    // A plan of the hall's `emergencies` section drilled at the point (needs
    // the `drill` command): a plan name, `none` (no drill) or `all` (every
    // plan of the hall, expanded per hall). Changes no scenario.
    emergency,
    // A map "HH:MM-HH:MM" -> staff on duty at windows in that block, the
    // blocks covering the opening hours in order: the roster's normal staff
    // are replaced by members working exactly those blocks (sweep_plan.cpp).
    staff_per_block,
  } kind = Kind::demand_factor;
  std::vector<std::string> values;  // as written (numbers and times as text; staff_per_block: "09:00-12:00=6,...")
  std::vector<std::vector<StaffBlock>> blocks;  // staff_per_block: each value's blocks, in time order
  std::vector<SourceLoc> value_locs;  // where each value is written (errors name the line)
  SourceLoc loc;
};
std::string_view name(SweepAxis::Kind k);

struct SweepSpec {
  std::string file;  // the sweep file as given
  std::string name;
  std::uint64_t seed = 1;
  int replications = 10;      // per point (run)
  int block = 5;              // replications per task
  int days = 1;               // open days per replication
  std::string start;          // YYYY-MM-DD; empty: each hall's start_date
  int evac_replications = 1;  // per point (evac)
  int drill_replications = 0;  // per drill (drill); 0: `replications`
  // `size` command: the targets ("KPI<=VALUE", checked by tools/sweep with
  // size::parse_target; empty: each scenario's own targets), replications per
  // simulated plan, the staffing block (0: the demand's block_min), and
  // --quick (no last pass confirming one fewer anywhere misses).
  // `size_program` takes replications and quick from here too.
  struct Size {
    std::vector<std::string> targets;
    std::vector<SourceLoc> target_locs;
    int replications = 10;
    int by_block = 0;
    bool quick = false;
    SourceLoc loc;  // of the `size` key (line 0: absent)
  } size;
  std::vector<SweepCommand> commands{SweepCommand::check, SweepCommand::run};
  std::vector<std::string> kpis;  // run KPIs kept (names checked by tools/sweep); empty: all
  SourceLoc kpis_loc;
  // A kept run KPI, evac_time_s, size_staff_hours, drill_promises_broken or a
  // size_program measure (program_staff_hours, program_windows, program_building_area_m2);
  // absent: the first kept KPI (or the first of the others the commands give).
  std::string rank_by;
  SourceLoc rank_by_loc;
  bool rank_descending = false;  // rank smaller values first unless said
  std::vector<SweepSource> sources;
  std::vector<SweepAxis> grid;
  bool has(SweepCommand c) const;
  int drill_reps() const { return drill_replications > 0 ? drill_replications : replications; }
};

// Throws InputError listing every problem (file, line, column, field).
SweepSpec load_sweep(const std::string& path);

}  // namespace halltwin
