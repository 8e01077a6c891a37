#pragma once
// The `evacuation` section of a scenario (format 3, docs/scenario-format.md):
// who is in the hall when the alarm sounds, how fast they walk and how long
// they take to start. Every field has a default, so a hall without the
// section still evacuates (population: the checker's occupant load).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/geometry/vec2.hpp"
#include "model/ids.hpp"

namespace halltwin {

// A distribution of a non-negative quantity (a walking speed in m/s, a
// pre-movement time in s), truncated to [min, max].
struct EvacDistribution {
  enum class Kind { uniform, normal, lognormal, deterministic };
  Kind kind = Kind::uniform;
  double min = 0.0;   // uniform: lower bound; others: truncation (0 = none below)
  double max = 0.0;   // uniform: upper bound; others: truncation (0 = none above)
  double mean = 0.0;  // normal, lognormal: mean of the quantity; deterministic: the value
  double sd = 0.0;    // normal, lognormal: standard deviation of the quantity
};

// The walking-speed presets of RiMEA (from Weidmann): uniform on these ranges.
enum class SpeedPreset { under30, from30to50, over50, limited_mobility };

struct EvacGroup {
  std::string id;
  double share = 1.0;                             // of the population, the shares sum to 1
  EvacDistribution speed_mps;                     // desired free walking speed
  double radius_m = 0.2;                          // body radius (Tordeux et al. 2016)
  std::optional<EvacDistribution> premovement_s;  // overrides the section's pre-movement
  std::string exit;                               // assigned exit door id (format 5); "" = chosen
  int line = 0;
};

// A door blocked during the run (fire, a closure), `at_s` seconds after the
// alarm (0: from the start). Format 5; earlier formats list plain ids.
struct EvacBlocked {
  std::string door;
  double at_s = 0.0;
  int line = 0;  // 0: given on the command line
};

// A zone nobody outside it may enter from `from_s` seconds after the alarm
// (smoke, fire); whoever is inside then leaves it by the shortest way. Format 5.
struct EvacHazard {
  std::string zone;
  double from_s = 0.0;
  int line = 0;
};

// A person placed by the scenario (verification rooms, a known staff post).
struct EvacPerson {
  std::string id;  // "" = generated
  FloorId floor;
  Vec2 position;
  std::string group;                    // "" = drawn by share
  std::optional<double> premovement_s;  // "" = drawn
  std::optional<double> speed_mps;      // fixed desired speed (RiMEA 1)
  // From an operations state (`evac --at`): "citizen" or "staff" ("" = an
  // evacuee of unknown role), and the pre-movement by state: the drawn time
  // x premovement_factor + premovement_extra_s (docs/evac.md).
  std::string kind;
  double premovement_factor = 1.0, premovement_extra_s = 0.0;
  int line = 0;
};

// The pedestrian motion model (format 9, `evacuation.model`; `halltwin evac --model`):
// the collision-free speed model (default) or the social force model (docs/evac.md).
enum class EvacMotionModel { cfsm, social_force };
// Its scenario spelling ("cfsm", "social_force") and its command-line one ("cfsm", "social-force").
inline const char* scenario_name(EvacMotionModel m) { return m == EvacMotionModel::cfsm ? "cfsm" : "social_force"; }
inline const char* flag_name(EvacMotionModel m) { return m == EvacMotionModel::cfsm ? "cfsm" : "social-force"; }

struct Evacuation {
  bool present = false;  // the section is in the file (format 3 and later)
  // Population: by zone id (persons), or a total spread over the waiting and
  // window zones by area; neither: the checker's occupant load.
  std::map<std::string, int> population_by_zone;
  std::optional<int> population_total;
  std::vector<EvacGroup> groups;  // empty: the default mix (docs/evac.md)
  std::optional<EvacDistribution> premovement_s;
  std::map<std::string, EvacDistribution> premovement_by_zone;
  std::optional<double> time_cap_s;
  std::vector<EvacBlocked> blocked;  // doors blocked from the start or at a time
  std::vector<EvacHazard> hazards;   // format 5
  std::optional<double> aset_s;      // available safe egress time, seconds (format 5)
  std::vector<EvacPerson> persons;
  std::optional<EvacMotionModel> model;  // format 9; absent: the collision-free speed model
  int model_line = 0;
};

// The RiMEA speed range of a preset, m/s.
EvacDistribution speed_preset(SpeedPreset preset);

}  // namespace halltwin
