#pragma once
// The trace-driven what-if of `halltwin replay --scenario`: a log's citizens
// (their ticket times, matters, observed service times and patience) and its
// windows' observed presence, re-simulated through a scenario's hall, as
// logged or changed (one more window, another calling policy).
// docs/queue-data.md, "What-if".
//
// Streaming: the importer hands the sink one date at a time; the what-if
// simulates the dates in chunks as they come, each chunk one ops simulation
// of the citizens and presence whose times fall in its calendar days. A
// chunk is closed only at a midnight when its simulation leaves nobody in
// the hall and no event after that midnight (no citizen waiting or in
// service, no server on duty, no logged slot of a later chunk naming one of
// its citizens); otherwise its dates wait for the next ones and are
// simulated again with them. The random streams and the roster members the
// replay adds carry over from chunk to chunk, so the chunks give what one
// simulation of every date gives (docs/queue-data.md, "Streaming").
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "model/hall.hpp"
#include "sim/kpi/kpi.hpp"
#include "sim/ops/ops_model.hpp"
#include "sim/ops/simulation.hpp"
#include "tools/connect/sinks.hpp"

namespace halltwin::connect {

// Quantiles of a stream of values in bounded memory: a count per value
// rounded to `resolution_s()` (1 ms to begin with). While the values take at
// most kMaxKeys distinct millisecond values, a quantile is the exact value
// of its rank to 1 ms; beyond that the resolution doubles (neighbouring
// counts merge) as often as needed, so the memory never exceeds kMaxKeys
// counts and a quantile is within one resolution step. The maximum is exact.
class QuantileCounts {
 public:
  static constexpr std::size_t kMaxKeys = std::size_t{1} << 15;
  void add(double v);
  std::uint64_t count() const { return n_; }
  // The value of 0-based rank r (r < count()) in sorted order.
  double at_rank(std::uint64_t r) const;
  double max() const { return max_; }
  double resolution_s() const { return res_s_; }

 private:
  std::map<std::int64_t, std::uint64_t> counts_;  // value / res_s_, rounded -> count
  double res_s_ = 1e-3;
  std::uint64_t n_ = 0;
  double max_ = 0.0;
};

// What the what-if produced over every chunk.
struct WhatIfTotals {
  std::optional<kpi::KpiAccumulator> kpis;  // the chunks' accumulators, merged
  std::uint64_t visits = 0;                 // logged citizens replayed
  std::uint64_t external_skipped = 0;       // matter served by no window of the hall
  std::uint64_t chunks = 0, attempts = 0;   // chunks simulated; simulations run (retries included)
  std::uint64_t largest_chunk_visits = 0;   // the most citizens held at once for one chunk
  int largest_chunk_days = 0;
  QuantileCounts abs_diff_s;    // |simulated - observed wait| of tickets served in both
  QuantileCounts observed_s;    // their observed waits (the zero-wait baseline)
  double wall_s = 0.0;          // time in the simulations
};

class WhatIfCollector : public VisitSink {
 public:
  // hall: the scenario the log is replayed against; days: the selected record
  // dates (empty: all); infer: presence from service periods (a CSV export)
  // rather than from shift records (a halltwin trace, through shift()).
  WhatIfCollector(const Hall& hall, std::set<std::string> days, bool infer);
  ~WhatIfCollector() override;
  void day(const Catalog& c, int date_day, std::span<const Visit> visits) override;
  // A shift piece of a halltwin trace (absolute seconds since start_date).
  void shift(const std::string& window, double start_s, double end_s);
  void finish(const Catalog& c) override;  // simulates the dates not simulated yet

  // Settings, before the log is read.
  // An export's presence: a server's gap between services longer than this is an absence (s).
  double presence_gap_s = kPresenceGap_s;
  // How an export's presence is inferred (sinks.hpp): infer_presence,
  // infer_availability or infer_pickups.
  enum class Presence { present, available, pickups };
  Presence presence = Presence::present;
  double pickup_window_s = kPickupWindow_s;
  // The roster the log is replayed with: a roster member of its own for
  // every window the log shows staffed but the roster never staffs (nobody
  // the log shows at work is lost) and, with `logged_skills`, one member per
  // window and set of matters the log shows it serving on a date (that
  // date's presence is worked by that member: the skills of the day, as the
  // log has them).
  bool logged_skills = false;
  // Every window's calling policy instead of the hall's (logged slots then
  // choose by it, not as the log did).
  std::optional<CallingPolicy> calling;
  std::uint64_t seed = 1;
  // false: every date is held and simulated at once at finish() (the
  // whole-log what-if, as before streaming; tests compare the two).
  bool streaming = true;

  // The windows the whole log names (ids), when known before it is read (a
  // first pass over a file): staffed by the log's presence alone from the
  // first chunk on. Otherwise a window counts from the date the log first
  // names it (before that, the roster staffs it).
  void windows_of_log(const std::vector<std::string>& ids);

  bool has_logged_skills() const { return infer_; }
  const WhatIfTotals& totals() const { return totals_; }
  std::string start_date;  // the log's day 0
  // Visits left out, by reason (matter or window unknown to the hall, ...).
  std::map<std::string, std::uint64_t> skipped;

 private:
  struct PendingVisit {
    ops::ExternalVisit x;  // ticket_s: absolute (since 00:00 of start_date)
    double observed;       // the observed wait (NaN when not served)
    std::uint64_t seq;     // collection order
  };
  struct PendingPiece {
    ops::PresenceInterval p;  // absolute times; p.visit unused until a chunk is built
    std::uint64_t visit_seq;  // a logged pickup's visit (PendingVisit::seq), or kNoSeq
  };
  static constexpr std::uint64_t kNoSeq = ~std::uint64_t{0};
  std::uint32_t member_for(std::uint32_t window, std::uint64_t mask, std::uint32_t lane);
  void add_piece(std::uint32_t window, double start, double end, std::uint64_t mask, std::uint32_t lane,
                 std::uint64_t visit_seq);
  void note_windows(const Catalog& c);
  void try_close();
  // Simulates the days [chunk_day_, end_day) (final: to last_day_, every
  // pending citizen); false when the chunk may not end there (not final).
  bool simulate_chunk(int end_day, bool final);

  const Hall& hall_;
  std::set<std::string> days_;
  bool infer_;
  std::map<std::string, std::uint32_t> matter_of_, window_of_;
  std::deque<PendingVisit> visits_;  // not simulated yet, in collection order
  std::deque<PendingPiece> pieces_;
  std::uint64_t next_seq_ = 0;
  std::vector<PresencePiece> inferred_;
  std::vector<char> known_window_;  // hall windows the log has named so far
  std::size_t catalog_windows_seen_ = 0;
  // The members the replay adds to the roster, in the order a whole-log
  // replay adds them (kept across chunks, so every chunk's roster is a
  // prefix of the whole log's and the members keep their indices).
  std::vector<StaffMember> added_;
  std::map<std::tuple<std::uint32_t, std::uint64_t, std::uint32_t>, std::uint32_t> member_of_;
  std::vector<char> staffed_;
  std::unique_ptr<Hall> chunk_hall_;  // hall_ with added_ (rebuilt when added_ grows)
  std::unique_ptr<ops::OpsModel> chunk_model_;
  std::size_t chunk_members_ = 0;
  std::vector<ops::RandomStream> streams_;  // the random streams at the next chunk's start
  int first_day_ = -1, last_day_ = -1, seen_day_ = -1;
  int chunk_day_ = -1;  // the first day of the next chunk
  int next_try_ = 0, span_ = 1;
  WhatIfTotals totals_;
};

}  // namespace halltwin::connect
