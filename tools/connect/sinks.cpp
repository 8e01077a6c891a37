#include "tools/connect/sinks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <tuple>
#include <unordered_map>

#include "model/trace/trace_reader.hpp"
#include "model/trace/trace_writer.hpp"
#include "tools/connect/importer.hpp"

namespace halltwin::connect {

// ---------------------------------------------------------------- trace
void TraceSink::day(const Catalog& c, int date_day, std::span<const Visit> visits) {
  if (!streamed_)
    for (const Visit& v : visits) add(v);
  write_until(c, (date_day + 1) * kSecondsPerDay + std::min(0.0, shift_s_));
  flush_if_live();
}

void TraceSink::early(const Catalog& c, std::span<const Visit> visits, double safe_before) {
  streamed_ = true;
  for (const Visit& v : visits) add(v);
  write_until(c, safe_before);
  flush_if_live();
}

void TraceSink::flush_if_live() {
  if (live_ && w_) w_->flush();
}

void TraceSink::add(const Visit& v) {
  const double first = v.first();
  {
    auto add = [&](EventType type, double t, bool with_ticket, bool with_window) {
      Ev e{};
      e.abs = t;
      e.first = first;
      e.seq = seq_++;
      e.row = v.row;
      e.matter = with_ticket ? v.matter : kNoId;
      e.window = with_window ? v.window : kNoId;
      e.staff = with_window ? v.staff : kNoId;
      e.type = type;
      e.ticket_len = with_ticket ? v.ticket_len : 0;
      std::memcpy(e.ticket, v.ticket_id, sizeof e.ticket);
      pending_.push_back(e);
    };
    add(EventType::entered, v.entered, false, false);
    switch (v.outcome) {
      case Outcome::served:
        if (happened(v.ticket)) add(EventType::ticket_issued, v.ticket, true, false);
        add(EventType::called, v.called, true, true);
        add(EventType::service_start, v.start, true, true);
        add(EventType::service_end, v.end, true, true);
        break;
      case Outcome::abandoned:
        add(EventType::ticket_issued, v.ticket, true, false);
        add(EventType::abandoned, v.called, true, false);
        break;
      case Outcome::no_show:
        add(EventType::ticket_issued, v.ticket, true, false);
        add(EventType::no_show, v.called, true, true);  // window: the caller
        break;
      default:
        break;
    }
    add(EventType::left, v.left, false, false);
  }
}

void TraceSink::finish(const Catalog& c) {
  write_until(c, HUGE_VAL);
  if (!w_) w_ = &open_(c);
}

void TraceSink::write_until(const Catalog& c, double horizon) {
  std::sort(pending_.begin(), pending_.end(),
            [](const Ev& a, const Ev& b) {
              return std::tie(a.abs, a.first, a.row, a.seq) < std::tie(b.abs, b.first, b.row, b.seq);
            });
  if (!w_) w_ = &open_(c);
  std::size_t i = 0;
  char buf[24];
  for (; i < pending_.size() && pending_[i].abs < horizon; ++i) {
    const Ev& ev = pending_[i];
    // Rounded to the millisecond here, so that day and time agree with the writer.
    const double ms = std::round(ev.abs * 1000.0) / 1000.0;
    e_.day = static_cast<int>(std::floor(ms / kSecondsPerDay));
    e_.time_s = ms - e_.day * kSecondsPerDay;
    e_.type = ev.type;
    buf[0] = 'V';
    auto r = std::to_chars(buf + 1, buf + sizeof buf, ev.row);
    e_.entity.assign(buf, r.ptr);
    e_.kind = EntityKind::citizen;
    e_.ticket.assign(ev.ticket, ev.ticket_len);
    e_.matter.assign(ev.matter == kNoId ? std::string_view{} : std::string_view(c.matters.text(ev.matter)));
    e_.window.assign(ev.window == kNoId ? std::string_view{} : std::string_view(c.windows.text(ev.window)));
    e_.staff.assign(ev.staff == kNoId ? std::string_view{} : std::string_view(c.staff.text(ev.staff)));
    w_->write(e_);
    ++events_;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(i));
}

// ---------------------------------------------------------------- presence
void infer_presence(std::span<const Visit> visits, double gap_s, std::vector<PresencePiece>& out) {
  out.clear();
  std::vector<PresencePiece> services;
  for (const Visit& v : visits)
    if (v.outcome == Outcome::served && v.window != kNoId) services.push_back({v.window, v.start, v.end});
  std::sort(services.begin(), services.end(), [](const PresencePiece& a, const PresencePiece& b) {
    return a.window != b.window ? a.window < b.window : a.start < b.start;
  });
  for (const auto& s : services) {
    if (!out.empty() && out.back().window == s.window && s.start - out.back().end <= gap_s)
      out.back().end = std::max(out.back().end, s.end);
    else
      out.push_back(s);
  }
}

void infer_availability(std::span<const Visit> visits, double gap_s, double grace_s,
                        std::vector<PresencePiece>& out) {
  out.clear();
  struct Service {
    std::uint32_t window;
    double start, end;
  };
  struct Queued {
    double ticket, called;
    std::uint32_t matter;
  };
  std::vector<Service> services;
  std::vector<Queued> queued;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> skills;  // (window, matter) served this date
  for (const Visit& v : visits) {
    if (v.outcome == Outcome::served && v.window != kNoId) {
      services.push_back({v.window, v.start, v.end});
      if (v.matter != kNoId) skills.emplace_back(v.window, v.matter);
    }
    if ((v.outcome == Outcome::served || v.outcome == Outcome::abandoned) && happened(v.ticket) &&
        happened(v.called) && v.called > v.ticket && v.matter != kNoId)
      queued.push_back({v.ticket, v.called, v.matter});
  }
  std::sort(skills.begin(), skills.end());
  skills.erase(std::unique(skills.begin(), skills.end()), skills.end());
  std::sort(queued.begin(), queued.end(), [](const Queued& a, const Queued& b) { return a.ticket < b.ticket; });
  std::sort(services.begin(), services.end(), [](const Service& a, const Service& b) {
    return a.window != b.window ? a.window < b.window : a.start < b.start;
  });
  // Was a call `window` serves waiting at a moment of (from, to)?
  auto left_waiting = [&](std::uint32_t window, double from, double to) {
    for (const Queued& q : queued) {
      if (q.ticket >= to) break;
      if (q.called > from && std::binary_search(skills.begin(), skills.end(), std::make_pair(window, q.matter)))
        return true;
    }
    return false;
  };
  for (const auto& s : services) {
    if (!out.empty() && out.back().window == s.window) {
      const double from = out.back().end, gap = s.start - from;
      if (gap <= grace_s || (gap <= gap_s && !left_waiting(s.window, from + grace_s, s.start))) {
        out.back().end = std::max(out.back().end, s.end);
        continue;
      }
    }
    out.push_back({s.window, s.start, s.end});
  }
}

// ---------------------------------------------------------------- observed KPIs
ObservedKpis::ObservedKpis(double target_wait_s, std::vector<std::string> matters,
                           std::vector<std::string> windows, std::set<std::string> days, bool infer)
    : acc_(target_wait_s, std::move(matters), std::move(windows)), filter_(std::move(days)), infer_(infer) {}

bool ObservedKpis::selected(const Catalog& c, int date_day) {
  const std::string date = date_of_day(c.start_date, date_day);
  if (!filter_.empty() && !filter_.count(date)) return false;
  if (dates_.empty() || dates_.back() != date) {
    dates_.push_back(date);
    acc_.day(date);
  }
  return true;
}

std::uint32_t ObservedKpis::matter_of(const Catalog& c, std::uint32_t m) {
  if (m == kNoId) return acc_.matter_index("-");
  if (m >= matter_map_.size()) matter_map_.resize(m + 1, kNoId);
  if (matter_map_[m] == kNoId) matter_map_[m] = acc_.matter_index(c.matters.text(m));
  return matter_map_[m];
}

std::uint32_t ObservedKpis::window_of(const Catalog& c, std::uint32_t w) {
  if (w >= window_map_.size()) window_map_.resize(w + 1, kNoId);
  if (window_map_[w] == kNoId) window_map_[w] = acc_.window_index(c.windows.text(w));
  return window_map_[w];
}

void ObservedKpis::day(const Catalog& c, int date_day, std::span<const Visit> visits) {
  if (!selected(c, date_day)) return;
  const std::size_t d = acc_.day_index_of(dates_.back());
  const double base = date_day * kSecondsPerDay;
  sweep_.clear();
  for (const Visit& v : visits) {
    ++visit_count;
    ++outcomes[static_cast<std::size_t>(v.outcome)];
    sweep_.emplace_back(v.entered, 1);
    sweep_.emplace_back(v.left, -1);
    if (v.pickup) {
      // Its own visit: counted as a pickup and in its window's busy time, not as an arrival.
      if (v.window != kNoId && happened(v.start) && happened(v.end)) {
        const std::uint32_t w = window_of(c, v.window);
        acc_.pickup(d, std::fmod(std::max(0.0, v.end - base), kSecondsPerDay), matter_of(c, v.matter), w,
                    v.end - v.start);
        acc_.window_busy(w, v.end - v.start);
      }
      continue;
    }
    if (v.self_served && v.outcome == Outcome::left_before_queue) {
      const std::uint32_t m = matter_of(c, v.matter);
      const double t = std::fmod(std::max(0.0, v.entered - base), kSecondsPerDay);
      acc_.arrived(d, t, m);
      acc_.served_self(d, t, m);
      continue;
    }
    if (v.outcome == Outcome::left_before_queue || v.outcome == Outcome::phantom) continue;
    const std::uint32_t m = matter_of(c, v.matter);
    // The day is the record's date; the hour that of the ticket (the call, for a served
    // visit that never queued), as a time of day.
    const double issued = happened(v.ticket) ? v.ticket : v.called;
    const double tod = std::fmod(std::max(0.0, issued - base), kSecondsPerDay);
    acc_.arrived(d, tod, m);
    switch (v.outcome) {
      case Outcome::served: {
        const std::uint32_t w = window_of(c, v.window);
        const double wait = happened(v.ticket) ? v.called - v.ticket : 0.0;
        // Busy from service_start to service_end, as docs/trace-format.md defines it.
        acc_.served(d, tod, wait, m, w, v.end - v.start);
        acc_.window_busy(w, v.end - v.start);
        if (keep_waits) waits.emplace_back(v.row, wait);
        break;
      }
      case Outcome::abandoned:
        acc_.abandoned(d, tod, m);
        break;
      case Outcome::no_show:
        acc_.no_show(d, tod, m);
        break;
      default:
        break;
    }
  }
  std::sort(sweep_.begin(), sweep_.end());
  int inside = 0;
  for (const auto& [t, delta] : sweep_) {
    inside += delta;
    acc_.in_hall(d, inside);
  }
  if (infer_) {
    infer_presence(visits, kPresenceGap_s, presence_);
    for (const auto& p : presence_) acc_.window_rostered(window_of(c, p.window), p.end - p.start);
  }
}

void ObservedKpis::rostered(const std::string& window, double seconds, int date_day, const Catalog& c) {
  const std::string date = date_of_day(c.start_date, date_day);
  if (!filter_.empty() && !filter_.count(date)) return;
  acc_.window_rostered(acc_.window_index(window), seconds);
}

// ---------------------------------------------------------------- trace input
TraceImport import_trace(const std::string& path, Catalog& catalog, const std::vector<VisitSink*>& sinks,
                         const PresenceCallback& on_presence) {
  TraceReader reader(path);
  TraceImport out;
  out.source = reader.header().source;
  out.start_date = reader.header().start_date;
  catalog.start_date = out.start_date.empty() ? "1970-01-01" : out.start_date;
  struct Open {
    Visit v;
    bool has = false;
  };
  std::unordered_map<std::string, Visit> open;
  std::map<int, std::vector<Visit>> by_day;
  struct StaffOn {
    double since = 0;
    std::string window;
    int day = 0;
  };
  // Open pieces per staff member, oldest first: at midnight the next day's shift_start may
  // come before the previous day's shift_end at the same instant.
  std::unordered_map<std::string, std::deque<StaffOn>> staff_on;
  std::unordered_map<std::string, std::string> staff_window;
  std::uint64_t row = 0;
  TraceEvent e;
  while (reader.next(e)) {
    ++out.events;
    const double t = e.absolute_s();
    if (e.kind == EntityKind::staff) {
      if (e.type == EventType::shift_start || e.type == EventType::break_end) {
        std::string& window = staff_window[e.entity];
        if (!e.window.empty()) window = e.window;
        staff_on[e.entity].push_back({t, window, e.day});
      } else if (e.type == EventType::shift_end || e.type == EventType::break_start) {
        auto it = staff_on.find(e.entity);
        if (it != staff_on.end() && !it->second.empty()) {
          const StaffOn on = it->second.front();
          it->second.pop_front();
          if (on_presence && !on.window.empty()) on_presence(on.window, on.day, on.since, t);
        }
      }
      continue;
    }
    if (e.kind != EntityKind::citizen) continue;
    // Booked slots and back-office records do not make or change a visit.
    if (e.type == EventType::appointment || e.type == EventType::backoffice_start ||
        e.type == EventType::backoffice_end)
      continue;
    auto [it, fresh] = open.try_emplace(e.entity);
    Visit& v = it->second;
    if (fresh) {
      v.row = ++row;
      v.date_day = e.day;
      v.outcome = Outcome::left_before_queue;
    }
    if (!e.ticket.empty() && v.ticket_len == 0) {
      const std::size_t n = std::min(e.ticket.size(), sizeof v.ticket_id);
      std::memcpy(v.ticket_id, e.ticket.data(), n);
      v.ticket_len = static_cast<unsigned char>(n);
    }
    if (!e.matter.empty() && v.matter == kNoId) v.matter = catalog.matters.id(e.matter);
    switch (e.type) {
      case EventType::entered:
        v.entered = t;
        break;
      case EventType::ticket_issued:
        v.self_served = false;  // the guide desk came first; the visit goes on to a window
        v.ticket = t;
        v.date_day = e.day;
        if (!happened(v.entered)) v.entered = t;
        break;
      case EventType::called:
        if (!happened(v.called)) v.called = t;
        if (!e.window.empty()) v.window = catalog.windows.id(e.window);
        if (!e.staff.empty()) v.staff = catalog.staff.id(e.staff);
        break;
      case EventType::service_start:
        if (e.window.empty()) break;  // a guide desk or a kiosk (device), not a window
        v.start = t;
        if (!happened(v.called)) v.called = t;
        v.window = catalog.windows.id(e.window);
        break;
      case EventType::service_end:
        if (e.window.empty()) {
          // A device: self-service at a kiosk when no ticket follows (the guide desk is
          // followed by a ticket or a kiosk).
          if (!happened(v.ticket)) v.self_served = true;
          break;
        }
        v.end = t;
        v.outcome = Outcome::served;
        break;
      case EventType::pickup:  // a pickup visit's service ends with `pickup`
        v.pickup = true;
        v.end = t;
        break;
      case EventType::abandoned:
        v.called = t;
        v.outcome = Outcome::abandoned;
        break;
      case EventType::no_show:
        v.called = t;
        v.outcome = Outcome::no_show;
        break;
      case EventType::left: {
        v.left = t;
        if (!happened(v.entered)) v.entered = t;
        by_day[v.date_day].push_back(v);
        open.erase(it);
        break;
      }
      default:
        break;
    }
  }
  // Still inside when the trace ends: served ones count, the others are left at their last time.
  for (auto& [id, v] : open) {
    if (v.pickup || (v.outcome == Outcome::left_before_queue && happened(v.ticket)))
      continue;  // waiting at the end
    v.left = v.first();
    by_day[v.date_day].push_back(v);
  }
  for (auto& [d, visits] : by_day) {
    std::sort(visits.begin(), visits.end(), [](const Visit& a, const Visit& b) {
      return a.first() != b.first() ? a.first() < b.first() : a.row < b.row;
    });
    out.visits += visits.size();
    for (auto* s : sinks) s->day(catalog, d, visits);
  }
  for (auto* s : sinks) s->finish(catalog);
  return out;
}

}  // namespace halltwin::connect
