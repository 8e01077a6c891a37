#pragma once
// Service-level KPIs of a hall's days, with one definition for simulated and
// real days (docs/kpis.md): the operations simulator feeds a KpiAccumulator
// as its events happen; a trace of a real day (replay) feeds the same
// accumulator from its records. Everything a report, a comparison or a
// sizing search says about waiting is computed here and nowhere else.
//
// Definitions (per replication):
//   wait          = ticket issued -> first call, seconds, over served citizens
//                   (a served citizen who never queued waited 0)
//   wait quantiles  from a 1 s histogram (memory stays flat however long the run)
//   arrivals      = citizens who came in for a first visit (pickup visits apart)
//   served        = service ended at a window (a trace's `service_end`);
//                   abandoned = joined a queue and left before being called;
//                   no_show = called (and recalled) but never came;
//                   balked = came in, saw the crowd, left without a ticket;
//                   served_self = done at a self-service kiosk;
//                   pickups = pickup visits served
//   those counts, overtime_s, max_in_hall and max_waiting_standing are per
//   simulated day, averaged over the days
//   abandon_rate       = abandoned / (served + abandoned)
//   within_target_rate = served within targets.wait_s / (served + abandoned)
//   utilization        = sum of busy time / sum of rostered time over windows
//                        (busy: service_start to service_end, as a trace has it)
// A citizen belongs to the day and hour in which the ticket was issued.
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace halltwin::kpi {

enum class Kpi {
  wait_mean_s,
  wait_p50_s,
  wait_p90_s,
  wait_max_s,
  served,
  abandoned,
  no_show,
  balked,
  served_self,
  pickups,
  arrivals,
  abandon_rate,
  within_target_rate,
  utilization,
  overtime_s,
  max_in_hall,
  max_waiting_standing,
};
inline constexpr std::size_t kKpiCount = 17;
std::string_view name(Kpi k);
// The KPI of a name (as in JSON), if any.
std::optional<Kpi> parse_kpi(std::string_view name);

using KpiValues = std::array<double, kKpiCount>;

// Waiting times in 1 s bins; zero waits counted apart (they are common).
class WaitHistogram {
 public:
  void add(double wait_s);
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double max() const { return max_; }
  // Nearest-rank quantile, p in (0, 1]: the middle of the 1 s bin holding it
  // (0 when it falls among the zero waits, never above the maximum).
  double quantile(double p) const;
  std::uint64_t count_at_most(double wait_s) const;
  // Adds another histogram's waits (a run cut into pieces).
  void merge(const WaitHistogram& other);

 private:
  std::vector<std::uint64_t> bins_;  // bins_[k]: waits in (k, k + 1] seconds
  std::uint64_t zeros_ = 0, count_ = 0;
  double sum_ = 0.0, max_ = 0.0;
};

// Per-group tallies (a day, an hour, a matter).
struct Tally {
  std::uint64_t arrivals = 0, served = 0, abandoned = 0, no_show = 0, within_target = 0;
  std::uint64_t balked = 0, served_self = 0, pickups = 0;
  double wait_sum_s = 0.0, wait_max_s = 0.0, service_sum_s = 0.0;
  std::uint64_t service_count = 0;
};

struct WindowTally {
  std::uint64_t served = 0;
  double busy_s = 0.0, rostered_s = 0.0, service_sum_s = 0.0;
  // The same busy and rostered time split by hour of the day (0-23) where the
  // caller knows when it happened: utilisation by hour for the report's plots.
  std::array<double, 24> busy_by_hour_s{}, rostered_by_hour_s{};
};

struct DayTally : Tally {
  double overtime_s = 0.0;
  int max_in_hall = 0;
  int max_waiting_standing = 0;
};

// The results of one replication.
struct ReplicationKpis {
  KpiValues values{};
  std::map<std::string, KpiValues> by_day;  // date -> values of that day
  std::array<Tally, 24> by_hour{};
  std::vector<Tally> by_matter;        // index as registered
  std::vector<WindowTally> by_window;  // index as registered
  std::array<Tally, 2> by_class{};     // normal, priority citizens
  std::uint64_t events = 0;            // engine events processed (performance)
  std::uint64_t inside_at_end = 0;     // citizens still in the hall when the run ended
};

class KpiAccumulator {
 public:
  // target_wait_s: targets.wait_s; matters and windows: ids, in index order.
  KpiAccumulator(double target_wait_s, std::vector<std::string> matters, std::vector<std::string> windows);

  // Starts a new day (a date, YYYY-MM-DD); events after belong to it until the next.
  void begin_day(const std::string& date);
  std::size_t day_index_of(const std::string& date) const;
  // The index of `date`, starting it as begin_day() does when it is new: a
  // replayed log's days arrive by date, not in simulation order.
  std::size_t day(const std::string& date);
  // The index of a matter / window id, registering it when new: a replayed
  // log may name matters and windows its scenario does not have.
  std::uint32_t matter_index(std::string_view id);
  std::uint32_t window_index(std::string_view id);
  const std::vector<std::string>& matter_ids() const { return matters_; }
  const std::vector<std::string>& window_ids() const { return windows_; }
  std::size_t day_count() const { return dates_.size(); }

  // Journey events. day: index in begin_day order (0-based); times of day in
  // seconds; `priority`: the citizen's class (0 normal, 1 priority).
  void arrived(std::size_t day, double time_of_day_s, std::uint32_t matter, int priority = 0);
  // A service ended at a window: the wait (ticket to first call) and the
  // service time (service_start to service_end) of a first visit.
  void served(std::size_t day, double ticket_time_of_day_s, double wait_s, std::uint32_t matter,
              std::uint32_t window, double service_s, int priority = 0);
  void abandoned(std::size_t day, double ticket_time_of_day_s, std::uint32_t matter, int priority = 0);
  void no_show(std::size_t day, double ticket_time_of_day_s, std::uint32_t matter, int priority = 0);
  void balked(std::size_t day, double time_of_day_s, std::uint32_t matter);
  void served_self(std::size_t day, double time_of_day_s, std::uint32_t matter);
  // A pickup visit served (its window's busy time counts through window_busy).
  void pickup(std::size_t day, double time_of_day_s, std::uint32_t matter, std::uint32_t window,
              double service_s);
  void in_hall(std::size_t day, int count);           // the number inside after a change
  void waiting_standing(std::size_t day, int count);  // the number standing after a change
  void window_busy(std::uint32_t window, double seconds);
  void window_rostered(std::uint32_t window, double seconds);
  // As above, for the interval that starts at `start_time_of_day_s` (seconds
  // since midnight): also split over the hours of the day it covers.
  void window_busy_at(std::uint32_t window, double start_time_of_day_s, double seconds);
  void window_rostered_at(std::uint32_t window, double start_time_of_day_s, double seconds);
  void overtime(std::size_t day, double seconds);

  ReplicationKpis finish(std::uint64_t events, std::uint64_t inside_at_end) const;
  // Adds the accumulator of the next piece of a run cut by date (the
  // streaming what-if of `halltwin replay`): its days are appended after
  // these (a date both have is merged into one), its tallies added to these
  // by index (both made for the same matters and windows, in the same order).
  void merge(const KpiAccumulator& other);

 private:
  double target_wait_s_;
  std::vector<std::string> matters_, windows_;
  std::vector<std::string> dates_;
  std::vector<DayTally> days_;
  std::array<Tally, 24> hours_{};
  std::vector<Tally> by_matter_;
  std::vector<WindowTally> by_window_;
  std::array<Tally, 2> by_class_{};
  WaitHistogram waits_;
};

// A KPI over replications: mean and a 95% confidence interval (Student t);
// the interval is absent with one replication.
struct Estimate {
  double mean = 0.0;
  std::optional<double> ci95_low, ci95_high;
};
// `low`/`high`: the KPI's natural range (counts and times >= 0, rates in
// [0, 1]); the Student t interval is clipped to it, so a rate near 0 never
// shows a negative bound (the mean always lies inside the interval).
Estimate estimate(const std::vector<double>& samples, double low = -HUGE_VAL, double high = HUGE_VAL);
// The natural range of a KPI: [0, 1] for rates and utilisation, [0, inf) otherwise.
std::pair<double, double> natural_range(Kpi k);

// Two-sided 95% Student t quantile for `dof` degrees of freedom.
double t975(int dof);

}  // namespace halltwin::kpi
