#pragma once
// A small valid hall (12 m x 8 m, one floor) used as the base of the loader's
// bad-input tests and the rule tests: each test changes one thing in it.
// Line numbers matter to the loader tests: keep the layout.
#include <string>

namespace halltwin::testing {

inline const std::string kMiniHall = R"(format: halltwin-scenario/1
hall:
  name: 测试大厅
  level: village
  population_served: 3000
  fire_resistance_grade: 2
  fire_hazard: medium
  sprinklered: false
  fresh_air_m3h: 2000
matters:
  - {id: M1, name: 社保参保登记, department: 人社局}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[12,0],[12,8],[0,8]]
    walls:
      - {id: WL1, polygon: [[9,0],[9.2,0],[9.2,3],[9,3]]}
    obstacles:
      - {id: C1, kind: counter, polygon: [[2,6],[8,6],[8,6.6],[2,6.6]]}
    doors:
      - {id: D1, kind: entrance_exit, from: [1,0], to: [2.6,0]}
      - {id: D2, kind: exit, from: [12,5], to: [12,6.5]}
      - {id: D3, kind: internal, from: [9.1,1], to: [9.1,2]}
    zones:
      - {id: Z1, type: waiting, polygon: [[0,0],[9,0],[9,4],[0,4]]}
      - {id: Z2, type: window_area, polygon: [[0,4],[12,4],[12,8],[0,8]]}
    windows:
      - {id: W1, kind: comprehensive, position: [4, 5.3], facing: [0,-1], matters: [M1]}
      - {id: W2, kind: accessible_low, position: [7, 5.3], facing: [0,-1], matters: [M1]}
    seat_rows:
      - {id: SA, from: [2,2], to: [8,2], count: 6}
    facilities:
      - {id: E1, type: extinguisher, position: [0.2, 0.2], rating: 2A}
      - {id: E2, type: extinguisher, position: [11.8, 7.8], rating: 2A}
      - {id: S1, type: exit_sign, position: [1.8, 0.2]}
      - {id: S2, type: exit_sign, position: [11.8, 5.7]}
      - {id: L1, type: emergency_light, position: [6, 4]}
)";

}  // namespace halltwin::testing
