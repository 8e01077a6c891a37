#include "sim/ops/simulation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>

#include "model/geometry/polygon_ops.hpp"
#include "model/input_error.hpp"
#include "model/trace/trace_header.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/ops/event_calendar.hpp"
#include "sim/ops/platform_link.hpp"
#include "sim/ops/random_stream.hpp"

namespace halltwin::ops {

std::string_view name(PersonState s) {
  static constexpr std::string_view kNames[] = {"walking", "waiting_seated", "waiting_standing", "at_window"};
  return kNames[static_cast<int>(s)];
}

namespace {

constexpr double kDay_s = 86400.0;

std::optional<std::chrono::sys_days> parse_day(const std::string& date) {
  if (!is_valid_date(date)) return std::nullopt;
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

// Monday = 0 ... Sunday = 6.
int weekday_of(std::chrono::sys_days d) {
  return static_cast<int>((std::chrono::weekday{d}.c_encoding() + 6) % 7);
}

const DateFactor* factor_of(const Demand& demand, const std::string& date) {
  for (const DateFactor& f : demand.date_factors)
    if (f.date == date) return &f;
  return nullptr;
}

std::string format_day(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

bool is_open(const Operations& ops, std::chrono::sys_days d) {
  const std::string date = format_day(d);
  if (!ops.roster.open_days[weekday_of(d)]) return false;
  const DateFactor* f = factor_of(ops.demand, date);
  return !(f && f->factor <= 0.0);
}

}  // namespace

std::vector<int> open_days(const OpsModel& model, const std::string& start_date, int days) {
  const auto start = parse_day(start_date);
  if (!start)
    throw InputError(InputProblem{"", 0, 0, "--start",
                                  fmt::format("'{}' is not a date; expected YYYY-MM-DD", start_date)});
  std::vector<int> out;
  // A year and a week is enough to find any open weekday; beyond that the
  // roster opens on no day at all.
  const int horizon = days * 7 + 380;
  for (int d = 0; d < horizon && static_cast<int>(out.size()) < days; ++d)
    if (is_open(model.ops(), *start + std::chrono::days{d})) out.push_back(d);
  if (static_cast<int>(out.size()) < days)
    throw InputError(
        InputProblem{model.hall().source_file, 0, 0, "roster.hours.days",
                     fmt::format("the hall opens on only {} of the {} days from {}; expected {} open days",
                                 out.size(), horizon, start_date, days)});
  return out;
}

namespace {

struct Citizen {
  enum class St : std::uint8_t {
    to_desk,     // walking to the guide desk
    desk_wait,   // queueing at the guide desk
    at_desk,     // being helped at the guide desk
    to_kiosk,    // walking to the self-service kiosks
    kiosk_wait,  // queueing for a kiosk
    at_kiosk,    // self-service
    to_machine,  // walking to the ticket device
    waiting,     // holding a ticket (walking to the seat, seated or standing)
    called,      // called, walking to the window (or not answering)
    at_window,   // being served
    leaving,     // the visit's outcome is counted; walking out
    gone,
  };
  St st = St::gone;
  bool seated = false;   // waiting on a seat (else standing)
  bool at_spot = false;  // reached the seat or the standing spot
  bool priority = false, appt = false, pickup = false, answers = true;
  std::uint8_t calls = 0;    // times called (recalls included)
  std::uint8_t lane = 0;     // 0 normal, 1 priority, 2 appointment
  std::uint32_t number = 0;  // visitor number: entity "C000123" (pickup visit "P000123")
  std::uint32_t matter = 0, queue = 0, seat = kNone, entrance = 0, machine = 0, desk = 0, kiosk = 0;
  std::uint32_t day = 0, staff = kNone, floor = 0, ticket_no = 0;
  std::uint32_t gen = 0;  // bumped when a wait ends: stale timers are ignored
  float speed_mps = 1.2f;
  double patience_s = 0.0;
  double u_self = 1.0, u_backoffice = 1.0, u_pickup = 1.0;  // the citizen's draws for later choices
  double entered_abs = 0.0, ticket_abs = 0.0, ticket_tod = 0.0, called_abs = 0.0, service_abs = 0.0;
  double service_s = 0.0, slot_abs = 0.0;
  double service_given = -1.0;  // an observed service time (what-if replay)
  std::uint32_t ext = kNone;    // index of the external visit (what-if replay)
  std::uint32_t obs = kNone;    // index of the observed ticket record (drills)
  std::uint64_t order = 0;      // global ticket order (FIFO across queues)
  // The current walk, for positions in a snapshot.
  FloorPoint from, to;
  double walk_start = 0.0, walk_end = 0.0;
};

struct Entry {
  std::uint32_t citizen;
  std::uint64_t order;
};

// A FIFO with lazy deletion at the head (abandoned tickets are skipped).
struct Fifo {
  std::vector<Entry> items;
  std::size_t head = 0;
  void push(Entry e) {
    if (head > 64 && head * 2 > items.size()) {  // compact: amortised O(1), no growth
      items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(head));
      head = 0;
    }
    items.push_back(e);
  }
  bool empty() const { return head == items.size(); }
};

// A ticket queue: three lanes (normal, priority, appointment holders), each FIFO.
struct TicketQueue {
  Fifo lanes[3];
  std::uint32_t waiting = 0;
};

// A pool of identical servers with one FIFO (the guide desks' staff, the kiosks).
struct ServerPool {
  int servers = 0, busy = 0;
  std::deque<std::uint32_t> fifo;
};

struct StaffState {
  enum class St : std::uint8_t { off, idle, busy };
  St st = St::off;
  bool off_pending = false;  // leave (break or shift end) after the current citizen
  bool off_final = false;    // the pending leave ends the shift (not a break)
  double off_sched = 0.0;    // when the roster said to leave
  double idle_since = 0.0;
  std::uint32_t citizen = kNone;
  std::uint32_t day = 0;
  bool carried = false;             // works on past midnight into the next day's shift (24 h halls)
  std::uint32_t handed_to = kNone;  // the successor who took over the current citizen
  std::uint32_t inherit = kNone;    // a citizen handed over by the predecessor
};

struct Booking {
  std::uint32_t number = 0, day = 0;
  double slot_abs = 0.0, arrival_abs = 0.0;
  bool no_show = false;
  int pending_events = 0;  // calendar events still naming this slot; at 0 it is reused
};

// A pool of records named by index from calendar events. A record is released
// once no event names it any more, and its index is reused, so that a run of a
// simulated year holds only the records still in flight (flat memory), not one
// per booking or case ever made. Reusing an index never changes the results:
// events that tie in time keep their insertion order, not their index.
template <class T>
class RecyclingPool {
 public:
  std::uint32_t add(const T& v) {
    if (!free_.empty()) {
      const std::uint32_t id = free_.back();
      free_.pop_back();
      items_[id] = v;
      return id;
    }
    items_.push_back(v);
    return static_cast<std::uint32_t>(items_.size() - 1);
  }
  T& operator[](std::uint32_t id) { return items_[id]; }
  void release(std::uint32_t id) { free_.push_back(id); }

 private:
  std::vector<T> items_;
  std::vector<std::uint32_t> free_;
};

struct Case {
  std::uint32_t number = 0, matter = 0, ticket_no = 0;
  bool pickup = false;
};

class Engine {
 public:
  Engine(const OpsModel& m, const RunOptions& o, TraceWriter* trace)
      : m_(m),
        ops_(m.ops()),
        opt_(o),
        trace_(trace),
        walking_(ops_.walking.enabled),
        seats_on_(ops_.walking.seat_limit || ops_.walking.enabled),
        kpis_(ops_.targets.wait_s, ids(m.hall().matters), ids(m.hall().windows)),
        arrivals_rng_(o.seed, static_cast<std::uint64_t>(o.replication), "arrivals"),
        citizen_rng_(o.seed, static_cast<std::uint64_t>(o.replication), "citizens"),
        booking_rng_(o.seed, static_cast<std::uint64_t>(o.replication), "appointments"),
        pickup_rng_(o.seed, static_cast<std::uint64_t>(o.replication), "pickups"),
        backoffice_rng_(o.seed, static_cast<std::uint64_t>(o.replication), "backoffice"),
        desk_rng_(o.seed, static_cast<std::uint64_t>(o.replication), "guide_desk"),
        kiosk_rng_(o.seed, static_cast<std::uint64_t>(o.replication), "kiosks"),
        ext_(o.external.get()) {
    for (const Window& w : m.hall().windows)
      service_rng_.emplace_back(o.seed, static_cast<std::uint64_t>(o.replication), "service:" + w.id);
    if (o.carry_streams && !o.carry_streams->empty()) restore_streams(*o.carry_streams);
    queues_.resize(m.queues.size());
    staff_.resize(m.staff.size());
    platform_wait_.assign(m.staff.size(), PlatformWait::none);
    seat_taken_.assign(m.seats.size(), 0);
    standing_fifo_.resize(m.hall().floors.size());
    desks_.resize(m.desks.size());
    for (auto& d : desks_) d.servers = m.staff_per_desk;
    kiosks_.servers = static_cast<int>(m.kiosks.size());
    // Who may serve what, from the hall's roster itself (the member's skills,
    // or the window's matters, and always within the window's matters), not
    // from the prepared queues: a check of the calling logic at service start.
    const auto& roster_staff = ops_.roster.staff;
    const std::size_t nm = m.hall().matters.size();
    skilled_.assign(roster_staff.size() * nm, 0);
    for (std::size_t s = 0; s < roster_staff.size(); ++s) {
      const auto& win = m.hall().windows[roster_staff[s].window.value].matters;
      const auto& skills = roster_staff[s].skills.empty() ? win : roster_staff[s].skills;
      for (MatterId mt : skills)
        if (std::find(win.begin(), win.end(), mt) != win.end()) skilled_[s * nm + mt.value] = 1;
    }
    // Walk-in arrival events: the profile's citizens, less the booked share,
    // and fewer events when groups bring several citizens each.
    const Demand& dem = ops_.demand;
    if (dem.groups && dem.groups->share > 0.0)
      citizens_per_event_ =
          1.0 + dem.groups->share * (0.5 * (dem.groups->size_min + dem.groups->size_max) - 1.0);
    if (dem.appointments && dem.kind == Demand::Kind::profile) walk_in_share_ = 1.0 - dem.appointments->share;
    observed_window_.assign(m.hall().windows.size(), 0);
    if (ext_) result_.external_waits.assign(ext_->visits.size(), std::nan(""));
    if (ext_) {
      for (std::uint32_t w : ext_->observed_windows)
        if (w < observed_window_.size()) observed_window_[w] = 1;
      for (const PresenceInterval& p : ext_->presence) {
        observed_window_[p.window] = 1;
        if (p.visit != kNone) logged_pickups_ = true;
      }
    }
    calendar_.reserve(1024);
  }

  RunResult run() {
    const auto start = *parse_day(opt_.start_date);
    std::vector<int> days;
    if (ext_) {
      for (int d = 0; d < opt_.days; ++d) days.push_back(d);  // a log's every day
    } else {
      days = open_days(m_, opt_.start_date, opt_.days);
    }
    day_offsets_ = days;
    tickets_per_day_.assign(days.size(), 0);
    for (std::size_t i = 0; i < days.size(); ++i) {
      const auto d = start + std::chrono::days{days[i]};
      const std::string date = format_day(d);
      result_.dates.push_back(date);
      kpis_.begin_day(date);
      double f = 1.0;
      if (const DateFactor* df = factor_of(ops_.demand, date)) f *= df->factor;
      // Month end: the last open day of the month.
      bool last = true;
      for (auto n = d + std::chrono::days{1};
           std::chrono::year_month_day{n}.month() == std::chrono::year_month_day{d}.month();
           n += std::chrono::days{1})
        if (is_open(ops_, n)) {
          last = false;
          break;
        }
      if (last) f *= ops_.demand.month_end_factor;
      day_factor_.push_back(f);
      const int wd = weekday_of(d);
      day_weekday_.push_back(wd);
      // Extended hours (延时服务): a later close on given dates or weekdays.
      double close = ops_.roster.close_s, stop = ops_.roster.ticket_stop_s;
      bool extended = false;
      for (const auto& x : ops_.roster.extended_hours)
        if (x.date == date || (x.date.empty() && x.weekday && static_cast<int>(*x.weekday) == wd)) {
          close = std::max(close, x.close_s);
          stop = std::max(stop, x.ticket_stop_s);
          extended = true;
        }
      day_close_.push_back(close);
      day_ticket_stop_.push_back(stop);
      day_extended_.push_back(extended);
      calendar_.schedule(days[i] * kDay_s, EventKind::day_start, static_cast<std::uint32_t>(i));
    }
    if (opt_.stop_at_s) calendar_.schedule(*opt_.stop_at_s, EventKind::stop);
    for (std::size_t i = 0; i < opt_.disruptions.size(); ++i)
      calendar_.schedule(opt_.disruptions[i].to_s, EventKind::disruption_end, static_cast<std::uint32_t>(i));
    if (opt_.observe_step_s > 0) result_.observation = RunObservation{opt_.observe_step_s, {}, {}};

    // The loop: one event at a time, in time order (ties: scheduling order).
    // Each case is one phase of the journey, named after what happens.
    while (true) {
      if (opt_.platform) run_platform();  // its completions up to the next event, in time
      if (calendar_.empty()) break;
      const Event e = calendar_.pop();
      now_ = e.time_s;
      ++events_;
      if (result_.observation)  // drills: the queue as it stood at each sample time
        while (result_.observation->waiting.size() * result_.observation->step_s <= now_)
          result_.observation->waiting.push_back(waiting_total_);
      // clang-format off
      switch (e.kind) {
        case EventKind::day_start:        start_day(e.a); break;            // shifts, bookings, first walk-in
        case EventKind::arrival:          walk_in(e.a); break;              // a citizen or a group comes in
        case EventKind::appt_due:         appointment_due(e.a); break;      // a booked slot begins (trace)
        case EventKind::appt_arrival:     appointment_arrives(e.a); break;  // an appointment holder comes in
        case EventKind::pickup_arrival:   pickup_arrives(e.a); break;       // back for a result
        case EventKind::external_arrival: external_arrives(e.a); break;     // a logged citizen (what-if)
        case EventKind::at_desk:          reach_desk(e.a); break;           // the guide desk
        case EventKind::desk_end:         end_desk(e.a); break;
        case EventKind::at_kiosk:         reach_kiosk(e.a); break;          // self-service
        case EventKind::kiosk_end:        end_kiosk(e.a); break;
        case EventKind::at_ticket:        take_ticket(e.a); break;          // ticket, then a seat or standing
        case EventKind::at_seat:          reach_spot(e.a, e.b); break;
        case EventKind::abandon:          abandon(e.a, e.b); break;         // patience ran out
        case EventKind::recall:           recall(e.a, e.b); break;          // called again, or a no-show
        case EventKind::at_window:        start_service(e.a); break;        // the window
        case EventKind::service_end:      end_service(e.a); break;
        case EventKind::backoffice_end:   end_backoffice(e.a); break;       // approval done
        case EventKind::gone:             leave(e.a); break;
        case EventKind::logged_pickup:    logged_pickup(e.a, e.b); break;      // replay: the log's call
        case EventKind::shift_start:
        case EventKind::break_end:        staff_on(e.a, e.kind, e.b); break;   // the roster
        case EventKind::shift_end:
        case EventKind::break_start:      staff_off(e.a, e.kind, e.b); break;
        case EventKind::disruption_end:   // windows back to normal call whoever waits
          for (std::uint32_t s = 0; s < staff_.size(); ++s)
            if (staff_[s].st == StaffState::St::idle) try_call(s);
          break;
        case EventKind::stop:
          result_.snapshot = snapshot();
          return finish();
      }
      // clang-format on
    }
    return finish();
  }

 private:
  static std::vector<std::string> ids(const auto& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.id);
    return out;
  }

  double base_of(std::uint32_t day) const { return day_offsets_[day] * kDay_s; }
  double tod(double abs) const { return abs - std::floor(abs / kDay_s) * kDay_s; }

  // ------------------------------------------------------------ days and arrivals
  bool works_today(const StaffDef& sd, std::uint32_t day) const {
    return sd.days[day_weekday_[day]] && (!sd.extended_only || day_extended_[day]);
  }

  void start_day(std::uint32_t i) {
    day_ = i;
    const double base = base_of(i);
    if (ext_) schedule_external_day(i);
    for (std::uint32_t s = 0; s < m_.staff.size(); ++s) {
      const StaffDef& sd = m_.staff[s];
      if (!works_today(sd, i) || observed_window_[sd.window]) continue;
      for (std::size_t p = 0; p < sd.pieces.size(); ++p) {
        const TimeSpan& piece = sd.pieces[p];
        const bool last = p + 1 == sd.pieces.size();
        calendar_.schedule(base + piece.start_s, p == 0 ? EventKind::shift_start : EventKind::break_end, s,
                           i);
        calendar_.schedule(base + piece.end_s, last ? EventKind::shift_end : EventKind::break_start, s, i);
        kpis_.window_rostered_at(sd.window, piece.start_s, piece.end_s - piece.start_s);
        result_.rostered_s += piece.end_s - piece.start_s;
      }
    }
    if (ext_) return;  // the log's citizens only
    book_appointments(i);
    // A profile may start before opening (people queue at the door): its
    // arrivals are drawn from the profile's start and held until opening.
    const double from =
        ops_.demand.kind == Demand::Kind::profile ? ops_.demand.profile_start_s : ops_.roster.open_s;
    schedule_next_arrival(base + from, i);
  }

  // Expected citizens per second at time of day t (profile demand, before shares).
  double profile_rate(std::uint32_t day, double t) const {
    const Demand& dem = ops_.demand;
    const auto& profile = dem.arrivals_per_block[day_weekday_[day]];
    const double block_s = dem.block_min * 60.0;
    if (t < dem.profile_start_s) return 0.0;
    const auto k = static_cast<std::size_t>((t - dem.profile_start_s) / block_s);
    return k < profile.size() ? profile[k] * day_factor_[day] / block_s : 0.0;
  }

  // Appointment slots of the day, booked at its start: per slot a Poisson
  // number of bookings (the booked share of the slot's demand); each holder
  // comes at the slot start plus a normal punctuality offset, or not at all.
  void book_appointments(std::uint32_t day) {
    const Demand& dem = ops_.demand;
    if (!dem.appointments || dem.kind != Demand::Kind::profile || dem.appointments->share <= 0.0) return;
    const Appointments& ap = *dem.appointments;
    const double base = base_of(day), slot_s = ap.slot_min * 60.0;
    const double open = ops_.roster.open_s, stop = day_ticket_stop_[day];
    for (double t = open; t < stop; t += slot_s) {
      // Expected bookings: the booked share of the demand in [t, t + slot).
      double lambda = 0.0;
      for (double u = t; u < std::min(t + slot_s, stop); u += 60.0)
        lambda += profile_rate(day, u + 30.0) * std::min(60.0, stop - u);
      lambda *= ap.share;
      // Poisson by counting exponential gaps in [0, lambda).
      int n = 0;
      for (double acc = booking_rng_.exponential(1.0); acc < lambda; acc += booking_rng_.exponential(1.0))
        ++n;
      for (int k = 0; k < n; ++k) {
        Booking b;
        b.number = ++next_number_;
        b.day = day;
        b.slot_abs = base + t;
        b.no_show = booking_rng_.uniform01() < ap.no_show_rate;
        const double offset = ap.punctuality_mean_s + ap.punctuality_sd_s * booking_rng_.normal();
        b.arrival_abs = std::clamp(b.slot_abs + offset, base + open, base + stop - 1.0);
        b.pending_events = (trace_ ? 1 : 0) + (b.no_show ? 0 : 1);
        ++result_.appointments;
        if (b.no_show) ++result_.appointment_no_shows;
        if (b.pending_events == 0) continue;  // nothing will read it
        const std::uint32_t id = bookings_.add(b);
        if (trace_) calendar_.schedule(b.slot_abs, EventKind::appt_due, id);
        if (!b.no_show) calendar_.schedule(b.arrival_abs, EventKind::appt_arrival, id);
      }
    }
  }

  // The next walk-in arrival event at or after t (absolute), within the day's ticket hours.
  void schedule_next_arrival(double t, std::uint32_t day) {
    const double base = base_of(day);
    const double stop = base + day_ticket_stop_[day];
    const double f = day_factor_[day] * walk_in_share_ / citizens_per_event_;
    const Demand& dem = ops_.demand;
    if (f <= 0.0) return;
    if (dem.kind == Demand::Kind::sinusoid) {
      // Thinning (Lewis and Shedler 1979) against the peak rate.
      const double peak = (dem.mean_per_h + std::fabs(dem.amplitude_per_h)) * f / 3600.0;
      if (peak <= 0.0) return;
      const double omega = 2.0 * 3.141592653589793 / (dem.period_h * 3600.0);
      for (;;) {
        t += arrivals_rng_.exponential(1.0 / peak);
        if (t >= stop) return;
        const double rate = (dem.mean_per_h + dem.amplitude_per_h * std::sin(omega * t)) * f / 3600.0;
        if (arrivals_rng_.uniform01() * peak <= rate) break;
      }
    } else {
      // Piecewise-constant rate per block: invert the cumulative rate with
      // one exponential draw (exact, and one number per arrival).
      const auto& profile = dem.arrivals_per_block[day_weekday_[day]];
      const double block_s = dem.block_min * 60.0;
      double e = arrivals_rng_.exponential(1.0);
      double tod = t - base;
      for (;;) {
        if (tod < dem.profile_start_s) tod = dem.profile_start_s;
        const auto k = static_cast<std::size_t>((tod - dem.profile_start_s) / block_s);
        if (k >= profile.size() || base + tod >= stop) return;
        const double end = dem.profile_start_s + static_cast<double>(k + 1) * block_s;
        const double rate = profile[k] * f / block_s;
        if (rate > 0.0 && e <= rate * (end - tod)) {
          tod += e / rate;
          break;
        }
        e -= rate * (end - tod);
        tod = end;
      }
      t = base + tod;
      if (t >= stop) return;
    }
    // The arrival process goes on from t; the citizen comes in at opening at the earliest.
    arrival_clock_ = t;
    calendar_.schedule(std::max(t, base + ops_.roster.open_s), EventKind::arrival, day);
  }

  std::uint32_t new_citizen() {
    std::uint32_t ci;
    if (!free_.empty()) {
      ci = free_.back();
      free_.pop_back();
    } else {
      cits_.emplace_back();
      ci = static_cast<std::uint32_t>(cits_.size() - 1);
    }
    // The slot's generation survives reuse: events left from its previous
    // occupant (an abandonment timer, an arrival at a seat) stay stale.
    Citizen& c = cits_[ci];
    const std::uint32_t gen = c.gen + 1;
    c = Citizen{};
    c.gen = gen;
    return ci;
  }

  double walk_s(const Leg& l, const Citizen& c) const {
    return l.level_m / c.speed_mps + l.stair_m / ops_.walking.stair_speed_mps;
  }

  // The citizen's attributes, always drawn in this order from the given
  // stream, so every variant of a hall sees the same people.
  void draw_attributes(Citizen& c, RandomStream& rng) {
    const double u = rng.uniform01();
    c.matter = m_.demand_matters[static_cast<std::size_t>(
        std::lower_bound(m_.demand_cdf.begin(), m_.demand_cdf.end(), u) - m_.demand_cdf.begin())];
    c.patience_s = m_.has_patience ? m_.patience.draw(rng) : 0.0;
    const Walking& w = ops_.walking;
    // The walking speed only when people walk (a scenario-wide switch, so
    // variants compared with common random numbers draw alike).
    c.speed_mps = walking_ ? static_cast<float>(std::clamp(w.speed_mean_mps + w.speed_sd_mps * rng.normal(),
                                                           w.speed_min_mps, w.speed_max_mps))
                           : static_cast<float>(w.speed_mean_mps);
    const std::uint32_t n_entr = m_.entrances.empty() ? 1 : static_cast<std::uint32_t>(m_.entrances.size());
    c.entrance = rng.below(n_entr);
    c.priority = rng.uniform01() < ops_.demand.priority_share;
    c.u_self = rng.uniform01();
    c.u_backoffice = rng.uniform01();
    c.u_pickup = rng.uniform01();
    c.answers = rng.uniform01() >= ops_.roster.no_answer_rate;
  }

  // Comes in through the entrance: counted, traced.
  void enter(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    c.entered_abs = now_;
    ++inside_;
    ++result_.customers;
    kpis_.in_hall(day_, inside_);
    if (trace_)
      emit_person(EventType::entered, c, [&](TraceEvent& e) {
        if (!m_.entrances.empty()) {
          e.door = m_.entrance_ids[c.entrance];
          at(e, m_.entrances[c.entrance]);
        }
      });
  }

  void walk_in(std::uint32_t day) {
    schedule_next_arrival(arrival_clock_, day);
    int size = 1;
    if (ops_.demand.groups && ops_.demand.groups->share > 0.0) {
      const Groups& g = *ops_.demand.groups;
      const double u = citizen_rng_.uniform01();
      const auto span = static_cast<std::uint32_t>(g.size_max - g.size_min + 1);
      const int k = g.size_min + static_cast<int>(citizen_rng_.below(span));
      if (u < g.share) size = k;
    }
    // The crowd an arriving (group of) citizen(s) sees decides balking.
    const double u_balk = citizen_rng_.uniform01();
    const bool balk = u_balk < balk_probability(waiting_total_);
    const bool refused = opt_.admission && (opt_.admission->appointment_only ||
                                            (opt_.admission->cap > 0 && inside_ + size > opt_.admission->cap));
    std::uint32_t first_entrance = kNone;
    for (int k = 0; k < size; ++k) {
      const std::uint32_t ci = new_citizen();
      Citizen& c = cits_[ci];
      c.number = ++next_number_;
      c.day = day;
      draw_attributes(c, citizen_rng_);
      if (first_entrance == kNone) first_entrance = c.entrance;
      c.entrance = first_entrance;  // a group comes in together
      if (refused) {  // turned away at the door: never inside (the attributes were drawn: same streams)
        ++result_.arrivals, ++result_.balked, ++result_.turned_away;
        kpis_.arrived(day, tod(now_), c.matter, c.priority);
        kpis_.balked(day, tod(now_), c.matter);
        c.st = Citizen::St::gone;
        free_.push_back(ci);
        continue;
      }
      enter(ci);
      ++result_.arrivals;
      kpis_.arrived(day, tod(now_), c.matter, c.priority);
      if (balk) {
        ++result_.balked;
        kpis_.balked(day, tod(now_), c.matter);
        c.st = Citizen::St::leaving;
        leave(ci);
        continue;
      }
      start_journey(ci);
    }
  }

  double balk_probability(std::uint32_t waiting) const {
    if (!ops_.demand.balking) return 0.0;
    const auto& curve = ops_.demand.balking->curve;
    if (curve.empty()) return 0.0;
    const double n = waiting;
    if (n <= curve.front().first) return n < curve.front().first ? 0.0 : curve.front().second;
    for (std::size_t i = 1; i < curve.size(); ++i)
      if (n <= curve[i].first) {
        const auto [x0, y0] = curve[i - 1];
        const auto [x1, y1] = curve[i];
        return y0 + (y1 - y0) * (n - x0) / (x1 - x0);
      }
    return curve.back().second;
  }

  void appointment_due(std::uint32_t b) {
    // Trace only: the slot begins (the holder may be early, late, or absent).
    const Booking& bk = bookings_[b];
    TraceEvent e;
    stamp(e);
    e.type = EventType::appointment;
    e.entity = fmt::format("C{:06d}", bk.number);
    e.kind = EntityKind::citizen;
    e.ticket = fmt::format("APP-{:06d}", bk.number);
    trace_->write(e);
    booking_event_done(b);
  }

  void booking_event_done(std::uint32_t b) {
    if (--bookings_[b].pending_events == 0) bookings_.release(b);
  }

  void appointment_arrives(std::uint32_t b) {
    const Booking bk = bookings_[b];  // a copy: the slot is released below
    booking_event_done(b);
    const std::uint32_t ci = new_citizen();
    Citizen& c = cits_[ci];
    c.number = bk.number;
    c.day = bk.day;
    draw_attributes(c, citizen_rng_);
    c.appt = true;
    c.slot_abs = bk.slot_abs;
    result_.appointment_lateness_sum_s += now_ - bk.slot_abs;
    enter(ci);
    ++result_.arrivals;
    kpis_.arrived(c.day, tod(now_), c.matter, c.priority);
    start_journey(ci);  // booked citizens do not balk
  }

  // First visits: the guide desk for some, then self-service or a ticket.
  void start_journey(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    const double u_desk = citizen_rng_.uniform01();
    if (m_.has_desk && u_desk < m_.desk_share) {
      c.desk = m_.desk_of_entrance.empty() ? 0 : m_.desk_of_entrance[c.entrance];
      c.st = Citizen::St::to_desk;
      if (walking_) {
        begin_walk(c, m_.entrances[c.entrance], m_.desks[c.desk], walk_s(m_.entrance_to_desk[c.entrance], c),
                   [&](TraceEvent& e) { e.device = m_.desk_ids[c.desk]; });
        calendar_.schedule(c.walk_end, EventKind::at_desk, ci);
      } else {
        reach_desk(ci);
      }
      return;
    }
    after_desk(ci, false);
  }

  void after_desk(std::uint32_t ci, bool from_desk) {
    Citizen& c = cits_[ci];
    if (c.u_self < m_.self_share[c.matter]) {
      c.kiosk = from_desk ? (m_.kiosk_of_desk.empty() ? 0 : m_.kiosk_of_desk[c.desk])
                          : (m_.kiosk_of_entrance.empty() ? 0 : m_.kiosk_of_entrance[c.entrance]);
      c.st = Citizen::St::to_kiosk;
      if (walking_) {
        const Leg leg = from_desk ? m_.desk_to_kiosk[c.desk] : m_.entrance_to_kiosk[c.entrance];
        begin_walk(c, from_desk ? m_.desks[c.desk] : m_.entrances[c.entrance], m_.kiosks[c.kiosk],
                   walk_s(leg, c), [&](TraceEvent& e) { e.device = m_.kiosk_ids[c.kiosk]; });
        calendar_.schedule(c.walk_end, EventKind::at_kiosk, ci);
      } else {
        reach_kiosk(ci);
      }
      return;
    }
    c.machine = walking_ ? (from_desk ? m_.machine_of_desk[c.desk] : m_.machine_of_entrance[c.entrance]) : 0;
    c.st = Citizen::St::to_machine;
    if (walking_) {
      const Leg leg = from_desk ? m_.desk_to_machine[c.desk] : m_.entrance_to_machine[c.entrance];
      begin_walk(c, from_desk ? m_.desks[c.desk] : m_.entrances[c.entrance], m_.machines[c.machine],
                 walk_s(leg, c), [&](TraceEvent& e) { e.device = m_.machine_ids[c.machine]; });
      calendar_.schedule(c.walk_end, EventKind::at_ticket, ci);
    } else {
      take_ticket(ci);
    }
  }

  // ------------------------------------------------------------ trace-driven what-if
  // The day's logged citizens and the observed presence of its windows.
  void schedule_external_day(std::uint32_t day) {
    const double base = base_of(day), end = base + kDay_s;
    while (ext_next_ < ext_->visits.size() && ext_->visits[ext_next_].ticket_s < end) {
      if (ext_->visits[ext_next_].ticket_s >= base)
        calendar_.schedule(ext_->visits[ext_next_].ticket_s, EventKind::external_arrival,
                           static_cast<std::uint32_t>(ext_next_));
      ++ext_next_;
    }
    for (std::size_t i = 0; i < ext_->presence.size(); ++i) {
      const PresenceInterval& p = ext_->presence[i];
      if (p.start_s < base || p.start_s >= end || p.end_s <= p.start_s) continue;
      const std::uint32_t s = presence_staff(p);
      if (s == kNone) continue;  // no roster member at this window to staff it
      if (p.visit != kNone)
        calendar_.schedule(p.start_s, EventKind::logged_pickup, static_cast<std::uint32_t>(i), day);
      else
        calendar_.schedule(p.start_s, EventKind::shift_start, s, day);
      calendar_.schedule(p.end_s, EventKind::shift_end, s, day);
      // A logged pickup's server is on duty for its slot, as long as the
      // logged service lasted (the interval itself is only the wait for a call).
      const double on_duty_s =
          p.visit != kNone ? std::max(p.end_s - p.start_s, ext_->visits[p.visit].service_s) : p.end_s - p.start_s;
      kpis_.window_rostered_at(p.window, tod(p.start_s), on_duty_s);
      result_.rostered_s += on_duty_s;
    }
  }

  // The roster member who works an observed presence interval.
  std::uint32_t presence_staff(const PresenceInterval& p) const {
    const auto& at = m_.staff_of_window[p.window];
    std::uint32_t s = at.empty() ? kNone : at.front();
    if (p.staff != kNone && std::find(at.begin(), at.end(), p.staff) != at.end()) s = p.staff;
    return s;
  }

  // A logged pickup is a slot of the server's logged work: it starts when the
  // log's service started and lasts as long as that service did, whoever it
  // serves. The server takes the citizen it took in the log when they are
  // waiting in one of its queues (the log's own decision), else whom the
  // window's calling policy picks; nobody waiting: the slot lapses at the
  // interval's end. Durations belong to the slots so that a server's day keeps
  // the log's shape in a changed hall: a citizen served earlier by an added
  // window frees a slot for the next one, and nobody's later slots are pushed
  // back by a longer service they did not have in the log.
  void logged_pickup(std::uint32_t presence, std::uint32_t day) {
    const PresenceInterval& p = ext_->presence[presence];
    const std::uint32_t s = presence_staff(p);
    if (slot_visit_.size() != staff_.size()) slot_visit_.assign(staff_.size(), kNone);
    if (staff_[s].st == StaffState::St::busy) {
      // Still in the previous slot (the log's two-at-once services go to a
      // second person, so only by a slot that started late): taken when free.
      if (deferred_pickups_.size() != staff_.size()) deferred_pickups_.resize(staff_.size());
      deferred_pickups_[s].push_back(p.visit);
    } else {
      slot_visit_[s] = p.visit;
    }
    staff_on(s, EventKind::shift_start, day);
  }

  // free_staff: a slot the server was too busy for, taken now.
  bool take_deferred_pickup(std::uint32_t s) {
    while (s < deferred_pickups_.size() && !deferred_pickups_[s].empty()) {
      slot_visit_[s] = deferred_pickups_[s].front();
      deferred_pickups_[s].pop_front();
      if (try_call(s)) return true;
      slot_visit_[s] = kNone;  // nobody waiting for it: the slot lapses
    }
    return false;
  }

  // The slot staff member s works now (kNone: none, or not a replay).
  std::uint32_t slot_of(std::uint32_t s) const { return s < slot_visit_.size() ? slot_visit_[s] : kNone; }

  // The citizen of the slot's logged visit when they wait in one of staff
  // member s's queues; kNone otherwise.
  std::uint32_t logged_choice(std::uint32_t s) const {
    const std::uint32_t v = slot_of(s);
    if (v == kNone || v >= ext_citizen_.size() || !ext_->logged_choices) return kNone;
    const std::uint32_t ci = ext_citizen_[v];
    if (ci == kNone) return kNone;
    const Citizen& c = cits_[ci];
    if (c.ext != v || c.st != Citizen::St::waiting) return kNone;
    const auto& qs = m_.staff[s].queues;
    return std::find(qs.begin(), qs.end(), c.queue) != qs.end() ? ci : kNone;
  }

  // try_call chose citizen ci for staff member s: a slot gives the service its length.
  void fill_slot(std::uint32_t s, std::uint32_t ci) {
    const std::uint32_t v = slot_of(s);
    if (v == kNone) return;
    if (ext_->visits[v].service_s >= 0.0) cits_[ci].service_given = ext_->visits[v].service_s;
    slot_visit_[s] = kNone;
  }

  void external_arrives(std::uint32_t idx) {
    const ExternalVisit& v = ext_->visits[idx];
    if (v.matter >= m_.queues_of_matter.size() || m_.queues_of_matter[v.matter].empty()) {
      ++result_.external_skipped;  // no window of this hall serves the matter
      return;
    }
    const std::uint32_t ci = new_citizen();
    Citizen& c = cits_[ci];
    c.number = ++next_number_;
    c.day = day_;
    draw_attributes(c, citizen_rng_);  // walking speed and entrance; the rest is observed
    c.matter = v.matter;
    c.priority = v.priority;
    c.patience_s = v.patience_s;
    c.service_given = v.service_s;
    c.ext = idx;
    if (ext_citizen_.size() != ext_->visits.size()) ext_citizen_.assign(ext_->visits.size(), kNone);
    ext_citizen_[idx] = ci;
    c.answers = true;
    c.u_self = 1.0;
    c.u_backoffice = 1.0;
    c.machine = walking_ && !m_.machine_of_entrance.empty() ? m_.machine_of_entrance[c.entrance] : 0;
    enter(ci);
    ++result_.arrivals;
    kpis_.arrived(c.day, tod(now_), c.matter, c.priority);
    take_ticket(ci);
  }

  // ------------------------------------------------------------ guide desk and kiosks
  void reach_desk(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    ServerPool& d = desks_[c.desk];
    c.st = Citizen::St::desk_wait;
    if (d.busy < d.servers) {
      ++d.busy;
      start_desk(ci);
    } else {
      d.fifo.push_back(ci);
    }
  }

  void start_desk(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    c.st = Citizen::St::at_desk;
    c.service_abs = now_;
    if (trace_)
      emit_person(EventType::service_start, c, [&](TraceEvent& e) { e.device = m_.desk_ids[c.desk]; });
    calendar_.schedule(now_ + m_.desk_time.draw(desk_rng_), EventKind::desk_end, ci);
  }

  void end_desk(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    ServerPool& d = desks_[c.desk];
    if (trace_)
      emit_person(EventType::service_end, c, [&](TraceEvent& e) { e.device = m_.desk_ids[c.desk]; });
    if (!d.fifo.empty()) {
      const std::uint32_t next = d.fifo.front();
      d.fifo.pop_front();
      start_desk(next);
    } else {
      --d.busy;
    }
    after_desk(ci, true);
  }

  void reach_kiosk(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    c.st = Citizen::St::kiosk_wait;
    if (kiosks_.busy < kiosks_.servers) {
      ++kiosks_.busy;
      start_kiosk(ci);
    } else {
      kiosks_.fifo.push_back(ci);
    }
  }

  void start_kiosk(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    c.st = Citizen::St::at_kiosk;
    if (trace_)
      emit_person(EventType::service_start, c, [&](TraceEvent& e) { e.device = m_.kiosk_ids[c.kiosk]; });
    calendar_.schedule(now_ + m_.self_service[c.matter].draw(kiosk_rng_), EventKind::kiosk_end, ci);
  }

  void end_kiosk(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    if (trace_)
      emit_person(EventType::service_end, c, [&](TraceEvent& e) { e.device = m_.kiosk_ids[c.kiosk]; });
    ++result_.served_self;
    kpis_.served_self(c.day, tod(c.entered_abs), c.matter);
    if (!kiosks_.fifo.empty()) {
      const std::uint32_t next = kiosks_.fifo.front();
      kiosks_.fifo.pop_front();
      start_kiosk(next);
    } else {
      --kiosks_.busy;
    }
    c.st = Citizen::St::leaving;
    if (!walking_) {
      leave(ci);
      return;
    }
    const std::size_t ne = m_.entrances.size();
    begin_walk(c, m_.kiosks[c.kiosk], m_.entrances[c.entrance],
               walk_s(m_.kiosk_to_entrance[c.kiosk * ne + c.entrance], c),
               [&](TraceEvent& e) { e.door = m_.entrance_ids[c.entrance]; });
    calendar_.schedule(c.walk_end, EventKind::gone, ci);
  }

  // ------------------------------------------------------------ tickets and waiting
  void take_ticket(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    c.ticket_abs = now_;
    c.ticket_tod = now_ - base_of(c.day);
    c.order = ++ticket_order_;
    c.ticket_no = ++tickets_per_day_[std::min<std::size_t>(day_, tickets_per_day_.size() - 1)];
    // Route the ticket: pickups to the pickup windows; others to the
    // candidate queue of their matter with the fewest waiting.
    std::uint32_t q;
    if (c.pickup && m_.pickup_queue != kNone) {
      q = m_.pickup_queue;
    } else {
      const auto& cand = m_.queues_of_matter[c.matter];
      q = cand[0];
      for (std::uint32_t k : cand)
        if (queues_[k].waiting < queues_[q].waiting) q = k;
    }
    c.queue = q;
    if (result_.observation && !c.pickup) {
      c.obs = static_cast<std::uint32_t>(result_.observation->tickets.size());
      result_.observation->tickets.push_back(TicketRecord{now_, -1.0, false, c.matter});
    }
    c.lane = c.appt ? 2 : c.priority ? 1 : 0;
    c.st = Citizen::St::waiting;
    queues_[q].lanes[c.lane].push(Entry{ci, c.order});
    ++queues_[q].waiting;
    ++waiting_total_;
    if (trace_)
      emit_person(EventType::ticket_issued, c, [&](TraceEvent& e) {
        if (walking_) {
          e.device = m_.machine_ids[c.machine];
          at(e, m_.machines[c.machine]);
        }
      });
    if ((m_.has_patience || ext_) && !c.pickup && std::isfinite(c.patience_s))
      calendar_.schedule(now_ + c.patience_s, EventKind::abandon, ci, c.gen);
    if (seats_on_) go_to_spot(ci);
    dispatch(q);
  }

  template <class F>
  void begin_walk(Citizen& c, FloorPoint from, FloorPoint to, double seconds, F&& dest) {
    c.from = from;
    c.to = to;
    c.walk_start = now_;
    c.walk_end = now_ + seconds;
    if (trace_)
      emit_person(EventType::walk_start, c, [&](TraceEvent& e) {
        at(e, from);
        dest(e);
      });
  }

  // A seat on the matter's floor if one is free (always, without the seat
  // limit), else a standing spot.
  void go_to_spot(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    c.floor = m_.home_floor[c.matter];
    const std::uint32_t mi = c.machine;
    c.seat = kNone;
    for (std::uint32_t s : m_.seat_order[c.floor])
      if (!seat_taken_[s]) {
        c.seat = s;
        break;
      }
    if (c.seat == kNone && !ops_.walking.seat_limit && !m_.seat_order[c.floor].empty())
      c.seat = m_.seat_order[c.floor].front();  // no limit: share the first seat
    if (c.seat != kNone) {
      ++seat_taken_[c.seat];
      c.seated = true;
    } else {
      c.seated = false;
      standing_fifo_[c.floor].push_back({ci, c.order});
    }
    if (!walking_) {
      c.at_spot = true;
      arrived_at_spot(c);
      return;
    }
    const FloorPoint from = m_.machines[mi];
    if (c.seated)
      begin_walk(c, from, m_.seats[c.seat], walk_s(m_.machine_to_seat[mi * m_.seats.size() + c.seat], c),
                 [&](TraceEvent& e) { e.seat = m_.hall().seats[c.seat].id; });
    else
      begin_walk(c, from, m_.standing[c.floor],
                 walk_s(m_.machine_to_standing[mi * m_.standing.size() + c.floor], c), [](TraceEvent&) {});
    calendar_.schedule(c.walk_end, EventKind::at_seat, ci, c.gen);
  }

  void reach_spot(std::uint32_t ci, std::uint32_t gen) {
    Citizen& c = cits_[ci];
    if (c.gen != gen || c.st != Citizen::St::waiting) return;  // called or gone meanwhile
    c.at_spot = true;
    arrived_at_spot(c);
  }

  void arrived_at_spot(Citizen& c) {
    if (!c.seated) {
      ++standing_;
      kpis_.waiting_standing(day_, standing_);
    }
    if (trace_)
      emit_person(c.seated ? EventType::seated : EventType::standing, c, [&](TraceEvent& e) {
        if (c.seated) {
          e.seat = m_.hall().seats[c.seat].id;
          at(e, m_.seats[c.seat]);
        } else if (!m_.standing.empty()) {
          at(e, m_.standing[c.floor]);
        }
      });
  }

  // The citizen's waiting place is given up (called or abandoned).
  void release_spot(Citizen& c) {
    if (!seats_on_) return;
    if (!c.seated) {
      if (c.at_spot) --standing_;
      return;
    }
    if (c.seat == kNone) return;
    if (seat_taken_[c.seat] > 0) --seat_taken_[c.seat];
    if (!ops_.walking.seat_limit) return;
    // The longest-standing citizen on the floor takes the seat.
    auto& fifo = standing_fifo_[c.floor];
    while (!fifo.empty()) {
      const Entry e = fifo.front();
      fifo.pop_front();
      Citizen& s = cits_[e.citizen];
      if (s.order != e.order || s.st != Citizen::St::waiting || s.seated) continue;
      s.seated = true;
      s.seat = c.seat;
      seat_taken_[c.seat] = 1;
      if (s.at_spot) {
        --standing_;
        if (trace_)
          emit_person(EventType::seated, s, [&](TraceEvent& ev) {
            ev.seat = m_.hall().seats[s.seat].id;
            at(ev, m_.seats[s.seat]);
          });
      }
      break;
    }
  }

  void abandon(std::uint32_t ci, std::uint32_t gen) {
    Citizen& c = cits_[ci];
    if (c.gen != gen || c.st != Citizen::St::waiting) return;
    ++c.gen;
    --queues_[c.queue].waiting;
    --waiting_total_;
    c.st = Citizen::St::leaving;
    kpis_.abandoned(c.day, c.ticket_tod, c.matter, c.priority);
    ++result_.abandoned;
    if (c.obs != kNone) result_.observation->tickets[c.obs].abandoned = true;
    if (trace_) emit_person(EventType::abandoned, c, [](TraceEvent&) {});
    release_spot(c);
    walk_out(ci, c.seated && c.seat != kNone ? Place::seat : Place::standing);
  }

  enum class Place { seat, standing, window };

  void walk_out(std::uint32_t ci, Place from) {
    Citizen& c = cits_[ci];
    c.st = Citizen::St::leaving;
    if (!walking_) {
      leave(ci);
      return;
    }
    const std::size_t ne = m_.entrances.size();
    Leg leg;
    FloorPoint p;
    if (from == Place::window) {
      const std::uint32_t w = m_.staff[c.staff].window;
      leg = m_.window_to_entrance[w * ne + c.entrance];
      p = m_.windows[w];
    } else if (from == Place::seat && c.at_spot) {
      leg = m_.seat_to_entrance[c.seat * ne + c.entrance];
      p = m_.seats[c.seat];
    } else {
      leg = m_.standing_to_entrance[c.floor * ne + c.entrance];
      p = m_.standing[c.floor];
    }
    begin_walk(c, p, m_.entrances[c.entrance], walk_s(leg, c),
               [&](TraceEvent& e) { e.door = m_.entrance_ids[c.entrance]; });
    calendar_.schedule(c.walk_end, EventKind::gone, ci);
  }

  void leave(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    c.st = Citizen::St::gone;
    --inside_;
    if (trace_)
      emit_person(EventType::left, c, [&](TraceEvent& e) {
        if (walking_ && !m_.entrances.empty()) {
          e.door = m_.entrance_ids[c.entrance];
          at(e, m_.entrances[c.entrance]);
        }
      });
    free_.push_back(ci);
  }

  // ------------------------------------------------------------ calling
  // A ticket joined queue q: the idle staff member who has waited longest calls it.
  // When that one may not call (a window closed by a disruption), the next
  // longest idle tries, and so on: without disruptions the first always calls.
  void dispatch(std::uint32_t q) {
    const auto& cand = m_.staff_of_queue[q];
    // Candidates in order of (idle_since, position in cand): the key of the last one tried.
    double last_idle = -HUGE_VAL;
    std::size_t last_pos = 0;
    bool first = true;
    for (;;) {
      std::size_t best = cand.size();
      for (std::size_t k = 0; k < cand.size(); ++k) {
        const StaffState& st = staff_[cand[k]];
        if (st.st != StaffState::St::idle || st.off_pending) continue;
        if (!first && std::tie(st.idle_since, k) <= std::tie(last_idle, last_pos)) continue;
        if (best == cand.size() || st.idle_since < staff_[cand[best]].idle_since) best = k;
      }
      if (best == cand.size() || try_call(cand[best]) || opt_.disruptions.empty()) return;
      first = false;
      last_idle = staff_[cand[best]].idle_since, last_pos = best;
    }
  }

  // Drops the lane's first entries whose citizen no longer waits there
  // (abandoned, or called past it while a matter was held).
  void drop_gone(Fifo& f) const {
    while (!f.empty()) {
      const Entry& e = f.items[f.head];
      const Citizen& c = cits_[e.citizen];
      if (c.order == e.order && c.st == Citizen::St::waiting) return;
      ++f.head;
    }
  }

  // A waiting citizen's key under a calling policy, from lane l (0 normal,
  // 1 priority, 2 appointment): (rank, time), compared before the ticket
  // order, lower first.
  std::pair<int, double> call_key(CallingPolicy policy, std::uint32_t l, const Citizen& c) const {
    switch (policy) {
      case CallingPolicy::fifo:
        break;
      case CallingPolicy::priority:
        return {l == 1 ? 0 : 1, 0.0};
      case CallingPolicy::longest_wait:
        return {0, c.entered_abs};  // the whole time in the hall, guide desk included
      case CallingPolicy::appointments_first: {
        const int rank = (l == 2 && c.slot_abs <= now_) ? 0 : 1;
        return {rank, rank == 0 ? c.slot_abs : 0.0};
      }
    }
    return {0, 0.0};
  }

  // Whether a closed disruption for some matters keeps staff member s's window
  // from calling a visit of `matter` now.
  bool held(std::uint32_t s, std::uint32_t matter, bool pickup) const {
    for (const Disruption& d : opt_.disruptions)
      if (d.mode == DisruptionMode::close && d.covers(now_) && d.affects(m_.staff[s].window) &&
          d.affects_visit(matter, pickup))
        return true;
    return false;
  }
  bool held(std::uint32_t s, const Citizen& c) const { return held(s, c.matter, c.pickup); }

  // The next ticket for staff member s by the window's calling policy. Keys
  // compare (rank, time, ticket order): lower first. While the window is closed
  // for some matters (sim/ops/disruption.hpp), the choice is the same among the
  // first ticket of each lane that is not held; a ticket called past held ones
  // leaves its lane entry behind, skipped later like an abandoned one (the
  // citizen is no longer waiting).
  bool try_call(std::uint32_t s) {
    // A closed window calls nobody; closed for some matters only, it skips their visits.
    bool holds = false;
    for (const Disruption& d : opt_.disruptions)
      if (d.mode == DisruptionMode::close && d.covers(now_) && d.affects(m_.staff[s].window)) {
        if (d.matters.empty()) return false;
        holds = true;
      }
    const auto callable = [&](const Citizen& c) { return !holds || !held(s, c); };
    if (const std::uint32_t ci = logged_choice(s); ci != kNone && callable(cits_[ci])) {
      // The log's own decision. Its lane entry stays behind and is skipped
      // like an abandoned one (the citizen is no longer waiting).
      call_waiting(s, ci);
      return true;
    }
    const CallingPolicy policy = m_.staff[s].policy;
    std::uint32_t best_q = kNone, best_lane = 0;
    std::size_t best_at = 0;
    int best_rank = 0;
    double best_time = 0.0;
    std::uint64_t best_order = 0;
    for (std::uint32_t q : m_.staff[s].queues) {
      TicketQueue& tq = queues_[q];
      if (tq.waiting == 0) continue;
      // A queue of one matter whose pickups queue elsewhere is held whole.
      if (holds && m_.queues[q].matter != kNone && m_.pickup_queue != kNone && held(s, m_.queues[q].matter, false))
        continue;
      for (std::uint32_t l = 0; l < 3; ++l) {
        Fifo& f = tq.lanes[l];
        drop_gone(f);  // without a hold, the lane's head is then callable (or the lane empty)
        std::size_t at = f.head;
        for (; at < f.items.size(); ++at) {
          const Entry& e = f.items[at];
          const Citizen& c = cits_[e.citizen];
          if (c.order == e.order && c.st == Citizen::St::waiting && callable(c)) break;
        }
        if (at == f.items.size()) continue;
        const Entry& e = f.items[at];
        const Citizen& c = cits_[e.citizen];
        const auto [rank, time] = call_key(policy, l, c);
        if (best_q == kNone || std::tie(rank, time, e.order) < std::tie(best_rank, best_time, best_order)) {
          best_q = q, best_lane = l, best_at = at, best_rank = rank, best_time = time, best_order = e.order;
        }
      }
    }
    if (best_q == kNone) return false;
    Fifo& f = queues_[best_q].lanes[best_lane];
    const std::uint32_t ci = f.items[best_at].citizen;
    if (best_at == f.head) ++f.head;
    call_waiting(s, ci);
    return true;
  }

  // A waiting citizen leaves their queue for staff member s's window.
  void call_waiting(std::uint32_t s, std::uint32_t ci) {
    --queues_[cits_[ci].queue].waiting;
    --waiting_total_;
    fill_slot(s, ci);
    call(s, ci);
  }

  void call(std::uint32_t s, std::uint32_t ci) {
    StaffState& st = staff_[s];
    Citizen& c = cits_[ci];
    st.st = StaffState::St::busy;
    st.citizen = ci;
    ++c.gen;
    c.staff = s;
    c.st = Citizen::St::called;
    c.called_abs = now_;
    c.calls = 1;
    emit_called(c, s);
    const bool was_seated = c.seated && c.seat != kNone;
    const bool was_at_spot = c.at_spot;
    if (!c.answers) {
      // Nobody comes: the window calls again every recall interval, then gives up.
      calendar_.schedule(now_ + ops_.roster.recall_interval_s, EventKind::recall, s, c.gen);
      return;
    }
    release_spot(c);
    if (!walking_) {
      start_service(ci);
      return;
    }
    const std::uint32_t w = m_.staff[s].window;
    // From the seat or standing spot; a citizen still on the way walks from
    // where the way has brought them.
    Leg leg = was_seated ? m_.seat_to_window[c.seat * m_.windows.size() + w]
                         : m_.standing_to_window[c.floor * m_.windows.size() + w];
    FloorPoint from = was_seated ? m_.seats[c.seat] : m_.standing[c.floor];
    if (!was_at_spot && now_ < c.walk_end && c.walk_end > c.walk_start) {
      // Still on the way: the walk starts where the way has brought them, taken on the
      // straight line (an exact path here would cost a route search per call; the
      // walking time is the seat's anyway).
      const double f = (now_ - c.walk_start) / (c.walk_end - c.walk_start);
      if (c.from.floor == c.to.floor) from = {c.to.floor, c.from.p + f * (c.to.p - c.from.p)};
    }
    begin_walk(c, from, m_.windows[w], walk_s(leg, c),
               [&](TraceEvent& e) { e.window = m_.hall().windows[w].id; });
    calendar_.schedule(c.walk_end, EventKind::at_window, ci);
  }

  void emit_called(const Citizen& c, std::uint32_t s) {
    if (!trace_) return;
    const std::uint32_t w = m_.staff[s].window;
    emit_person(EventType::called, c, [&](TraceEvent& e) {
      e.window = m_.hall().windows[w].id;
      e.staff = m_.staff[s].id;
    });
  }

  void recall(std::uint32_t s, std::uint32_t gen) {
    const std::uint32_t ci = staff_[s].citizen;
    if (ci == kNone) return;
    Citizen& c = cits_[ci];
    if (c.gen != gen || c.st != Citizen::St::called) return;
    if (c.calls <= ops_.roster.recalls) {
      ++c.calls;
      emit_called(c, s);
      calendar_.schedule(now_ + ops_.roster.recall_interval_s, EventKind::recall, s, c.gen);
      return;
    }
    // Given up: a no-show. The citizen had gone (or never listened): leaves now.
    ++result_.no_show;
    kpis_.no_show(c.day, c.ticket_tod, c.matter, c.priority);
    if (trace_)
      emit_person(EventType::no_show, c,
                  [&](TraceEvent& e) { e.window = m_.hall().windows[m_.staff[s].window].id; });
    release_spot(c);
    c.st = Citizen::St::leaving;
    leave(ci);
    free_staff(s);
  }

  void start_service(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    const std::uint32_t s = c.staff;
    const std::uint32_t w = m_.staff[s].window;
    c.st = Citizen::St::at_window;
    c.service_abs = now_;
    if (!c.pickup && !skilled_[s * m_.hall().matters.size() + c.matter]) ++result_.served_without_skill;
    c.service_s = c.pickup               ? m_.backoffice[c.matter].pickup_time.draw(service_rng_[w])
                  : c.service_given >= 0 ? c.service_given
                                         : m_.service[c.matter].draw(service_rng_[w]);
    for (const Disruption& d : opt_.disruptions)  // drawn as usual, then degraded (common random numbers)
      if (d.mode != DisruptionMode::close && d.covers(now_) && d.affects(w) && d.affects_visit(c.matter, c.pickup))
        c.service_s = c.service_s * d.service_factor + d.call_overhead_s;
    if (trace_)
      emit_person(EventType::service_start, c, [&](TraceEvent& e) {
        e.window = m_.hall().windows[w].id;
        e.staff = m_.staff[s].id;
        if (walking_) at(e, m_.windows[w]);
      });
    calendar_.schedule(now_ + c.service_s, EventKind::service_end, s);
    if (opt_.platform && !c.pickup && opt_.platform->involves(c.matter)) {
      platform_wait_[s] = PlatformWait::running;
      opt_.platform->service_started(now_, c.matter, now_ + c.service_s, s);
    }
  }

  // ------------------------------------------------------------ the IT platform (platform_link.hpp)
  // A window service ends when the clerk's work and its transactions are both done.
  enum class PlatformWait : std::uint8_t { none, running, clerk_done };

  void run_platform() {
    const double until = calendar_.empty() ? HUGE_VAL : calendar_.next_time();
    while (const auto done = opt_.platform->advance(until)) {
      now_ = done->time_s;
      const std::uint32_t s = done->token;
      const bool clerk_done = platform_wait_[s] == PlatformWait::clerk_done;
      platform_wait_[s] = PlatformWait::none;
      if (clerk_done) end_service(s);
    }
  }

  void end_service(std::uint32_t s) {
    if (platform_wait_[s] == PlatformWait::running) {
      platform_wait_[s] = PlatformWait::clerk_done;  // the window waits for the platform
      return;
    }
    // A member who handed the citizen over: the successor finishes the service.
    if (staff_[s].handed_to != kNone) {
      const std::uint32_t next = staff_[s].handed_to;
      staff_[s].handed_to = kNone;
      if (staff_[next].citizen == staff_[next].inherit && staff_[next].st == StaffState::St::busy) {
        staff_[next].inherit = kNone;
        s = next;
      } else {
        // The successor has not started yet: the service ends with nobody at the window.
        const std::uint32_t ci = staff_[next].inherit;
        staff_[next].inherit = kNone;
        finish_service(ci, s);
        return;
      }
    }
    const std::uint32_t ci = staff_[s].citizen;
    finish_service(ci, s);
    free_staff(s);
  }

  void finish_service(std::uint32_t ci, std::uint32_t s) {
    Citizen& c = cits_[ci];
    const std::uint32_t w = m_.staff[s].window;
    const double busy = now_ - c.service_abs;
    kpis_.window_busy_at(w, tod(c.service_abs), busy);
    result_.busy_s += busy;
    if (trace_)
      emit_person(c.pickup ? EventType::pickup : EventType::service_end, c, [&](TraceEvent& e) {
        e.window = m_.hall().windows[w].id;
        e.staff = m_.staff[s].id;
      });
    if (c.pickup) {
      ++result_.pickups;
      kpis_.pickup(c.day, tod(now_), c.matter, w, busy);
    } else {
      ++result_.served;
      kpis_.served(c.day, c.ticket_tod, c.called_abs - c.ticket_abs, c.matter, w, busy, c.priority);
      if (c.ext != kNone) result_.external_waits[c.ext] = c.called_abs - c.ticket_abs;
      if (c.obs != kNone) result_.observation->tickets[c.obs].wait_s = c.called_abs - c.ticket_abs;
      send_to_backoffice(c);
    }
    walk_out(ci, Place::window);
  }

  void free_staff(std::uint32_t s) {
    StaffState& st = staff_[s];
    st.citizen = kNone;
    st.st = StaffState::St::idle;
    st.idle_since = now_;
    if (take_deferred_pickup(s)) return;
    if (logged_pickups_ && observed_window_[m_.staff[s].window]) {
      // A logged pickup is one call: the server is back at its next one.
      st.off_sched = now_;
      go_off(s, true);
      return;
    }
    if (st.off_pending) {
      // The last shift of the day serves everyone still holding a ticket.
      const bool last_shift = st.off_final && !observed_window_[m_.staff[s].window] &&
                              m_.staff[s].pieces.back().end_s >= day_close_[st.day];
      if (last_shift && try_call(s)) return;
      go_off(s, st.off_final);
      return;
    }
    try_call(s);
  }

  // ------------------------------------------------------------ back office and pickups
  void send_to_backoffice(const Citizen& c) {
    const BackOfficeDef& b = m_.backoffice[c.matter];
    if (!b.present || c.u_backoffice >= b.share) return;
    ++result_.backoffice_cases;
    const std::uint32_t id = cases_.add(Case{c.number, c.matter, c.ticket_no, c.u_pickup < b.pickup_share});
    if (trace_) emit_person(EventType::backoffice_start, c, [](TraceEvent&) {});
    calendar_.schedule(now_ + b.duration.draw(backoffice_rng_), EventKind::backoffice_end, id);
  }

  // The first moment at or after t when the hall issues tickets, on a simulated day.
  std::optional<double> next_open(double t) const {
    for (std::size_t d = 0; d < day_offsets_.size(); ++d) {
      const double base = base_of(static_cast<std::uint32_t>(d));
      const double open = base + ops_.roster.open_s, stop = base + day_ticket_stop_[d];
      if (t < open) return open;
      if (t < stop) return t;
    }
    return std::nullopt;
  }

  void end_backoffice(std::uint32_t id) {
    const Case k = cases_[id];  // a copy: released here unless a pickup follows
    ++result_.backoffice_done;
    if (trace_) {
      TraceEvent e;
      stamp(e);
      e.type = EventType::backoffice_end;
      e.entity = fmt::format("P{:06d}", k.number);
      e.kind = EntityKind::citizen;
      e.matter = m_.hall().matters[k.matter].id;
      trace_->write(e);
    }
    if (!k.pickup) {  // mailed
      cases_.release(id);
      return;
    }
    const auto t = next_open(now_ + m_.backoffice[k.matter].pickup_delay.draw(backoffice_rng_));
    if (!t) {
      ++result_.pickups_after_run;
      cases_.release(id);
      return;
    }
    calendar_.schedule(*t, EventKind::pickup_arrival, id);
  }

  void pickup_arrives(std::uint32_t id) {
    const Case k = cases_[id];
    cases_.release(id);
    const std::uint32_t ci = new_citizen();
    Citizen& c = cits_[ci];
    c.number = k.number;
    c.day = day_;
    draw_attributes(c, pickup_rng_);
    c.matter = k.matter;
    c.pickup = true;
    c.priority = false;
    c.answers = true;
    enter(ci);
    ++result_.pickup_visits;
    c.machine = walking_ ? m_.machine_of_entrance[c.entrance] : 0;
    c.st = Citizen::St::to_machine;
    if (walking_) {
      begin_walk(c, m_.entrances[c.entrance], m_.machines[c.machine],
                 walk_s(m_.entrance_to_machine[c.entrance], c),
                 [&](TraceEvent& e) { e.device = m_.machine_ids[c.machine]; });
      calendar_.schedule(c.walk_end, EventKind::at_ticket, ci);
    } else {
      take_ticket(ci);
    }
  }

  // ------------------------------------------------------------ staff
  // A 24-hour roster: a shift ending at midnight continues into the next
  // simulated day's shift starting at 00:00, with no overtime in between.
  bool continues_past(std::uint32_t s, std::uint32_t day) const {
    if (day + 1 >= day_offsets_.size() || day_offsets_[day + 1] != day_offsets_[day] + 1) return false;
    const StaffDef& sd = m_.staff[s];
    if (observed_window_[sd.window]) return false;  // observed presence ends where it ends
    return works_today(sd, day + 1) && !sd.pieces.empty() && sd.pieces.front().start_s == 0.0 &&
           now_ == (day_offsets_[day] + 1) * kDay_s;
  }

  void staff_on(std::uint32_t s, EventKind kind, std::uint32_t day) {
    StaffState& st = staff_[s];
    if (st.carried) {
      st.carried = false;
      st.day = day;
      return;
    }
    st.day = day;
    if (trace_) emit_staff(kind == EventKind::shift_start ? EventType::shift_start : EventType::break_end, s);
    if (st.st != StaffState::St::off) {  // still busy from before the break: just stay
      st.off_pending = false;
      return;
    }
    if (trace_) emit_window(EventType::window_open, s);
    if (st.inherit != kNone) {
      // Takes over the citizen the predecessor was serving (handover).
      st.st = StaffState::St::busy;
      st.citizen = st.inherit;
      cits_[st.inherit].staff = s;
      return;
    }
    st.st = StaffState::St::idle;
    st.idle_since = now_;
    try_call(s);
  }

  void staff_off(std::uint32_t s, EventKind kind, std::uint32_t day) {
    StaffState& st = staff_[s];
    // A logged pickup's server who already left after its call.
    if (logged_pickups_ && st.st == StaffState::St::off && observed_window_[m_.staff[s].window]) return;
    const bool final = kind == EventKind::shift_end;
    if (final && continues_past(s, day)) {
      st.carried = true;
      return;
    }
    st.off_sched = now_;
    st.off_final = final;
    if (st.st == StaffState::St::busy) {
      if (final && ops_.roster.handover && cits_[st.citizen].st == Citizen::St::at_window) {
        if (const std::uint32_t next = successor(s, day); next != kNone) {
          // Hand the citizen over to the next shift at this window: no overtime.
          st.handed_to = next;
          staff_[next].inherit = st.citizen;
          go_off(s, true);
          return;
        }
      }
      st.off_pending = true;  // finish the current citizen first
      return;
    }
    go_off(s, final);
  }

  // The member whose shift at s's window starts within the handover gap.
  std::uint32_t successor(std::uint32_t s, std::uint32_t day) const {
    const std::uint32_t w = m_.staff[s].window;
    for (std::uint32_t o : m_.staff_of_window[w]) {
      if (o == s || !works_today(m_.staff[o], day) || staff_[o].st != StaffState::St::off ||
          staff_[o].inherit != kNone)
        continue;
      const double start = base_of(day) + m_.staff[o].pieces.front().start_s;
      if (start >= now_ - 1e-9 && start <= now_ + ops_.roster.handover_gap_s) return o;
    }
    return kNone;
  }

  void go_off(std::uint32_t s, bool final) {
    StaffState& st = staff_[s];
    if (s < slot_visit_.size()) slot_visit_[s] = kNone;  // an unused slot lapses
    st.st = StaffState::St::off;
    st.off_pending = false;
    st.citizen = st.handed_to != kNone ? st.citizen : kNone;
    if (final && now_ > st.off_sched) {
      kpis_.overtime(st.day, now_ - st.off_sched);
      result_.overtime_s += now_ - st.off_sched;
    }
    if (trace_) {
      emit_window(EventType::window_close, s);
      emit_staff(final ? EventType::shift_end : EventType::break_start, s);
    }
  }

  // ------------------------------------------------------------ positions
  FloorPoint position_of(const Citizen& c, double t) const {
    if (!walking_ || t >= c.walk_end || c.walk_end <= c.walk_start) return c.to;
    const double frac = std::clamp((t - c.walk_start) / (c.walk_end - c.walk_start), 0.0, 1.0);
    const auto path = m_.routes().path(c.from, c.to);
    if (path.size() < 2) return c.to;
    double total = 0.0;
    for (std::size_t i = 1; i < path.size(); ++i)
      if (path[i].floor == path[i - 1].floor) total += distance(path[i].p, path[i - 1].p);
    double left = frac * total;
    for (std::size_t i = 1; i < path.size(); ++i) {
      if (path[i].floor != path[i - 1].floor) continue;
      const double seg = distance(path[i].p, path[i - 1].p);
      if (left <= seg && seg > 0.0)
        return {path[i].floor, path[i - 1].p + (left / seg) * (path[i].p - path[i - 1].p)};
      left -= seg;
    }
    return c.to;
  }

  FloorPoint window_point(std::uint32_t w) const {
    const Window& win = m_.hall().windows[w];
    return m_.windows.empty() ? FloorPoint{win.floor, win.position} : m_.windows[w];
  }
  FloorPoint device_point(const std::vector<FloorPoint>& pts, std::uint32_t i, FloorPoint fallback) const {
    return i < pts.size() ? pts[i] : fallback;
  }

  Snapshot snapshot() const {
    Snapshot snap;
    snap.day = static_cast<int>(std::floor(now_ / kDay_s));
    snap.time_s = now_ - snap.day * kDay_s;
    const auto& hall = m_.hall();
    // Without places (walking and the seat limit off: queueing only)
    // waiting people are put in the middle of the first floor.
    const FloorPoint centre{FloorId{0}, geom::centroid(hall.floors[0].boundary)};
    for (const Citizen& c : cits_) {
      if (c.st == Citizen::St::gone) continue;
      PersonSnapshot p;
      p.id = fmt::format("{}{:06d}", c.pickup ? 'P' : 'C', c.number);
      p.kind = EntityKind::citizen;
      p.matter = hall.matters[c.matter].id;
      FloorPoint at = centre;
      switch (c.st) {
        case Citizen::St::at_window:
          p.state = PersonState::at_window;
          p.window = hall.windows[m_.staff[c.staff].window].id;
          at = window_point(m_.staff[c.staff].window);
          break;
        case Citizen::St::at_desk:
        case Citizen::St::desk_wait:
          p.state = c.st == Citizen::St::at_desk ? PersonState::at_window : PersonState::waiting_standing;
          at = device_point(m_.desks, c.desk, centre);
          break;
        case Citizen::St::at_kiosk:
        case Citizen::St::kiosk_wait:
          p.state = c.st == Citizen::St::at_kiosk ? PersonState::at_window : PersonState::waiting_standing;
          at = device_point(m_.kiosks, c.kiosk, centre);
          break;
        case Citizen::St::waiting:
          if (c.at_spot || !walking_) {
            p.state = c.seated ? PersonState::waiting_seated : PersonState::waiting_standing;
            if (c.seated && c.seat != kNone && !m_.seats.empty()) {
              p.seat = hall.seats[c.seat].id;
              at = m_.seats[c.seat];
            } else if (!m_.standing.empty()) {
              at = m_.standing[c.floor];
            }
            break;
          }
          [[fallthrough]];
        default:
          p.state = PersonState::walking;
          if (c.st == Citizen::St::called) p.window = hall.windows[m_.staff[c.staff].window].id;
          if (walking_) at = position_of(c, now_);
          break;
      }
      p.floor = at.floor;
      p.position = at.p;
      snap.persons.push_back(std::move(p));
    }
    for (std::uint32_t s = 0; s < m_.staff.size(); ++s) {
      if (staff_[s].st == StaffState::St::off) continue;
      const Window& w = hall.windows[m_.staff[s].window];
      PersonSnapshot p;
      p.id = m_.staff[s].id;
      p.kind = EntityKind::staff;
      p.state = PersonState::at_window;
      p.window = w.id;
      p.floor = w.floor;
      // Staff sit behind the counter, opposite the citizen.
      p.position = w.position - 1.2 * w.facing;
      snap.persons.push_back(std::move(p));
    }
    return snap;
  }

  // ------------------------------------------------------------ trace
  void stamp(TraceEvent& e) const {
    e.day = static_cast<int>(std::floor(now_ / kDay_s));
    e.time_s = now_ - e.day * kDay_s;
  }
  void at(TraceEvent& e, FloorPoint p) const {
    e.position = p.p;
    e.floor = m_.hall().floors[p.floor.value].id;
  }
  template <class F>
  void emit_person(EventType type, const Citizen& c, F&& fill) {
    TraceEvent e;
    stamp(e);
    e.type = type;
    e.entity = fmt::format("{}{:06d}", c.pickup ? 'P' : 'C', c.number);
    e.kind = EntityKind::citizen;
    e.matter = m_.hall().matters[c.matter].id;
    if (c.order != 0) e.ticket = fmt::format("{}-{:03d}", m_.hall().matters[c.matter].id, c.ticket_no);
    fill(e);
    trace_->write(e);
  }
  void emit_staff(EventType type, std::uint32_t s) {
    TraceEvent e;
    stamp(e);
    e.type = type;
    e.entity = m_.staff[s].id;
    e.kind = EntityKind::staff;
    e.window = m_.hall().windows[m_.staff[s].window].id;
    trace_->write(e);
  }
  void emit_window(EventType type, std::uint32_t s) {
    TraceEvent e;
    stamp(e);
    e.type = type;
    e.entity = m_.staff[s].id;
    e.kind = EntityKind::staff;
    e.staff = m_.staff[s].id;
    e.window = m_.hall().windows[m_.staff[s].window].id;
    trace_->write(e);
  }

  RunResult finish() {
    // First visits whose outcome is not yet counted, and pickup visits not done.
    for (const Citizen& c : cits_) {
      if (c.st == Citizen::St::gone || c.st == Citizen::St::leaving) continue;
      (c.pickup ? result_.pickups_inside_at_end : result_.inside_at_end)++;
    }
    result_.kpis = kpis_.finish(events_, result_.inside_at_end);
    result_.last_event_s = now_;
    if (ext_) result_.accumulator = kpis_;
    if (opt_.carry_streams) save_streams(*opt_.carry_streams);
    return std::move(result_);
  }

  // A run cut into pieces (RunOptions::carry_streams): every stream, in a fixed order.
  std::vector<RandomStream*> streams() {
    std::vector<RandomStream*> v{&arrivals_rng_, &citizen_rng_, &booking_rng_, &pickup_rng_,
                                 &backoffice_rng_, &desk_rng_, &kiosk_rng_};
    for (auto& r : service_rng_) v.push_back(&r);
    return v;
  }
  void restore_streams(const std::vector<RandomStream>& from) {
    const auto to = streams();
    for (std::size_t i = 0; i < to.size() && i < from.size(); ++i) *to[i] = from[i];
  }
  void save_streams(std::vector<RandomStream>& to) {
    to.clear();
    for (RandomStream* r : streams()) to.push_back(*r);
  }

  const OpsModel& m_;
  const Operations& ops_;
  const RunOptions& opt_;
  TraceWriter* trace_;
  const bool walking_, seats_on_;
  kpi::KpiAccumulator kpis_;
  RandomStream arrivals_rng_, citizen_rng_, booking_rng_, pickup_rng_, backoffice_rng_, desk_rng_, kiosk_rng_;
  std::vector<RandomStream> service_rng_;
  EventCalendar calendar_;
  std::vector<Citizen> cits_;
  std::vector<std::uint32_t> free_;
  std::vector<TicketQueue> queues_;
  std::vector<StaffState> staff_;
  std::vector<PlatformWait> platform_wait_;  // by staff index
  std::vector<char> skilled_;              // staff x matters: the roster lets the member serve it
  std::vector<std::uint32_t> seat_taken_;  // citizens on each seat (more than 1 only without the seat limit)
  std::vector<std::deque<Entry>> standing_fifo_;
  std::vector<ServerPool> desks_;
  ServerPool kiosks_;
  const ExternalInput* ext_;           // trace-driven what-if, or null
  std::vector<char> observed_window_;  // windows staffed by the observed presence
  std::size_t ext_next_ = 0;
  // Replay with logged pickups: the citizen of each external visit (kNone
  // before it arrives; checked against Citizen::ext since slots are reused).
  std::vector<std::uint32_t> ext_citizen_;
  // By staff: the logged pickup (its visit) the member works now, and the
  // pickups it was too busy for, in the log's order.
  std::vector<std::uint32_t> slot_visit_;
  std::vector<std::deque<std::uint32_t>> deferred_pickups_;
  bool logged_pickups_ = false;  // some presence intervals are logged pickups
  RecyclingPool<Booking> bookings_;  // bookings with calendar events still to come
  RecyclingPool<Case> cases_;        // back-office cases not yet ended or picked up
  std::vector<int> day_offsets_, day_weekday_;
  std::vector<double> day_factor_, day_close_, day_ticket_stop_;
  std::vector<char> day_extended_;
  std::uint32_t day_ = 0;
  std::vector<std::uint32_t> tickets_per_day_;
  double now_ = 0.0;
  double arrival_clock_ = 0.0;  // time of the last arrival drawn (before opening: earlier than its event)
  double citizens_per_event_ = 1.0, walk_in_share_ = 1.0;
  std::uint64_t events_ = 0, ticket_order_ = 0;
  std::uint32_t next_number_ = 0;
  std::uint32_t waiting_total_ = 0;  // tickets waiting in all queues (balking)
  int inside_ = 0, standing_ = 0;
  RunResult result_;
};

}  // namespace

RunResult simulate(const OpsModel& model, const RunOptions& options, TraceWriter* trace) {
  Engine engine(model, options, trace);
  return engine.run();
}

}  // namespace halltwin::ops
