#pragma once
// A demand program for a NEW hall (`halltwin size --program`, docs/size.md,
// docs/program.schema.json): the level, the population served, the matters
// with their expected daily volumes and service times, the arrival profile,
// the opening hours, the service targets and the planning assumptions. From
// it sim/size/space_program.* derives windows, staff, seats, zone areas and
// exits, and the draft writer a hall scenario. Data and validation only.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "model/operations.hpp"
#include "model/vocabulary.hpp"

namespace halltwin {

inline constexpr const char* kProgramFormat = "halltwin-program/1";

// One matter (事项) the hall will handle.
struct ProgramMatter {
  std::string id, name, department;
  double daily = 0.0;           // citizens a day asking for it at a window (expected, an open weekday)
  Distribution service_time;    // at the window, seconds
  WindowKind window = WindowKind::comprehensive;  // comprehensive, department, problem_solving, help_desk, pickup
  SourceLoc loc;
};

// "wait_p90_s<=600" as written; parsed against the KPI vocabulary by the sizer.
struct ProgramTarget {
  std::string text;
  SourceLoc loc;
};

// A planning value with where it came from: the program file (its line) or
// halltwin's default (a planning value, not from a standard).
struct Assumption {
  double value = 0.0;
  bool from_program = false;
  SourceLoc loc;
};

struct ProgramAssumptions {
  Assumption standing_share;           // 0..1: share of the peak waiting planned to stand
  Assumption waiting_m2_per_person;    // waiting zone m2 per (seated or standing) waiting person
  Assumption window_width_m;           // counter module width per window, metres
  Assumption window_depth_m;           // window area depth in front of the counter, metres
  Assumption back_office_depth_m;      // back office band behind the counters, metres
  Assumption public_depth_m;           // depth of the public band (guidance, waiting, other zones), metres
  Assumption max_windows;              // windows the hall can hold (all kinds)
  Assumption patience_mean_s;          // mean patience of a waiting citizen (exponential), seconds
  Assumption companions;               // persons in the hall per citizen served (companions), >= 1
  std::vector<std::pair<ZoneType, Assumption>> zone_m2;  // fixed zone areas (overrides of the defaults)
};

struct SizeProgram {
  std::string source_file;
  std::string name;
  AdminLevel level = AdminLevel::county;
  long long population_served = 0;
  int fire_resistance_grade = 2;
  FireHazard fire_hazard = FireHazard::medium;
  bool sprinklered = false;
  bool indoor_hydrants = true;
  std::string start_date = "2026-03-02";  // a Monday: the simulated open day

  // Opening hours, seconds since 00:00.
  double open_s = 9 * 3600.0, close_s = 17 * 3600.0, ticket_stop_s = 16.5 * 3600.0;
  std::array<bool, kWeekdays> days{true, true, true, true, true, false, false};

  // Arrivals by block from `open_s` to `close_s`, normalised shares (sum 1).
  int block_min = 30;
  std::string profile;              // a named profile, or "weights" for a list
  std::vector<double> block_shares;  // one per block
  SourceLoc profile_loc;

  // The hall's roster rules (`roster_rules`, as the scenario's roster.rules; 0 =
  // no rule): the draft's roster is sized within them (a staffed stretch longer
  // than a shift may be is cut, docs/size.md) and the draft carries them.
  struct RosterRules {
    double max_shift_h = 0.0, break_after_h = 0.0, min_break_min = 0.0;
    bool groups_never_close = false;
    bool given = false;
  };
  RosterRules roster_rules;

  std::vector<ProgramMatter> matters;
  std::vector<ProgramTarget> targets;
  SourceLoc targets_loc;
  ProgramAssumptions assumptions;

  double daily_total() const;
  std::size_t blocks() const { return block_shares.size(); }
};

// Named arrival profiles: "two_peak" (a morning peak near 10:00 and an
// afternoon one near 15:00, lower at lunch: the shape of the bundled halls'
// queue data), "morning_peak", "flat". Shares per block of `block_min` from
// open to close (none after the ticket stop). nullopt for an unknown name.
std::optional<std::vector<double>> named_profile(const std::string& name, double open_s, double close_s,
                                                 double ticket_stop_s, int block_min);
std::vector<std::string> profile_names();

// Loads and validates `path`; throws InputError naming file, line, field and
// what was expected (all problems of the file together).
SizeProgram load_size_program(const std::string& path);

}  // namespace halltwin
