#pragma once
// Playback of a trace in its hall: who is where, doing what, at any moment.
// The 3D view draws from it, but it is plain data (no graphics), so it is
// tested and used without OpenGL.
//
// A trace (docs/trace-format.md) records events; the view needs states and
// positions at arbitrary times. Playback reads the whole trace once and keeps,
// per person, the state changes (the "view" column of the event table) and
// keyframes of position. Recorded positions are used as they are; people
// without positions (an imported real log) are placed at the seat, window,
// device or door an event names, else at a queue spot in a waiting zone, so a
// replayed day shows people where a visitor would see them. Ids the scenario
// does not know are warnings, not errors: a real log may name a window that
// was renamed; those people go to the nearest sensible place.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "model/trace/trace_event.hpp"
#include "model/trace/trace_header.hpp"

namespace halltwin {

// What the view shows a person doing (docs/trace-format.md, column "view").
enum class PersonState : std::uint8_t { walking, waiting_seated, waiting_standing, at_window, evacuating, gone };
inline constexpr int kPersonStateCount = 6;
std::string_view person_state_name(PersonState s);

// Walking speed used to animate a move between two placed (not recorded)
// positions: an average adult's free walking speed (Weidmann 1993, 1.34 m/s),
// a little slower indoors.
inline constexpr double kPlacedWalkSpeed_mps = 1.2;

struct PersonKeyframe {
  double t_s = 0.0;  // seconds since 00:00 of the trace's first day
  Vec2 position;     // metres, the floor's plane
  FloorId floor;
  bool recorded = true;  // from the trace (true) or placed by playback (false)
};

struct PersonStateChange {
  double t_s = 0.0;  // seconds since 00:00 of the trace's first day
  PersonState state = PersonState::walking;
};

// One line of a person's journey, for the details panel.
struct JourneyStep {
  double t_s = 0.0;
  EventType event = EventType::position;
  std::string where;  // the window, seat, device or door id the event names, if any
};

struct PersonTrack {
  std::string id;  // the trace's entity id
  EntityKind kind = EntityKind::citizen;
  std::string matter;  // the matter of the last ticket (for queues); empty = unknown
  double first_s = 0.0;  // first record
  double last_s = 0.0;   // last record
  std::vector<PersonStateChange> states;  // time order; the first at first_s
  std::vector<PersonKeyframe> keys;       // time order; never empty
  std::vector<JourneyStep> journey;       // every event but `position`
  // In the ticket queue: from `ticket_issued` to `called`, `abandoned`,
  // `no_show`, `service_start` or leaving (walking to a seat included: the
  // ticket waits whatever its holder does). Seconds since 00:00 of day 0.
  std::vector<std::pair<double, double>> queued;
};

// A person as seen at one moment.
struct PersonAt {
  std::uint32_t person = 0;  // index into Playback::people()
  PersonState state = PersonState::walking;
  Vec2 position;  // metres
  FloorId floor;
};

// KPIs sampled over the trace, for the plots.
struct KpiSeries {
  std::vector<double> t_s;         // sample times, seconds since 00:00 of day 0
  std::vector<float> inside;       // persons in the hall: citizens and evacuees (and staff in an evacuation)
  std::vector<float> waiting;      // persons holding a ticket not yet called (PersonTrack::queued)
  std::vector<float> staff;        // staff at work
  std::vector<std::string> groups;                // window group ids
  std::vector<std::vector<float>> queue_by_group;  // waiting persons whose matter the group serves
  // Evacuation traces: per door, persons through it per minute over the last sample step.
  std::vector<std::string> exits;
  std::vector<std::vector<float>> exit_flow_ppm;
};

struct PlaybackOptions {
  // Spacing of KPI samples, seconds; 0 = about 600 samples over the trace, at most 60 s apart.
  double kpi_step_s = 0.0;
};

class Playback {
 public:
  // Reads `trace` for `hall`. Throws InputError (file, line, field) for a
  // damaged trace or a trace whose #scenario names another hall (except an
  // imported log, whose #scenario is its mapping's name); unknown ids
  // go to `warnings` (one line each, file and line of the first use).
  static Playback load(const Hall& hall, const std::filesystem::path& trace, std::vector<std::string>& warnings,
                       const PlaybackOptions& options = {});

  const TraceHeader& header() const { return header_; }
  const std::string& file() const { return file_; }
  const std::vector<PersonTrack>& people() const { return people_; }
  bool is_evacuation() const { return evacuation_; }
  double start_s() const { return start_s_; }  // first record
  double end_s() const { return end_s_; }      // last record

  // State of person `i` at `t_s`; gone before the first record and after leaving.
  PersonState state_at(std::size_t i, double t_s) const;
  // Position of person `i` at `t_s`: recorded positions interpolated linearly
  // while the person walks or evacuates; a person at rest stays put and a
  // placed move is walked at kPlacedWalkSpeed_mps just before its arrival.
  PersonKeyframe position_at(std::size_t i, double t_s) const;
  // Everyone present at `t_s` (state not gone), in people() order.
  void people_at(double t_s, std::vector<PersonAt>& out) const;

  // Whether person `i` holds a ticket not yet called at `t_s`.
  bool queued_at(std::size_t i, double t_s) const;
  // Per window (hall order): persons queued at `t_s` for a matter the window
  // serves. A ticket shared by several windows counts at each of them (any may
  // call it); a matter the hall does not know counts nowhere.
  std::vector<int> queue_by_window(double t_s) const;

  // Persons per square metre on a grid over floor `floor` at `t_s`: cells of
  // `cell_m`, row-major from the floor's minimum corner; `columns`/`rows` out.
  std::vector<float> density(double t_s, FloorId floor, double cell_m, Vec2& origin, int& columns, int& rows) const;

  const KpiSeries& kpis() const { return kpis_; }

  // Index of the person with this entity id, if any.
  std::optional<std::size_t> find(const std::string& entity) const;

 private:
  const Hall* hall_ = nullptr;
  std::string file_;
  TraceHeader header_;
  bool evacuation_ = false;
  double start_s_ = 0.0, end_s_ = 0.0;
  std::vector<PersonTrack> people_;
  KpiSeries kpis_;
  std::vector<std::vector<std::uint8_t>> window_serves_;  // [window][matter]
  std::vector<MatterId> matter_of_;  // per person: the hall's matter, invalid when unknown

  void build_kpis(const PlaybackOptions& options, const std::map<std::string, std::vector<double>>& exits);
};

// Parses a moment of the view: "HH:MM" or "HH:MM:SS" on the trace's first
// day, or plain seconds since 00:00 of day 0 ("30600", "30600.5"). nullopt
// when malformed.
std::optional<double> parse_view_time(const std::string& text);
// "HH:MM:SS" (with "+Nd " for later days).
std::string format_view_time(double t_s);

}  // namespace halltwin
