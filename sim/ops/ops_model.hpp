#pragma once
// A hall prepared for the operations simulator: the scenario's services,
// demand and roster turned into flat tables (matters with demand, ticket
// queues, staff and the queues each may call from, walking legs between
// entrances, ticket machines, seats and windows). Built once from a const
// Hall, then only read: replications in several threads share one OpsModel.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "sim/ops/hall_routes.hpp"
#include "sim/ops/sampler.hpp"

namespace halltwin::ops {

inline constexpr std::uint32_t kNone = 0xffffffffu;

struct QueueDef {
  std::uint32_t group = 0;   // index into the roster's groups (0 with per_matter)
  std::uint32_t matter = 0;  // index into hall.matters; kNone: the pickup windows' queue
};

struct BackOfficeDef {
  bool present = false;
  double share = 0.0, pickup_share = 1.0;
  Sampler duration, pickup_delay, pickup_time;
};

struct StaffDef {
  std::string id;
  std::uint32_t window = 0;
  std::uint32_t shift = 0;
  std::vector<std::uint32_t> queues;  // the queues this member calls from
  std::array<bool, kWeekdays> days{};
  // The shift's working pieces (the span minus breaks), seconds since 00:00.
  std::vector<TimeSpan> pieces;
  CallingPolicy policy = CallingPolicy::fifo;
  bool extended_only = false;  // works only on days with extended hours
};

// A shift's working pieces: its span minus its breaks, seconds since 00:00.
std::vector<TimeSpan> working_pieces(const Shift& shift);

class OpsModel {
 public:
  // Throws InputError when the hall has no operations sections.
  explicit OpsModel(const Hall& hall);

  const Hall& hall() const { return hall_; }
  const Operations& ops() const { return hall_.operations; }

  // Demand: matters with a positive share and their cumulative shares.
  std::vector<std::uint32_t> demand_matters;
  std::vector<double> demand_cdf;
  std::vector<Sampler> service;  // by matter index (hall.matters)
  Sampler patience;
  bool has_patience = false;

  std::vector<QueueDef> queues;
  std::vector<std::vector<std::uint32_t>> queues_of_matter;  // candidate queues for a ticket
  std::vector<std::vector<std::uint32_t>> staff_of_queue;    // who may call from a queue
  std::vector<StaffDef> staff;
  std::vector<std::vector<std::uint32_t>> staff_of_window;  // by window
  // The queue of the windows of kind `pickup` (kNone: pickups queue with their matter).
  std::uint32_t pickup_queue = kNone;

  // The journey beyond the window (format 4), by matter.
  std::vector<double> self_share;
  std::vector<Sampler> self_service;
  std::vector<BackOfficeDef> backoffice;
  // The guide desk: devices of kind guide_desk, each with staff_per_desk servers.
  bool has_desk = false;
  double desk_share = 0.0;
  Sampler desk_time;
  int staff_per_desk = 1;
  std::vector<FloorPoint> desks;
  std::vector<std::string> desk_ids;
  std::vector<FloorPoint> kiosks;  // self-service kiosks (they also issue tickets)
  std::vector<std::string> kiosk_ids;

  // Places and walking legs (walking on).
  std::vector<FloorPoint> entrances;               // entrance doors (inside the hall)
  std::vector<std::string> entrance_ids;           // door ids ("" for a fallback point)
  std::vector<std::uint32_t> machine_of_entrance;  // nearest ticket machine (index into machines)
  std::vector<Leg> entrance_to_machine;            // by entrance
  std::vector<FloorPoint> machines;
  std::vector<std::string> machine_ids;
  std::vector<FloorPoint> seats;                       // hall.seats, snapped
  std::vector<std::vector<std::uint32_t>> seat_order;  // per floor: seats by preference
  std::vector<FloorPoint> standing;                    // per floor: where people stand to wait
  std::vector<FloorPoint> windows;                     // hall.windows, snapped
  std::vector<std::uint32_t> home_floor;               // by matter: where its windows are
  std::vector<Leg> machine_to_seat;                    // machines x seats
  std::vector<Leg> machine_to_standing;                // machines x floors
  std::vector<Leg> seat_to_window;                     // seats x windows
  std::vector<Leg> standing_to_window;                 // floors x windows
  std::vector<Leg> window_to_entrance;                 // windows x entrances
  std::vector<Leg> standing_to_entrance;               // floors x entrances (abandoning)
  std::vector<Leg> seat_to_entrance;                   // seats x entrances
  std::vector<std::uint32_t> desk_of_entrance;         // nearest guide desk
  std::vector<Leg> entrance_to_desk;                   // by entrance
  std::vector<std::uint32_t> machine_of_desk;          // nearest ticket device
  std::vector<Leg> desk_to_machine;                    // by desk
  std::vector<std::uint32_t> kiosk_of_entrance, kiosk_of_desk;
  std::vector<Leg> entrance_to_kiosk, desk_to_kiosk;  // by entrance, by desk
  std::vector<Leg> kiosk_to_entrance;                 // kiosks x entrances

  const HallRoutes& routes() const { return *routes_; }
  // Problems that do not stop a run (walks without a walkable path, ...).
  std::vector<std::string> warnings;

 private:
  void build_demand();
  void build_queues();
  void build_places();
  void build_journey();

  const Hall& hall_;
  std::unique_ptr<HallRoutes> routes_;
};

}  // namespace halltwin::ops
