#pragma once
// One record of a trace (docs/trace-format.md): what happened to whom, when and
// where. The operations simulator, the evacuation simulator and the real-queue-
// data connector write these; KPIs, reports and the 3D view read them.
//
// Ids are the scenario's string ids ("M01", "A03", "D2") and the producer's
// entity ids ("C000123"), not typed indices: a trace outlives the process that
// wrote it and is read without the hall (a replayed log may name windows the
// scenario never heard of). An empty string means "unknown / not applicable".
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "model/geometry/vec2.hpp"
#include "model/text.hpp"
#include "model/vocabulary.hpp"

namespace halltwin {

// The event vocabulary, version 2 (version 1 without `appointment`). Who emits each and which ids it requires:
// docs/trace-format.md, "Event types". Adding a type is a new format version.
enum class EventType {
  // The citizen's journey (operations simulator; replayed real data).
  entered,           // came in through a door
  ticket_issued,     // took a ticket for a matter: joined the queue; the wait starts
  seated,            // sat down on a seat to wait
  standing,          // waits standing (no free seat, or chose not to sit)
  called,            // a window called the ticket; the wait ends
  walk_start,        // starts walking (to a window, a seat, a device, a door)
  service_start,     // service began at a window or device
  service_end,       // service ended
  abandoned,         // left the queue before being called
  no_show,           // called, did not come (already gone, or did not answer)
  backoffice_start,  // the matter went to back-office approval
  backoffice_end,    // back-office approval done; the result can be picked up
  pickup,            // picked up the result
  left,              // left the hall
  // Evacuation (evacuation simulator).
  evac_start,  // pre-movement time over: starts to evacuate
  exit,        // left through a door (a safety exit) during an evacuation
  // Any moving person, every header.sample_interval_s (and initial positions).
  position,
  // Staff and facilities.
  shift_start,
  shift_end,
  break_start,
  break_end,
  window_open,   // the window starts serving (staffed, systems up)
  window_close,  // the window stops serving (shift end, break, outage)
  door_blocked,  // the door can no longer be used (fire, closure)
  // Version 2.
  appointment,  // a booked slot begins (ticket: the booking); punctuality = entered - this
};

// What kind of person an entity is. An entity keeps its kind for the whole
// trace. An evacuation started from an operations state keeps citizens and
// staff as they were; `evacuee` is a person of unknown role (a population
// spread over the hall by the evacuation scenario).
enum class EntityKind { citizen, staff, evacuee };

// The columns of a record, in file order.
enum class TraceColumn {
  day,
  time_s,
  event,
  entity,
  kind,
  ticket,
  matter,
  window,
  staff,
  seat,
  door,
  device,
  x,
  y,
  floor
};
inline constexpr std::size_t kTraceColumnCount = 15;
// Column names as in the file's column line.
std::span<const std::string_view> trace_column_names();
std::string_view column_name(TraceColumn column);

inline constexpr double kSecondsPerDay = 86400.0;

struct TraceEvent {
  // When: local civil time of the hall. The record's date is the header's
  // start_date plus `day` calendar days; `time_s` counts from 00:00 of that
  // date, so seconds since the start of the trace's first day are
  // 86400 * day + time_s (absolute_s()). Written with 3 decimals (1 ms).
  int day = 0;          // calendar days since start_date, >= 0 (0 for a one-day trace)
  double time_s = 0.0;  // seconds since 00:00 of `day`, 0 <= time_s < 86400; e.g. 37800.0 = 10:30

  EventType type = EventType::position;

  // Who: the person the event happened to; both empty for an event about a
  // facility only (window_open/close without staff, door_blocked).
  std::string entity;              // producer's id, unique within the trace, e.g. "C000123", "S07"
  std::optional<EntityKind> kind;  // present exactly when `entity` is

  // The ids the event concerns (scenario string ids; empty = unknown or n/a).
  std::string ticket;  // ticket number as printed, e.g. "A017"
  std::string matter;  // matter (事项) id, e.g. "M01"
  std::string window;  // window id, e.g. "A03"
  std::string staff;   // the staff member serving or operating (service_*, window_*), e.g. "S07"
  std::string seat;    // seat id, e.g. "W1-12"
  std::string door;    // door id, e.g. "D2"
  std::string device;  // ticket machine, self-service kiosk or guide desk id, e.g. "K1"

  // Where, when known: metres in the floor's plane (x east, y north), written
  // with 3 decimals (1 mm), and the floor's scenario id. A position needs its
  // floor; a floor may be given alone.
  std::optional<Vec2> position;
  std::string floor;  // e.g. "F1"

  // Seconds since 00:00 of the trace's first day (start_date).
  double absolute_s() const { return kSecondsPerDay * day + time_s; }
};

// What is wrong with an event: the offending column and a sentence saying
// what was expected. Shared by the writer (before writing) and the reader
// (after parsing), and usable by producers to reject data with a reason.
struct EventProblem {
  TraceColumn column;
  std::string message;
};

// Checks one event on its own: day >= 0; 0 <= time_s < 86400; coordinates
// finite and within +-1e6 m; entity and kind present together; the ids the
// event type requires (docs/trace-format.md); staff-only events name a
// `staff` entity; every text field valid UTF-8. Does not check ordering
// against other events or the header (the reader and writer do that).
std::optional<EventProblem> check_event(const TraceEvent& event);

// is_valid_utf8() lives in model/text.hpp (shared with the YAML loader).

// Vocabulary tables (model/vocabulary.hpp): names<EventType>() etc.
template <>
std::span<const std::string_view> names<EventType>();
template <>
std::optional<EventType> parse<EventType>(std::string_view s);
template <>
std::string_view name<EventType>(EventType v);
template <>
std::span<const std::string_view> names<EntityKind>();
template <>
std::optional<EntityKind> parse<EntityKind>(std::string_view s);
template <>
std::string_view name<EntityKind>(EntityKind v);

}  // namespace halltwin
