#include "model/vocabulary.hpp"

#include <array>
#include <string>

namespace halltwin {

namespace {
// Spellings in enum order; the scenario format, the rulebook and the JSON
// Schema use exactly these.
constexpr std::array<std::string_view, 5> kAdminLevel{"province", "city", "county", "township", "village"};
constexpr std::array<std::string_view, 3> kFireHazard{"light", "medium", "severe"};
constexpr std::array<std::string_view, 20> kZoneType{
    "guidance",          "window_area", "waiting",       "self_service",   "self_service_24h",
    "info_disclosure",   "help_desk",   "result_pickup", "form_filling",   "mother_baby",
    "accessible_toilet", "toilets",     "back_office",   "equipment_room", "convenience",
    "problem_solving",   "corridor",    "lobby",         "staff_area",     "other"};
constexpr std::array<std::string_view, 7> kWindowKind{"comprehensive",  "department", "problem_solving",
                                                      "accessible_low", "help_desk",  "pickup",
                                                      "consultation"};
constexpr std::array<std::string_view, 4> kDoorKind{"entrance", "exit", "entrance_exit", "internal"};
constexpr std::array<std::string_view, 2> kExitTo{"outside", "protected_stair"};
constexpr std::array<std::string_view, 3> kDoorRole{"safety_exit", "evacuation_door", "none"};
constexpr std::array<std::string_view, 5> kDoorType{"side_hung", "sliding", "revolving", "rolling", "folding"};
constexpr std::array<std::string_view, 2> kDoorSwing{"out", "in"};
constexpr std::array<std::string_view, 6> kObstacleKind{"wall",   "counter", "furniture",
                                                        "column", "kiosk",   "other"};
constexpr std::array<std::string_view, 4> kDeviceKind{"ticket_machine", "self_service_kiosk", "guide_desk",
                                                      "info_screen"};
constexpr std::array<std::string_view, 7> kFacilityType{
    "extinguisher", "exit_sign", "emergency_light", "hydrant", "aed", "camera", "first_aid_kit"};
constexpr std::array<std::string_view, 4> kSignSize{"extra_large", "large", "medium", "small"};
constexpr std::array<std::string_view, 4> kSignMounting{"ceiling", "wall_high", "wall_low", "floor"};
constexpr std::array<std::string_view, 2> kOccupantLoadBasis{"design", "density"};

template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<std::string_view, N>& table, std::string_view s) {
  for (std::size_t i = 0; i < N; ++i)
    if (table[i] == s) return static_cast<E>(i);
  return std::nullopt;
}
}  // namespace

#define HALLTWIN_VOCABULARY(E, TABLE)             \
  template <>                                     \
  std::span<const std::string_view> names<E>() {  \
    return TABLE;                                 \
  }                                               \
  template <>                                     \
  std::optional<E> parse<E>(std::string_view s) { \
    return parse_in<E>(TABLE, s);                 \
  }                                               \
  template <>                                     \
  std::string_view name<E>(E v) {                 \
    return TABLE.at(static_cast<std::size_t>(v)); \
  }

HALLTWIN_VOCABULARY(AdminLevel, kAdminLevel)
HALLTWIN_VOCABULARY(FireHazard, kFireHazard)
HALLTWIN_VOCABULARY(ZoneType, kZoneType)
HALLTWIN_VOCABULARY(WindowKind, kWindowKind)
HALLTWIN_VOCABULARY(DoorKind, kDoorKind)
HALLTWIN_VOCABULARY(ExitTo, kExitTo)
HALLTWIN_VOCABULARY(DoorRole, kDoorRole)
HALLTWIN_VOCABULARY(DoorType, kDoorType)
HALLTWIN_VOCABULARY(DoorSwing, kDoorSwing)
HALLTWIN_VOCABULARY(ObstacleKind, kObstacleKind)
HALLTWIN_VOCABULARY(DeviceKind, kDeviceKind)
HALLTWIN_VOCABULARY(FacilityType, kFacilityType)
HALLTWIN_VOCABULARY(SignSize, kSignSize)
HALLTWIN_VOCABULARY(SignMounting, kSignMounting)
HALLTWIN_VOCABULARY(OccupantLoadBasis, kOccupantLoadBasis)

#undef HALLTWIN_VOCABULARY

}  // namespace halltwin
