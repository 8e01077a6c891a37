#pragma once
// The future-event list of the operations simulator: a binary min-heap on
// (time, insertion number), so events at the same instant run in the order
// they were scheduled (determinism). Events are 24-byte values; the heap's
// vector grows to the largest calendar once and is then reused, so the hot
// path allocates nothing.
#include <cstdint>
#include <vector>

namespace halltwin::ops {

enum class EventKind : std::uint8_t {
  day_start,       // 00:00 of an open day: schedule its shifts, bookings and first arrival
  arrival,         // a walk-in arrival event (a = day); a group brings several citizens
  appt_due,        // a booked slot begins (a = booking): the trace's appointment record
  appt_arrival,    // an appointment holder comes in (a = booking)
  pickup_arrival,  // a citizen comes back to pick up a result (a = case)
  external_arrival,  // a citizen of an observed log takes a ticket (a = visit index)
  at_desk,         // reached the guide desk (a = citizen)
  desk_end,        // guide desk service ended (a = citizen)
  at_kiosk,        // reached the self-service kiosks (a = citizen)
  kiosk_end,       // self-service ended (a = citizen)
  at_ticket,       // reached the ticket device: takes a ticket (a = citizen)
  at_seat,         // reached the seat or the standing spot (a = citizen, b = generation)
  abandon,         // patience ran out (a = citizen, b = the wait's generation)
  recall,          // the window calls the ticket again (a = staff, b = citizen generation)
  at_window,       // the called citizen reached the window: service starts (a = citizen)
  service_end,     // a = staff
  backoffice_end,  // a case's approval is done (a = case)
  gone,            // left the hall (a = citizen)
  logged_pickup,   // a logged server's presence begins with a call it took (a = presence index, b = day index)
  shift_start,     // a = staff, b = day index
  shift_end,       // a = staff, b = day index
  break_start,     // a = staff, b = day index
  break_end,       // a = staff, b = day index
  stop,            // the snapshot time (--at): the run pauses here
  disruption_end,  // a disruption's interval ends: idle windows call again (a = disruption)
};

struct Event {
  double time_s;        // absolute: seconds since 00:00 of the first calendar day
  std::uint64_t order;  // insertion number: ties in time keep this order
  EventKind kind;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
};

class EventCalendar {
 public:
  void reserve(std::size_t n) { heap_.reserve(n); }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  double next_time() const { return heap_.front().time_s; }

  void schedule(double time_s, EventKind kind, std::uint32_t a = 0, std::uint32_t b = 0) {
    heap_.push_back(Event{time_s, next_order_++, kind, a, b});
    sift_up(heap_.size() - 1);
  }

  Event pop() {
    Event top = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) sift_down(0);
    return top;
  }

 private:
  static bool before(const Event& x, const Event& y) {
    return x.time_s < y.time_s || (x.time_s == y.time_s && x.order < y.order);
  }
  void sift_up(std::size_t i) {
    Event e = heap_[i];
    while (i > 0) {
      const std::size_t p = (i - 1) / 2;
      if (!before(e, heap_[p])) break;
      heap_[i] = heap_[p];
      i = p;
    }
    heap_[i] = e;
  }
  void sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    Event e = heap_[i];
    for (;;) {
      std::size_t c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && before(heap_[c + 1], heap_[c])) ++c;
      if (!before(heap_[c], e)) break;
      heap_[i] = heap_[c];
      i = c;
    }
    heap_[i] = e;
  }

  std::vector<Event> heap_;
  std::uint64_t next_order_ = 0;
};

}  // namespace halltwin::ops
