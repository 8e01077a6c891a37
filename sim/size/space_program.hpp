#pragma once
// The space program of a new hall (`halltwin size --program`, docs/size.md):
// from a demand program (model/size_program.hpp) the window pools and their
// offered load, the functional zones the level requires and their areas, the
// design occupant load and the exit width GB 50016 requires. Every figure
// carries its origin: a rule (with its clause), the simulation, or a planning
// assumption (the program's line, or halltwin's default marked as such).
// Engine side only: no files, no printing.
#include <string>
#include <string_view>
#include <vector>

#include "model/rulebook.hpp"
#include "model/size_program.hpp"

namespace halltwin::size {

enum class Origin { rule, simulation, assumption };
std::string_view name(Origin o);

// One labelled value of the space program.
struct Figure {
  std::string key;    // JSON key, e.g. "seats"
  std::string label;  // readable, e.g. "waiting seats"
  double value = 0.0;
  std::string unit;    // "m2", "m", "persons", "windows", ...
  Origin origin = Origin::assumption;
  std::string source;  // the clause, the simulation's settings, or the assumption's source
};

// Windows staffed together in the draft: a window row serving the same matters.
struct PoolSpec {
  std::string id;  // the draft's window row id: A (comprehensive), L (accessible low), D1.. (departments), P, H, R
  WindowKind kind = WindowKind::comprehensive;
  std::string department;            // department rows
  std::vector<std::size_t> matters;  // indices into SizeProgram::matters
  bool fixed = false;                // the accessible low counter: one per floor (rule), not sized
};

// Pools in draft order: the accessible low counter, comprehensive, one row per
// department, problem-solving, help-desk, pickup (those with matters).
std::vector<PoolSpec> window_pools(const SizeProgram& p);

// Offered load (Erlangs) of each pool in each block: daily volume × block share
// / block length × mean service time, summed over the pool's matters.
// The accessible counter's pool carries no load of its own (it shares the
// comprehensive queue), so its row is 0.
std::vector<std::vector<double>> offered_load(const SizeProgram& p, const std::vector<PoolSpec>& pools);

// A generous starting number of windows per pool for the first sizing round:
// ⌈a + 2√a + 2⌉ at the peak block's load, within the level's window cap.
std::vector<int> starting_windows(const SizeProgram& p, const std::vector<PoolSpec>& pools);

// Functional zones of fixed area (all but window_area, waiting, back_office):
// the level's required zones (rulebook layout.required_zones) and the zones the
// windows need (result_pickup with pickup windows, problem_solving...).
struct ZoneNeed {
  ZoneType type = ZoneType::other;
  std::string name;  // Chinese display name
  double m2 = 0.0;
  bool required = false;  // by the rulebook for this level
  Figure figure;          // the area with its origin
};
std::vector<ZoneNeed> fixed_zones(const SizeProgram& p, const std::vector<PoolSpec>& pools, const Rulebook& book);

// The rulebook's required zones for a level and the rule's clause; empty when
// the rulebook has no required_zones rule.
std::vector<ZoneType> required_zones(const Rulebook& book, AdminLevel level, std::string* clause = nullptr);

// Exit width per 100 persons for a single-storey hall of the grade (table
// 5.5.21-1 from the rulebook's exit_width_per_100 rule), its clause.
double exit_m_per_100(const Rulebook& book, int fire_resistance_grade, std::string* clause = nullptr);

// Chinese display name of a zone type in the draft.
std::string zone_display_name(ZoneType t);

}  // namespace halltwin::size
