#pragma once
// The operations simulator: citizens arriving over a hall's working days,
// taking tickets, walking to a seat (or standing), waiting, being called to
// a window staffed by the roster, walking there, being served and leaving,
// or abandoning when the wait outlasts their patience.
//
// A discrete-event simulation on its own small core (event_calendar.hpp):
// no allocation per event, entities pooled, one random stream per source.
// One Simulation object is one replication; replications are independent
// and may run in parallel threads over one shared, const OpsModel.
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/trace/trace_event.hpp"
#include "sim/kpi/kpi.hpp"
#include "sim/ops/disruption.hpp"
#include "sim/ops/ops_model.hpp"
#include "sim/ops/random_stream.hpp"

namespace halltwin {
class TraceWriter;
}

namespace halltwin::ops {

class PlatformLink;

// Observed demand for a trace-driven what-if (halltwin replay): the citizens
// of a real or recorded log, re-simulated against a hall's windows.
struct ExternalVisit {
  double ticket_s = 0.0;         // seconds since 00:00 of start_date: when the ticket was taken
  std::uint32_t matter = 0;      // index into hall.matters
  double service_s = -1.0;       // the observed service time; < 0: drawn from the scenario
  double patience_s = HUGE_VAL;  // the wait the citizen gave up after (abandoned), else infinite
  bool priority = false;
};

// When a window was staffed (seconds since 00:00 of start_date).
struct PresenceInterval {
  std::uint32_t window = 0;  // index into hall.windows
  double start_s = 0.0, end_s = 0.0;
  // The roster member (index into hall.operations.roster.staff, at this
  // window) who works the interval, so that a replay can give a window other
  // skills on other days; kNone: the first member the roster puts there.
  std::uint32_t staff = kNone;
  // A logged pickup (replay --presence pickups): the visit (index into
  // ExternalInput::visits) this server took at start_s in the log. When that
  // citizen is waiting then, the server calls them whatever the calling
  // policy (the log's own decision); otherwise the policy chooses.
  std::uint32_t visit = kNone;
};

struct ExternalInput {
  std::vector<ExternalVisit> visits;  // sorted by ticket_s
  // Windows named here are staffed by these intervals (by the first staff
  // member the roster puts at the window) instead of the roster; the others
  // keep the roster (the what-if's added windows).
  std::vector<PresenceInterval> presence;
  // Windows the log knows (it names them somewhere, not only on the replayed
  // dates): staffed by `presence` alone, so nobody at a date the log shows
  // them closed. Windows named by `presence` count too.
  std::vector<std::uint32_t> observed_windows;
  // Logged pickups take the citizen the log gave them when that citizen is
  // waiting; false: every slot chooses by the calling policy (the what-if of
  // another policy, replay --calling).
  bool logged_choices = true;
};

struct RunOptions {
  std::uint64_t seed = 1;
  int replication = 1;     // 1-based; selects the replication's random streams
  int days = 1;            // open days to simulate (closed days are skipped)
  std::string start_date;  // YYYY-MM-DD, the first calendar day considered
  // Stop at this many seconds after 00:00 of start_date (absolute time of
  // the run) and report every person's state: the evacuation's --at.
  std::optional<double> stop_at_s;
  // Trace-driven what-if: these citizens instead of the scenario's demand
  // (no walk-ins, appointments or guide desk; they take their ticket at the
  // observed time and keep their observed service time and patience), every
  // calendar day from start_date open.
  std::shared_ptr<const ExternalInput> external;
  // The hall's IT platform (sim/platform/): window services wait for their
  // transactions. nullptr: no platform, the engine as before.
  PlatformLink* platform = nullptr;
  // Drills (sim/ops/disruption.hpp): windows degraded for an interval, and
  // the queue sampled every observe_step_s (0 = not observed) with every
  // first visit's ticket time and wait into RunResult::observation.
  std::vector<Disruption> disruptions;
  double observe_step_s = 0.0;
  std::optional<Admission> admission;  // an occupancy cap at the door (drills)
  // A run cut into consecutive pieces (the streaming what-if of `halltwin
  // replay`): when given, the random streams start from these states (when
  // not empty) instead of their seeds, and the run leaves its final states
  // here, so that the pieces draw the numbers one run would.
  std::vector<RandomStream>* carry_streams = nullptr;
};

// What a person is doing at a moment (the 3D view's states).
enum class PersonState {
  walking,  // to the ticket machine, a seat, a window or the door
  waiting_seated,
  waiting_standing,
  at_window,  // being served (citizen) or working (staff)
};
std::string_view name(PersonState s);

struct PersonSnapshot {
  std::string id;  // "C000123", or the staff id
  EntityKind kind = EntityKind::citizen;
  PersonState state = PersonState::walking;
  FloorId floor;
  Vec2 position;       // metres
  std::string matter;  // citizens: the matter
  std::string window;  // the window called to / served at / working at
  std::string seat;    // seated citizens
};

struct Snapshot {
  int day = 0;          // calendar days since start_date
  double time_s = 0.0;  // seconds since 00:00 of that day
  std::vector<PersonSnapshot> persons;
};

struct RunResult {
  kpi::ReplicationKpis kpis;
  std::uint64_t customers = 0;  // citizens who came in (first visits and pickup visits)
  std::optional<Snapshot> snapshot;
  std::vector<std::string> dates;  // the open days simulated
  // Conservation, checked by the tests: arrivals == served + served_self +
  // abandoned + balked + no_show + inside_at_end (first visits), and
  // pickup_visits == pickups + pickups_inside_at_end.
  std::uint64_t arrivals = 0, served = 0, served_self = 0, abandoned = 0, balked = 0, no_show = 0;
  std::uint64_t inside_at_end = 0;
  std::uint64_t pickup_visits = 0, pickups = 0, pickups_inside_at_end = 0;
  // Back office: cases sent, approved within the run, pickups that would
  // fall after the last simulated day (not simulated).
  std::uint64_t backoffice_cases = 0, backoffice_done = 0, pickups_after_run = 0;
  // Appointments: slots booked, holders who never came, and the mean
  // arrival relative to the slot start of those who came (s; < 0 early).
  std::uint64_t appointments = 0, appointment_no_shows = 0;
  double appointment_lateness_sum_s = 0.0;
  double busy_s = 0.0, rostered_s = 0.0, overtime_s = 0.0;
  // Services by a window whose staff lacked the matter (must stay 0).
  std::uint64_t served_without_skill = 0;
  // Trace-driven what-if: each external visit's simulated wait (ticket to
  // call, s; NaN when not served), by visit index; visits whose matter no
  // window of the hall serves are skipped and counted.
  std::vector<double> external_waits;
  std::uint64_t external_skipped = 0;
  // Trace-driven what-if: the run's KPI accumulator (to merge the pieces of
  // a run cut by date) and the time of its last event (s since 00:00 of
  // start_date).
  std::optional<kpi::KpiAccumulator> accumulator;
  double last_event_s = 0.0;
  std::optional<RunObservation> observation;  // with RunOptions::observe_step_s
  std::uint64_t turned_away = 0;              // walk-ins refused by RunOptions::admission (also balked)
};

// Runs one replication. `trace` (may be null) receives every event; with it
// the run is slower (it formats ids), without it nothing is formatted.
// Throws InputError for options the hall cannot run (no open day, bad date).
RunResult simulate(const OpsModel& model, const RunOptions& options, TraceWriter* trace = nullptr);

// The open days a run of `days` days starting at `start_date` simulates,
// as calendar offsets from start_date.
std::vector<int> open_days(const OpsModel& model, const std::string& start_date, int days);

}  // namespace halltwin::ops
