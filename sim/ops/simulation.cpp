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
  enum class St : std::uint8_t { to_machine, to_spot, waiting, called, at_window, leaving, gone };
  St st = St::gone;
  bool seated = false;       // waiting on a seat (else standing)
  bool at_spot = false;      // reached the seat or the standing spot
  std::uint32_t number = 0;  // 1-based visitor number of the run: entity "C000123"
  std::uint32_t matter = 0, queue = 0, seat = kNone, entrance = 0, day = 0, staff = kNone;
  std::uint32_t floor = 0;  // floor of the seat or standing spot
  std::uint32_t ticket_no = 0;
  double called_abs = 0.0;
  std::uint32_t gen = 0;  // bumped when the wait ends: stale abandon events are ignored
  float speed_mps = 1.2f;
  double patience_s = 0.0;
  double ticket_abs = 0.0, ticket_tod = 0.0;
  std::uint64_t order = 0;  // global ticket order (FIFO across queues)
  // The current walk, for positions in a snapshot.
  FloorPoint from, to;
  double walk_start = 0.0, walk_end = 0.0;
};

struct Entry {
  std::uint32_t citizen;
  std::uint64_t order;
};

// A FIFO of tickets; abandoned tickets are skipped lazily at the head.
struct TicketQueue {
  std::vector<Entry> items;
  std::size_t head = 0;
  std::uint32_t waiting = 0;
  void push(Entry e) {
    if (head > 64 && head * 2 > items.size()) {  // compact: amortised O(1), no growth
      items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(head));
      head = 0;
    }
    items.push_back(e);
    ++waiting;
  }
};

struct StaffState {
  enum class St : std::uint8_t { off, idle, busy };
  St st = St::off;
  bool off_pending = false;  // leave (break or shift end) after the current citizen
  bool off_final = false;    // the pending leave ends the shift (not a break)
  double off_sched = 0.0;    // when the roster said to leave
  double idle_since = 0.0;
  double busy_since = 0.0;
  std::uint32_t citizen = kNone;
  std::uint32_t day = 0;
  bool carried = false;  // works on past midnight into the next day's shift (24 h halls)
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
        citizen_rng_(o.seed, static_cast<std::uint64_t>(o.replication), "citizens") {
    for (const Window& w : m.hall().windows)
      service_rng_.emplace_back(o.seed, static_cast<std::uint64_t>(o.replication), "service:" + w.id);
    queues_.resize(m.queues.size());
    staff_.resize(m.staff.size());
    seat_taken_.assign(m.seats.size(), 0);
    standing_fifo_.resize(m.hall().floors.size());
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
    calendar_.reserve(1024);
  }

  RunResult run() {
    const auto start = *parse_day(opt_.start_date);
    const std::vector<int> days = open_days(m_, opt_.start_date, opt_.days);
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
      day_weekday_.push_back(weekday_of(d));
      calendar_.schedule(days[i] * kDay_s, EventKind::day_start, static_cast<std::uint32_t>(i));
    }
    if (opt_.stop_at_s) calendar_.schedule(*opt_.stop_at_s, EventKind::stop);

