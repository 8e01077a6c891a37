// libFuzzer harness: the queue-log mapping reader (tools/connect/mapping.hpp).
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_input.hpp"
#include "tools/connect/mapping.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static halltwin::fuzz::InputFile file("mapping.yaml");
  const std::string& path = file.write(data, size);
  halltwin::fuzz::loads([&] { (void)halltwin::connect::load_mapping(path); });
  return 0;
}
