#pragma once
// Consumers of imported visits: the trace writer (the same events as
// `halltwin run`) and the observed KPIs (fed through kpi::KpiAccumulator, the
// one KPI code path of simulated and real days).
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/trace/trace_event.hpp"
#include "sim/kpi/kpi.hpp"
#include "tools/connect/visit.hpp"

namespace halltwin {
class TraceWriter;
}

namespace halltwin::connect {

// Writes each visit as trace events. Rows come unsorted and a visit's events
// span hours: the events of a date are sorted and written once no later date
// can precede them (before 00:00 of the next date, plus the time-zone shift);
// the rest wait for the next date. With a lateness bound the importer hands
// visits on as they come (early()) and the events before its horizon are
// written during the day. Memory: about one day's events.
class TraceSink : public VisitSink {
 public:
  // `open` makes the writer when the first date is known (the header's start_date).
  TraceSink(std::function<TraceWriter&(const Catalog&)> open, double time_shift_s)
      : open_(std::move(open)), shift_s_(time_shift_s) {}
  void day(const Catalog& c, int date_day, std::span<const Visit> visits) override;
  void early(const Catalog& c, std::span<const Visit> visits, double safe_before) override;
  void finish(const Catalog& c) override;
  std::uint64_t events() const { return events_; }
  // A live trace (--follow): the writer is flushed after each batch of
  // events, so that another process reads every event written so far.
  void set_live(bool live) { live_ = live; }

 private:
  void add(const Visit& v);
  void flush_if_live();
  struct Ev {
    // Sorted by (abs, first, row, seq): the visit's first event and row break
    // ties between visits, whatever order the visits came in (a date at once,
    // or row by row with a lateness bound), so both write the same trace.
    double abs, first;
    std::uint64_t seq, row;
    std::uint32_t matter, window, staff;
    EventType type;
    unsigned char ticket_len;
    char ticket[30];
  };
  void write_until(const Catalog& c, double horizon);
  std::function<TraceWriter&(const Catalog&)> open_;
  TraceWriter* w_ = nullptr;
  double shift_s_;
  bool live_ = false, streamed_ = false;  // streamed_: visits come through early(), not day()
  std::vector<Ev> pending_;
  std::uint64_t seq_ = 0, events_ = 0;
  TraceEvent e_;
};

// Server presence inferred from service periods (logs without shift records):
// a server is present from the start of its first service of a date to the
// end of its last, minus every gap of more than `gap_s` between the end of a
// service and the start of the next (docs/queue-data.md, "Presence").
struct PresencePiece {
  std::uint32_t window;
  double start, end;  // absolute seconds (since 00:00 of start_date)
};
void infer_presence(std::span<const Visit> visits, double gap_s, std::vector<PresencePiece>& out);
inline constexpr double kPresenceGap_s = 1800.0;
// Availability (who could take a call, not only who was there): as
// infer_presence, and a gap between two services of a server is also an
// absence when a call of a matter the server served that date was waiting
// at some moment of the gap after its first `grace_s` seconds: a calling
// system offers a waiting call to a free server, so a server who leaves it
// waiting was not free (a break, other work, not ready). `grace_s` is the
// wrap-up between calls (kAvailabilityGrace_s: the bank log's gaps before
// taking a waiting call are under 51 s in 90% of cases).
void infer_availability(std::span<const Visit> visits, double gap_s, double grace_s,
                        std::vector<PresencePiece>& out);
inline constexpr double kAvailabilityGrace_s = 60.0;
// Pickups (replay --presence pickups, WhatIfCollector): a server is ready
// only at the moments the log shows it taking a call, for at most this many
// seconds from each logged service start.
inline constexpr double kPickupWindow_s = 1.0;

// The observed KPIs: every imported visit of the selected dates fed to a
// kpi::KpiAccumulator with the definitions of `halltwin run`.
class ObservedKpis : public VisitSink {
 public:
  // matters, windows: the scenario's ids (may be empty: then as logged).
  // days: the selected record dates (empty: all).
  ObservedKpis(double target_wait_s, std::vector<std::string> matters, std::vector<std::string> windows,
               std::set<std::string> days, bool infer_presence = true);
  void day(const Catalog& c, int date_day, std::span<const Visit> visits) override;
  // Rostered time from shift records (a halltwin trace): window id, seconds.
  void rostered(const std::string& window, double seconds, int date_day, const Catalog& c);
  kpi::ReplicationKpis finish_kpis() const { return acc_.finish(0, 0); }
  const kpi::KpiAccumulator& accumulator() const { return acc_; }
  std::uint64_t days_selected() const { return dates_.size(); }
  const std::vector<std::string>& dates() const { return dates_; }
  // Totals over the selected dates.
  std::array<std::uint64_t, kOutcomeCount> outcomes{};
  std::uint64_t visit_count = 0;
  // Wait of every served visit, by row (replay comparisons), when keep_waits.
  bool keep_waits = false;
  std::vector<std::pair<std::uint64_t, double>> waits;

 private:
  bool selected(const Catalog& c, int date_day);
  kpi::KpiAccumulator acc_;
  std::set<std::string> filter_;
  bool infer_;
  std::vector<std::string> dates_;
  std::vector<std::uint32_t> matter_map_, window_map_;
  std::vector<PresencePiece> presence_;
  std::vector<std::pair<double, int>> sweep_;
  std::uint32_t matter_of(const Catalog& c, std::uint32_t m);
  std::uint32_t window_of(const Catalog& c, std::uint32_t w);
};

// Reads a halltwin trace (docs/trace-format.md) back into visits, by date,
// for the same sinks; staff shift and break records give the presence of each
// window (on_presence: window id, the date_day of the piece's start, absolute
// start and end seconds).
using PresenceCallback =
    std::function<void(const std::string& window, int date_day, double start, double end)>;
struct TraceImport {
  std::uint64_t events = 0, visits = 0;
  std::string source, start_date;
};
TraceImport import_trace(const std::string& path, Catalog& catalog, const std::vector<VisitSink*>& sinks,
                         const PresenceCallback& on_presence = {});

}  // namespace halltwin::connect
