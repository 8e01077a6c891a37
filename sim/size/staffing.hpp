#pragma once
// Staffing an existing hall (`halltwin size`, docs/size.md): the fewest staff
// per time block and window pool that meet every service target, found in
// three steps:
//   1. an analytic start per pool and block: the modified offered load of the
//      block (time-varying demand lags through the service time) and the
//      smallest Erlang C staffing meeting the wait targets (square-root
//      staffing for targets Erlang C does not speak to);
//   2. confirmation by simulation (sim/ops) with R replications on common
//      random numbers: a plan meets a target when the 95% confidence bound on
//      the unfavourable side meets it; missed targets raise every pool and
//      block by one until met or the hall's windows run out;
//   3. tightening: one fewer staff in each pool and block, kept while every
//      target still holds, in passes until a pass removes nobody (that last
//      pass shows that one fewer anywhere misses a target).
// Engine side only: no files, no printing. The roster it builds is the one
// the scenario writer (tools/halltwin/size_roster_yaml.*) writes.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/hall.hpp"
#include "sim/kpi/kpi.hpp"

namespace halltwin::size {

// "wait_p90_s<=600": a KPI of sim/kpi with a bound, over the whole day, or
// "wait_p90_s<=600 per block": in every time block of the sizing, over the
// citizens whose ticket falls in that block (the waits and rates only).
struct StaffingTarget {
  kpi::Kpi kpi = kpi::Kpi::wait_p90_s;
  bool at_most = true;  // <= (else >=)
  double limit = 0.0;   // in the KPI's unit (seconds, share 0..1, persons)
  bool per_block = false;
  std::string text() const;
};

// Parses "KPI<=VALUE" / "KPI>=VALUE", optionally followed by " per block".
// Throws InputError (field `flag`) for an unknown KPI, a KPI staffing cannot
// drive (or, per block, one that is not a wait or a rate), the wrong direction
// or a bad number.
StaffingTarget parse_target(std::string_view text, const std::string& flag = "--target");

// The scenario's own targets (targets.within_target_rate_min, abandon_rate_max, standing_max).
std::vector<StaffingTarget> scenario_targets(const Targets& t);

// Windows staffed together: a window row, an explicit window group
// (queues: per_group), or a single window. Windows of a pool serve the same
// queues, so only their number matters.
struct Pool {
  std::string id;
  std::vector<std::uint32_t> windows;  // indices into hall.windows, file order
  bool pickup = false;                 // windows of kind pickup
};

struct Block {
  double start_s = 0.0, end_s = 0.0;  // seconds since 00:00
};

// staff[p][b]: windows of pool p staffed in block b (the first ones in file order).
struct StaffingPlan {
  std::vector<Block> blocks;
  std::vector<Pool> pools;
  std::vector<std::vector<int>> staff;
  int total_in_block(std::size_t b) const;
  // Staff-hours over the day.
  double staff_hours() const;
};

struct SizingOptions {
  std::vector<StaffingTarget> targets;
  int block_min = 0;  // 0: the demand profile's block_min
  int replications = 10;
  std::uint64_t seed = 1;
  int threads = 1;
  int days = 1;
  std::string start_date;  // YYYY-MM-DD; empty: the hall's, else 2026-03-02
  int max_passes = 6;      // tightening passes
  // A last pass trying one fewer in every block and pool of the answer (each
  // must miss a target); off: the answer rests on more staff never hurting.
  bool verify = true;
  // Called after each simulated evaluation (for progress); may be empty.
  std::function<void(int evaluations)> progress;
};

struct TargetResult {
  StaffingTarget target;
  kpi::Estimate estimate;  // per block: the worst block's
  double bound = 0.0;  // the confidence bound compared (the mean with one replication)
  bool met = false;
  // Per block: the block whose bound is worst (index into the plan's blocks),
  // and the blocks that miss; blocks where no citizen of any replication has a
  // value (nobody took a ticket there) are not judged.
  std::optional<std::size_t> worst_block;
  std::vector<std::size_t> missed_blocks;
};

struct Evaluation {
  std::vector<TargetResult> targets;
  bool met = false;
};

struct SizingResult {
  StaffingPlan analytic;            // step 1
  StaffingPlan plan;                // the answer (or the best achievable when !met)
  std::vector<double> offered_load;  // per block, hall-wide (modified offered load, Erlangs)
  Evaluation evaluation;            // of `plan`
  bool met = false;                 // every target holds at 95% confidence
  bool unreachable = false;         // missed even with every window staffed
  bool locally_minimal = false;     // a last pass found no block where one fewer still meets
  int evaluations = 0;              // simulated plans
  int passes = 0;
  std::vector<std::string> notes;   // what the roster rules imposed, what was kept as is
};

// Rule limits the built roster respects (from roster.rules).
double max_piece_h(const Roster& r);

// A window's gap between two staffed pieces is a member's break (a lunch
// break: one member works both pieces) when it lasts at least this long (and
// at least roster.rules.min_break_min) and at most kMaxLunchBreak_s; a
// longer gap is two shifts, as a hall plans it.
inline constexpr double kMinLunchBreak_s = 30 * 60.0;
inline constexpr double kMaxLunchBreak_s = 2 * 3600.0;

// The hall with its normal-hours roster replaced by `plan`: each contiguous
// run of staffed blocks of a window split into pieces no longer than
// max_piece_h() (so that no piece needs a break of its own); pieces of one
// window separated by a gap that can be a break (above) are one member's
// shift with that break, within max_shift_h; members with `extended_only`
// and their shifts are kept.
Hall staffed_hall(const Hall& hall, const StaffingPlan& plan);

// Throws InputError for a hall without operations, bad options or targets.
SizingResult size_staffing(const Hall& hall, const SizingOptions& options);

// Erlang C: the probability that an arrival waits, c servers, offered load a (Erlangs).
double erlang_c(int c, double a);

}  // namespace halltwin::size
