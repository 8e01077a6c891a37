#include "model/trace/trace_event.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace halltwin {

namespace {

constexpr std::array<std::string_view, 25> kEventType{
    "entered",       "ticket_issued", "seated",     "standing",    "called",           "walk_start",
    "service_start", "service_end",   "abandoned",  "no_show",     "backoffice_start", "backoffice_end",
    "pickup",        "left",          "evac_start", "exit",        "position",         "shift_start",
    "shift_end",     "break_start",   "break_end",  "window_open", "window_close",     "door_blocked",
    "appointment"};
constexpr std::array<std::string_view, 3> kEntityKind{"citizen", "staff", "evacuee"};
constexpr std::array<std::string_view, kTraceColumnCount> kColumns{
    "day",   "time_s", "event", "entity", "kind", "ticket", "matter", "window",
    "staff", "seat",   "door",  "device", "x",    "y",      "floor"};

template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<std::string_view, N>& table, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (table[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

// Who an event happens to.
enum class Who {
  person,         // a person (any kind) is required
  staff,          // a staff member is required
  staff_or_none,  // optional; when given, a staff member
  none,           // no person: the event is about a facility
};

// Ids an event requires, as bits.
enum Need : unsigned {
  kTicket = 1u << 0,
  kMatter = 1u << 1,
  kWindow = 1u << 2,
  kSeat = 1u << 3,
  kDoor = 1u << 4,
  kPosition = 1u << 5,
  kWindowOrDevice = 1u << 6,
};

struct Rule {
  Who who;
  unsigned needs;
};

// In EventType order; docs/trace-format.md, "Event types", is the same table.
constexpr std::array<Rule, kEventType.size()> kRules{{
    {Who::person, 0},                  // entered
    {Who::person, kTicket},            // ticket_issued
    {Who::person, kSeat},              // seated
    {Who::person, 0},                  // standing
    {Who::person, kTicket | kWindow},  // called
    {Who::person, 0},                  // walk_start
    {Who::person, kWindowOrDevice},    // service_start
    {Who::person, kWindowOrDevice},    // service_end
    {Who::person, kTicket},            // abandoned
    {Who::person, kTicket},            // no_show
    {Who::person, kMatter},            // backoffice_start
    {Who::person, kMatter},            // backoffice_end
    {Who::person, kMatter},            // pickup
    {Who::person, 0},                  // left
    {Who::person, 0},                  // evac_start
    {Who::person, kDoor},              // exit
    {Who::person, kPosition},          // position
    {Who::staff, 0},                   // shift_start
    {Who::staff, 0},                   // shift_end
    {Who::staff, 0},                   // break_start
    {Who::staff, 0},                   // break_end
    {Who::staff_or_none, kWindow},     // window_open
    {Who::staff_or_none, kWindow},     // window_close
    {Who::none, kDoor},                // door_blocked
    {Who::person, kTicket},            // appointment (version 2)
}};

constexpr double kMaxCoordinate_m = 1e6;

EventProblem missing(TraceColumn column, EventType type, std::string_view what) {
  return {column, fmt::format("required for '{}' events ({}), but empty", name(type), what)};
}

}  // namespace

std::span<const std::string_view> trace_column_names() { return kColumns; }
std::string_view column_name(TraceColumn column) { return kColumns.at(static_cast<std::size_t>(column)); }

template <>
std::span<const std::string_view> names<EventType>() {
  return kEventType;
}
template <>
std::optional<EventType> parse<EventType>(std::string_view s) {
  return parse_in<EventType>(kEventType, s);
}
template <>
std::string_view name<EventType>(EventType v) {
  return kEventType.at(static_cast<std::size_t>(v));
}
template <>
std::span<const std::string_view> names<EntityKind>() {
  return kEntityKind;
}
template <>
std::optional<EntityKind> parse<EntityKind>(std::string_view s) {
  return parse_in<EntityKind>(kEntityKind, s);
}
template <>
std::string_view name<EntityKind>(EntityKind v) {
  return kEntityKind.at(static_cast<std::size_t>(v));
}

std::optional<EventProblem> check_event(const TraceEvent& e) {
  if (e.day < 0)
    return EventProblem{TraceColumn::day, fmt::format("expected a day index >= 0, got {}", e.day)};
  if (!std::isfinite(e.time_s) || e.time_s < 0.0 || e.time_s >= kSecondsPerDay)
    return EventProblem{TraceColumn::time_s,
                        fmt::format("expected seconds since 00:00 of the day, 0 <= time_s < 86400 (a later "
                                    "time belongs to the next day), got {}",
                                    e.time_s)};
  const auto type_index = static_cast<std::size_t>(e.type);
  if (type_index >= kRules.size())
    return EventProblem{TraceColumn::event, fmt::format("invalid event type value {}", type_index)};

  const std::pair<TraceColumn, const std::string*> texts[] = {
      {TraceColumn::entity, &e.entity}, {TraceColumn::ticket, &e.ticket}, {TraceColumn::matter, &e.matter},
      {TraceColumn::window, &e.window}, {TraceColumn::staff, &e.staff},   {TraceColumn::seat, &e.seat},
      {TraceColumn::door, &e.door},     {TraceColumn::device, &e.device}, {TraceColumn::floor, &e.floor}};
  for (const auto& [column, text] : texts)
    if (!is_valid_utf8(*text))
      return EventProblem{column,
                          "not valid UTF-8 text (a file exported in GBK or another legacy encoding "
                          "must be converted to UTF-8)"};

  // Who.
  const Rule rule = kRules[type_index];
  if (!e.entity.empty() && !e.kind)
    return EventProblem{TraceColumn::kind,
                        "required when an entity is given (citizen, staff or evacuee), but empty"};
  if (e.entity.empty() && e.kind)
    return EventProblem{TraceColumn::entity, "required when a kind is given, but empty"};
  switch (rule.who) {
    case Who::person:
      if (e.entity.empty()) return missing(TraceColumn::entity, e.type, "the person it happened to");
      break;
    case Who::staff:
      if (e.entity.empty()) return missing(TraceColumn::entity, e.type, "the staff member");
      if (*e.kind != EntityKind::staff)
        return EventProblem{TraceColumn::kind, fmt::format("'{}' is a staff event: expected staff, got {}",
                                                           name(e.type), name(*e.kind))};
      break;
    case Who::staff_or_none:
      if (e.kind && *e.kind != EntityKind::staff)
        return EventProblem{
            TraceColumn::kind,
            fmt::format("the entity of a '{}' event is the staff member operating the window: "
                        "expected staff, got {}",
                        name(e.type), name(*e.kind))};
      break;
    case Who::none:
      if (!e.entity.empty())
        return EventProblem{
            TraceColumn::entity,
            fmt::format("a '{}' event concerns a facility, not a person: expected empty, got \"{}\"",
                        name(e.type), e.entity)};
      break;
  }

  // Which ids.
  if ((rule.needs & kTicket) && e.ticket.empty()) return missing(TraceColumn::ticket, e.type, "the ticket");
  if ((rule.needs & kMatter) && e.matter.empty()) return missing(TraceColumn::matter, e.type, "the matter");
  if ((rule.needs & kWindow) && e.window.empty()) return missing(TraceColumn::window, e.type, "the window");
  if ((rule.needs & kWindowOrDevice) && e.window.empty() && e.device.empty())
    return missing(TraceColumn::window, e.type, "the window, or the device in the device column");
  if ((rule.needs & kSeat) && e.seat.empty()) return missing(TraceColumn::seat, e.type, "the seat");
  if ((rule.needs & kDoor) && e.door.empty()) return missing(TraceColumn::door, e.type, "the door");

  // Where.
  if ((rule.needs & kPosition) && !e.position) return missing(TraceColumn::x, e.type, "the position");
  if (e.position) {
    for (auto [column, v] :
         {std::pair{TraceColumn::x, e.position->x}, std::pair{TraceColumn::y, e.position->y}})
      if (!std::isfinite(v) || std::abs(v) > kMaxCoordinate_m)
        return EventProblem{column, fmt::format("expected metres within +-1000000, got {}", v)};
    if (e.floor.empty())
      return EventProblem{TraceColumn::floor, "required when x and y are given, but empty"};
  }
  return std::nullopt;
}

}  // namespace halltwin
