#pragma once
// Typed indices: a WindowId cannot be passed where a SeatId is expected.
// Each names an entity by its position in the hall's vector of that entity;
// the scenario's own string id is kept on the entity for messages and output.
#include <compare>
#include <cstdint>
#include <limits>

namespace halltwin {

template <class Tag>
struct TypedIndex {
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t value = kNone;

  constexpr bool valid() const { return value != kNone; }
  friend constexpr auto operator<=>(TypedIndex, TypedIndex) = default;
};

using FloorId = TypedIndex<struct FloorTag>;
using ZoneId = TypedIndex<struct ZoneTag>;
using WindowId = TypedIndex<struct WindowTag>;
using SeatId = TypedIndex<struct SeatTag>;
using DoorId = TypedIndex<struct DoorTag>;
using ObstacleId = TypedIndex<struct ObstacleTag>;
using DeviceId = TypedIndex<struct DeviceTag>;
using FacilityId = TypedIndex<struct FacilityTag>;
using StairId = TypedIndex<struct StairTag>;
using MatterId = TypedIndex<struct MatterTag>;

}  // namespace halltwin
