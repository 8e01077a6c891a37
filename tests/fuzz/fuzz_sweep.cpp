// libFuzzer harness: the sweep file reader (model/sweep_spec.hpp).
#include <cstddef>
#include <cstdint>

#include "model/sweep_spec.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static halltwin::fuzz::InputFile file("sweep.yaml");
  const std::string& path = file.write(data, size);
  halltwin::fuzz::loads([&] { (void)halltwin::load_sweep(path); });
  return 0;
}