    // The loop: one event at a time, in time order (ties: scheduling order).
    while (!calendar_.empty()) {
      const Event e = calendar_.pop();
      now_ = e.time_s;
      ++events_;
      switch (e.kind) {
        case EventKind::day_start:
          start_day(e.a);
          break;
        case EventKind::arrival:
          arrive(e.a);
          break;
        case EventKind::at_ticket:
          take_ticket(e.a);
          break;
        case EventKind::at_seat:
          reach_spot(e.a, e.b);
          break;
        case EventKind::abandon:
          abandon(e.a, e.b);
          break;
        case EventKind::at_window:
          start_service(e.a);
          break;
        case EventKind::service_end:
          end_service(e.a);
          break;
        case EventKind::gone:
          leave(e.a);
          break;
        case EventKind::shift_start:
        case EventKind::break_end:
          staff_on(e.a, e.kind, e.b);
          break;
        case EventKind::shift_end:
        case EventKind::break_start:
          staff_off(e.a, e.kind, e.b);
          break;
        case EventKind::stop:
          result_.snapshot = snapshot();
          return finish();
      }
    }
    return finish();
  }

 private:
  static std::vector<std::string> ids(const auto& items) {
    std::vector<std::string> out;
    for (const auto& i : items) out.push_back(i.id);
    return out;
  }

  // ------------------------------------------------------------ days and arrivals
  void start_day(std::uint32_t i) {
    day_ = i;
    const double base = day_offsets_[i] * kDay_s;
    const int wd = day_weekday_[i];
    for (std::uint32_t s = 0; s < m_.staff.size(); ++s) {
      const StaffDef& sd = m_.staff[s];
      if (!sd.days[wd]) continue;
      for (std::size_t p = 0; p < sd.pieces.size(); ++p) {
        const TimeSpan& piece = sd.pieces[p];
        const bool last = p + 1 == sd.pieces.size();
        calendar_.schedule(base + piece.start_s, p == 0 ? EventKind::shift_start : EventKind::break_end, s,
                           i);
        calendar_.schedule(base + piece.end_s, last ? EventKind::shift_end : EventKind::break_start, s, i);
        kpis_.window_rostered(sd.window, piece.end_s - piece.start_s);
        result_.rostered_s += piece.end_s - piece.start_s;
      }
    }
    // A profile may start before opening (people queue at the door): its
    // arrivals are drawn from the profile's start and held until opening.
    const double from =
        ops_.demand.kind == Demand::Kind::profile ? ops_.demand.profile_start_s : ops_.roster.open_s;
    schedule_next_arrival(base + from, i);
  }

  // The next arrival at or after t (absolute), within the day's ticket hours.
  void schedule_next_arrival(double t, std::uint32_t day) {
    const double base = day_offsets_[day] * kDay_s;
    const double stop = base + ops_.roster.ticket_stop_s;
    const double f = day_factor_[day];
    const Demand& dem = ops_.demand;
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
    if (!free_.empty()) {
      const std::uint32_t c = free_.back();
      free_.pop_back();
      return c;
    }
    cits_.emplace_back();
    return static_cast<std::uint32_t>(cits_.size() - 1);
  }

  double walk_s(const Leg& l, const Citizen& c) const {
    return l.level_m / c.speed_mps + l.stair_m / ops_.walking.stair_speed_mps;
  }

  void arrive(std::uint32_t day) {
    schedule_next_arrival(arrival_clock_, day);
    const std::uint32_t ci = new_citizen();
    Citizen& c = cits_[ci];
    // The slot's generation survives reuse: events left from its previous
    // occupant (an abandonment timer, an arrival at a seat) stay stale.
    const std::uint32_t gen = c.gen + 1;
    c = Citizen{};
    c.gen = gen;
    c.st = Citizen::St::to_machine;
    c.number = ++arrived_;
    c.day = day;
    // The citizen's attributes, always drawn in this order from the citizens'
    // stream, so every variant of a hall sees the same people.
    const double u = citizen_rng_.uniform01();
    c.matter = m_.demand_matters[static_cast<std::size_t>(
        std::lower_bound(m_.demand_cdf.begin(), m_.demand_cdf.end(), u) - m_.demand_cdf.begin())];
    c.patience_s = m_.has_patience ? m_.patience.draw(citizen_rng_) : 0.0;
    const Walking& w = ops_.walking;
    c.speed_mps = static_cast<float>(std::clamp(w.speed_mean_mps + w.speed_sd_mps * citizen_rng_.normal(),
                                                w.speed_min_mps, w.speed_max_mps));
    const std::uint32_t n_entr = m_.entrances.empty() ? 1 : static_cast<std::uint32_t>(m_.entrances.size());
    c.entrance = citizen_rng_.below(n_entr);
    ++inside_;
    kpis_.in_hall(day_, inside_);
    if (trace_)
      emit_person(EventType::entered, c, [&](TraceEvent& e) {
        if (!m_.entrances.empty()) {
          e.door = m_.entrance_ids[c.entrance];
          at(e, m_.entrances[c.entrance]);
        }
      });
    if (walking_) {
      c.st = Citizen::St::to_machine;
      const std::uint32_t mi = m_.machine_of_entrance[c.entrance];
      begin_walk(c, m_.entrances[c.entrance], m_.machines[mi], walk_s(m_.entrance_to_machine[c.entrance], c),
                 [&](TraceEvent& e) { e.device = m_.machine_ids[mi]; });
      calendar_.schedule(c.walk_end, EventKind::at_ticket, ci);
    } else {
      take_ticket(ci);
    }
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

  void take_ticket(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    c.ticket_abs = now_;
    c.ticket_tod = now_ - day_offsets_[c.day] * kDay_s;
    c.order = ++ticket_order_;
    c.ticket_no = ++tickets_per_day_[c.day];
    // Route the ticket: the candidate queue with the fewest waiting.
    const auto& cand = m_.queues_of_matter[c.matter];
    std::uint32_t q = cand[0];
    for (std::uint32_t k : cand)
      if (queues_[k].waiting < queues_[q].waiting) q = k;
    c.queue = q;
    c.st = Citizen::St::waiting;
    queues_[q].push(Entry{ci, c.order});
    kpis_.ticket_issued(c.day, c.ticket_tod, c.matter);
    ++result_.arrivals;
    if (trace_)
      emit_person(EventType::ticket_issued, c, [&](TraceEvent& e) {
        if (walking_) {
          e.device = m_.machine_ids[m_.machine_of_entrance[c.entrance]];
          at(e, m_.machines[m_.machine_of_entrance[c.entrance]]);
        }
      });
    if (m_.has_patience) calendar_.schedule(now_ + c.patience_s, EventKind::abandon, ci, c.gen);
    if (seats_on_) go_to_spot(ci);
    dispatch(q);
  }

  // A seat on the matter's floor if one is free (always, without the seat
  // limit), else a standing spot.
  void go_to_spot(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    c.floor = m_.home_floor[c.matter];
    const std::uint32_t mi = walking_ ? m_.machine_of_entrance[c.entrance] : 0;
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
    c.st = Citizen::St::to_spot;
    const FloorPoint from = m_.machines[mi];
    if (c.seated)
      begin_walk(c, from, m_.seats[c.seat], walk_s(m_.machine_to_seat[mi * m_.seats.size() + c.seat], c),
                 [&](TraceEvent& e) { e.seat = m_.hall().seats[c.seat].id; });
    else
      begin_walk(c, from, m_.standing[c.floor],
                 walk_s(m_.machine_to_standing[mi * m_.standing.size() + c.floor], c), [](TraceEvent&) {});
    c.st = Citizen::St::waiting;
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
    c.st = Citizen::St::leaving;
    kpis_.abandoned(c.day, c.ticket_tod, c.matter);
    ++result_.abandoned;
    if (trace_) emit_person(EventType::abandoned, c, [](TraceEvent&) {});
    release_spot(c);
    walk_out(ci, c.seated ? (c.seat != kNone ? Place::seat : Place::standing) : Place::standing);
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
        if (walking_) {
          e.door = m_.entrance_ids[c.entrance];
          at(e, m_.entrances[c.entrance]);
        }
      });
    free_.push_back(ci);
  }

  // ------------------------------------------------------------ calling
  // A ticket joined queue q: the idle staff member who has waited longest calls it.
  void dispatch(std::uint32_t q) {
    std::uint32_t best = kNone;
    for (std::uint32_t s : m_.staff_of_queue[q])
      if (staff_[s].st == StaffState::St::idle && !staff_[s].off_pending &&
          (best == kNone || staff_[s].idle_since < staff_[best].idle_since))
        best = s;
    if (best != kNone) try_call(best);
  }

  // The oldest ticket among the staff member's queues (FIFO over its matters).
  bool try_call(std::uint32_t s) {
    std::uint32_t best_q = kNone;
    std::uint64_t best_order = 0;
    for (std::uint32_t q : m_.staff[s].queues) {
      TicketQueue& tq = queues_[q];
      while (tq.head < tq.items.size()) {
        const Entry& e = tq.items[tq.head];
        const Citizen& c = cits_[e.citizen];
        if (c.order == e.order && c.st == Citizen::St::waiting) break;
        ++tq.head;  // abandoned: skip
      }
      if (tq.head == tq.items.size()) continue;
      const std::uint64_t o = tq.items[tq.head].order;
      if (best_q == kNone || o < best_order) best_q = q, best_order = o;
    }
    if (best_q == kNone) return false;
    TicketQueue& tq = queues_[best_q];
    const std::uint32_t ci = tq.items[tq.head++].citizen;
    --tq.waiting;
    call(s, ci);
    return true;
  }

  void call(std::uint32_t s, std::uint32_t ci) {
    StaffState& st = staff_[s];
    Citizen& c = cits_[ci];
    st.st = StaffState::St::busy;
    st.busy_since = now_;
    st.citizen = ci;
    ++c.gen;
    c.staff = s;
    c.st = Citizen::St::called;
    c.called_abs = now_;
    const std::uint32_t w = m_.staff[s].window;
    if (trace_)
      emit_person(EventType::called, c, [&](TraceEvent& e) {
        e.window = m_.hall().windows[w].id;
        e.staff = m_.staff[s].id;
      });
    const bool was_seated = c.seated && c.seat != kNone;
    const bool was_at_spot = c.at_spot;
    release_spot(c);
    if (!walking_) {
      start_service(ci);
      return;
    }
    // From the seat or standing spot; a citizen still on the way walks from
    // where the way was heading (a short cut the 1 s trace would not show).
    Leg leg = was_seated ? m_.seat_to_window[c.seat * m_.windows.size() + w]
                         : m_.standing_to_window[c.floor * m_.windows.size() + w];
    FloorPoint from = was_seated ? m_.seats[c.seat] : m_.standing[c.floor];
    if (!was_at_spot && now_ < c.walk_end) from = position_of(c, now_);
    begin_walk(c, from, m_.windows[w], walk_s(leg, c),
               [&](TraceEvent& e) { e.window = m_.hall().windows[w].id; });
    calendar_.schedule(c.walk_end, EventKind::at_window, ci);
  }

  void start_service(std::uint32_t ci) {
    Citizen& c = cits_[ci];
    const std::uint32_t s = c.staff;
    const std::uint32_t w = m_.staff[s].window;
    c.st = Citizen::St::at_window;
    if (!skilled_[s * m_.hall().matters.size() + c.matter]) ++result_.served_without_skill;
    const double service = m_.service[c.matter].draw(service_rng_[w]);
    kpis_.first_call(c.day, c.ticket_tod, c.called_abs - c.ticket_abs, c.matter);
    kpis_.service(c.matter, w, service);
    ++result_.served;
    if (trace_)
      emit_person(EventType::service_start, c, [&](TraceEvent& e) {
        e.window = m_.hall().windows[w].id;
        e.staff = m_.staff[s].id;
        if (walking_) at(e, m_.windows[w]);
      });
    calendar_.schedule(now_ + service, EventKind::service_end, s);
  }

  void end_service(std::uint32_t s) {
    StaffState& st = staff_[s];
    const std::uint32_t ci = st.citizen;
    Citizen& c = cits_[ci];
    const std::uint32_t w = m_.staff[s].window;
    kpis_.window_busy(w, now_ - st.busy_since);
    result_.busy_s += now_ - st.busy_since;
    if (trace_)
      emit_person(EventType::service_end, c, [&](TraceEvent& e) {
        e.window = m_.hall().windows[w].id;
        e.staff = m_.staff[s].id;
      });
    walk_out(ci, Place::window);
    st.citizen = kNone;
    st.st = StaffState::St::idle;
    st.idle_since = now_;
    if (st.off_pending) {
      // The last shift of the day serves everyone still holding a ticket.
      if (st.off_final && m_.staff[s].ends_after_close && try_call(s)) return;
      go_off(s, st.off_final);
      return;
    }
    try_call(s);
  }

  // ------------------------------------------------------------ staff
  // A 24-hour roster: a shift ending at midnight continues into the next
  // simulated day's shift starting at 00:00, with no overtime in between.
  bool continues_past(std::uint32_t s, std::uint32_t day) const {
    if (day + 1 >= day_offsets_.size() || day_offsets_[day + 1] != day_offsets_[day] + 1) return false;
    const StaffDef& sd = m_.staff[s];
    return sd.days[day_weekday_[day + 1]] && !sd.pieces.empty() && sd.pieces.front().start_s == 0.0 &&
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
    st.st = StaffState::St::idle;
    st.idle_since = now_;
    if (trace_) emit_window(EventType::window_open, s);
    try_call(s);
  }

  void staff_off(std::uint32_t s, EventKind kind, std::uint32_t day) {
    StaffState& st = staff_[s];
    const bool final = kind == EventKind::shift_end;
    if (final && continues_past(s, day)) {
      st.carried = true;
      return;
    }
    st.off_sched = now_;
    st.off_final = final;
    if (st.st == StaffState::St::busy) {
      st.off_pending = true;  // finish the current citizen first
      return;
    }
    go_off(s, final);
  }

  void go_off(std::uint32_t s, bool final) {
    StaffState& st = staff_[s];
    st.st = StaffState::St::off;
    st.off_pending = false;
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

  Snapshot snapshot() const {
    Snapshot snap;
    snap.day = static_cast<int>(std::floor(now_ / kDay_s));
    snap.time_s = now_ - snap.day * kDay_s;
    const auto& hall = m_.hall();
    for (const Citizen& c : cits_) {
      if (c.st == Citizen::St::gone) continue;
      PersonSnapshot p;
      p.id = fmt::format("C{:06d}", c.number);
      p.kind = EntityKind::citizen;
      p.matter = hall.matters[c.matter].id;
      // Without places (walking and the seat limit off: queueing only)
      // waiting people are put in the middle of the first floor.
      FloorPoint at{FloorId{0}, geom::centroid(hall.floors[0].boundary)};
      if (c.st == Citizen::St::at_window) {
        p.state = PersonState::at_window;
        const std::uint32_t w = m_.staff[c.staff].window;
        p.window = hall.windows[w].id;
        at = m_.windows.empty() ? FloorPoint{hall.windows[w].floor, hall.windows[w].position} : m_.windows[w];
      } else if (c.st == Citizen::St::waiting && (c.at_spot || !walking_)) {
        p.state = c.seated ? PersonState::waiting_seated : PersonState::waiting_standing;
        if (c.seated && c.seat != kNone && !m_.seats.empty()) {
          p.seat = hall.seats[c.seat].id;
          at = m_.seats[c.seat];
        } else if (!m_.standing.empty()) {
          at = m_.standing[c.floor];
        }
      } else {
        p.state = PersonState::walking;
        if (c.st == Citizen::St::called) p.window = hall.windows[m_.staff[c.staff].window].id;
        if (walking_) at = position_of(c, now_);
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
    e.entity = fmt::format("C{:06d}", c.number);
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
    result_.customers = arrived_;
    // Holding a ticket, neither served nor gone: still waiting, or called
    // and on the way to the window, when the run ended.
    std::uint64_t waiting = 0;
    for (const Citizen& c : cits_)
      waiting += c.st == Citizen::St::waiting || c.st == Citizen::St::called || c.st == Citizen::St::to_spot;
    result_.inside_at_end = waiting;
    result_.kpis = kpis_.finish(events_, waiting);
    return std::move(result_);
  }

  const OpsModel& m_;
  const Operations& ops_;
  const RunOptions& opt_;
  TraceWriter* trace_;
  const bool walking_, seats_on_;
  kpi::KpiAccumulator kpis_;
  RandomStream arrivals_rng_, citizen_rng_;
  std::vector<RandomStream> service_rng_;
  EventCalendar calendar_;
  std::vector<Citizen> cits_;
  std::vector<std::uint32_t> free_;
  std::vector<TicketQueue> queues_;
  std::vector<StaffState> staff_;
  std::vector<char> skilled_;              // staff x matters: the roster lets the member serve it
  std::vector<std::uint32_t> seat_taken_;  // citizens on each seat (more than 1 only without the seat limit)
  std::vector<std::deque<Entry>> standing_fifo_;
  std::vector<int> day_offsets_, day_weekday_;
  std::vector<double> day_factor_;
  std::uint32_t day_ = 0;
  std::vector<std::uint32_t> tickets_per_day_;
  double now_ = 0.0;
  double arrival_clock_ = 0.0;  // time of the last arrival drawn (before opening: earlier than its event)
  std::uint64_t events_ = 0, ticket_order_ = 0;
  std::uint32_t arrived_ = 0;
  int inside_ = 0, standing_ = 0;
  RunResult result_;
};

}  // namespace

RunResult simulate(const OpsModel& model, const RunOptions& options, TraceWriter* trace) {
  Engine engine(model, options, trace);
  return engine.run();
}

}  // namespace halltwin::ops
