#pragma once
// The trace-driven what-if of `halltwin replay --scenario`: a log's citizens
// (their ticket times, matters, observed service times and patience) and its
// windows' observed presence, turned into the simulator's external input for
// a scenario's hall, as logged or changed (one more window, another calling
// policy). docs/queue-data.md, "What-if".
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "sim/ops/simulation.hpp"
#include "tools/connect/sinks.hpp"

namespace halltwin::connect {

class WhatIfCollector : public VisitSink {
 public:
  // hall: the scenario the log is replayed against; days: the selected record
  // dates (empty: all); infer: presence from service periods (a CSV export)
  // rather than from shift records (a halltwin trace, through shift()).
  WhatIfCollector(const Hall& hall, std::set<std::string> days, bool infer);
  void day(const Catalog& c, int date_day, std::span<const Visit> visits) override;
  // A shift piece of a halltwin trace (absolute seconds since start_date).
  void shift(const std::string& window, double start_s, double end_s);
  void finish(const Catalog& c) override;  // sorts the visits by ticket time

  // The input, sorted by ticket time (after finish()), times from 00:00 of
  // first_day(); the observed wait of each visit (NaN when it was not served)
  // by the same index.
  ops::ExternalInput input() const;
  // The hall the input is replayed through: the scenario, plus a roster
  // member of its own for every window the log shows staffed but the roster
  // never staffs (nobody the log shows at work is lost) and, with
  // `logged_skills`, one member per window and set of matters the log shows
  // it serving on a date (that date's presence is worked by that member:
  // the skills of the day, as the log has them). Sets `in.presence[i].staff`.
  Hall replay_hall(bool logged_skills, ops::ExternalInput& in) const;
  // Presence pieces that carry the matters served on their date.
  bool has_logged_skills() const { return infer_; }
  const std::vector<double>& observed_waits() const { return observed_; }
  int last_day() const { return last_day_; }
  // The first selected date (days since start_date): input() counts time from
  // its 00:00, so that a replay of later dates does not simulate empty days first.
  int first_day() const { return first_day_ < 0 ? 0 : first_day_; }
  std::string start_date;  // the log's day 0
  // An export's presence: a server's gap between services longer than this is an absence (s).
  double presence_gap_s = kPresenceGap_s;
  // How an export's presence is inferred (sinks.hpp): infer_presence,
  // infer_availability or infer_pickups.
  enum class Presence { present, available, pickups };
  Presence presence = Presence::present;
  double pickup_window_s = kPickupWindow_s;
  // Visits left out, by reason (matter or window unknown to the hall, ...).
  std::map<std::string, std::uint64_t> skipped;

 private:
  const Hall& hall_;
  std::set<std::string> days_;
  bool infer_;
  std::map<std::string, std::uint32_t> matter_of_, window_of_;
  std::vector<ops::ExternalVisit> visits_;
  std::vector<double> observed_;
  std::vector<ops::PresenceInterval> presence_;
  std::vector<std::uint32_t> known_windows_;  // hall windows the log names (finish())
  // By presence_ index: the hall matters (bit m = hall.matters[m]) the
  // window's server served on the piece's date; 0 unknown (a trace's shifts).
  std::vector<std::uint64_t> presence_skills_;
  // By presence_ index: 0, or the n-th extra person at the window who takes
  // the log's services that overlap a service of the same server (pickups).
  std::vector<std::uint32_t> presence_lane_;
  std::vector<PresencePiece> pieces_;
  int last_day_ = 0;
  int first_day_ = -1;
};

}  // namespace halltwin::connect
