// libFuzzer harness: the demand program reader of `halltwin size --program`
// (model/size_program.hpp). A program that loads promises normalised arrival
// shares (they sum to 1), which the sizer divides by: checked here.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "model/size_program.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static halltwin::fuzz::InputFile file("program.yaml");
  const std::string& path = file.write(data, size);
  halltwin::fuzz::loads([&] {
    const halltwin::SizeProgram p = halltwin::load_size_program(path);
    double sum = 0.0;
    for (double s : p.block_shares) {
      if (!(s >= 0.0) || !std::isfinite(s)) std::abort();
      sum += s;
    }
    if (!p.block_shares.empty() && std::abs(sum - 1.0) > 1e-6) std::abort();
  });
  return 0;
}
