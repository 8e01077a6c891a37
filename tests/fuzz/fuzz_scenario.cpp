// libFuzzer harness: the scenario loader (model/scenario_loader.hpp), the
// biggest reader (hall, operations, journey, evacuation, platform and
// emergencies sections). A hall that loads has passed every load-time check,
// so it must also survive what every command does next: its floors' walkable
// areas and rasters are built (model/hall_geometry.hpp, 0.2 m cells, the
// coarsest the commands use), where a refusal is again an InputError.
#include <cstddef>
#include <cstdint>

#include "model/hall_geometry.hpp"
#include "model/scenario_loader.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static halltwin::fuzz::InputFile file("hall.yaml");
  const std::string& path = file.write(data, size);
  halltwin::fuzz::loads([&] {
    const halltwin::Hall hall = halltwin::load_scenario(path);
    const halltwin::HallGeometry geometry(hall, 0.2);
    (void)geometry.floor_count();
  });
  return 0;
}
