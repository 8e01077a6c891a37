#pragma once
// The colours of the 3D view, one table per kind of thing. The scene is drawn
// unlit (shading of vertical faces is baked into vertex colours), so a
// horizontal top face shows exactly the colour listed here; the top-down view
// and the tests rely on that. No graphics includes.
#include "model/vocabulary.hpp"
#include "render/viewer.hpp"

namespace halltwin::render {

// zone_colour(ZoneType) is declared in render/viewer.hpp.
Rgb obstacle_colour(ObstacleKind kind);   // walls (interior and exterior), counters, ...
Rgb door_colour(DoorKind kind);           // safety exits green, entrance-only blue, internal grey
Rgb window_colour(WindowKind kind);       // the marker where the citizen is served
Rgb device_colour(DeviceKind kind);
Rgb facility_colour(FacilityType type);   // main body colour of the symbol
Rgb seat_colour();
Rgb slab_colour();                        // floor not covered by any zone
Rgb background_colour();                  // clear colour around the floor
Rgb label_colour();                       // text; drawn with a white outline

// Multiplies each channel by `factor` (0..1), for baked shading and outlines.
Rgb shade(Rgb c, double factor);

}  // namespace halltwin::render
