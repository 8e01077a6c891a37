// libFuzzer harness: the rulebook reader (model/rulebook.hpp), `extends`
// chains included (a relative base resolves inside the harness's private
// directory, where only the fuzzer's own file exists, so an input that
// extends itself exercises the cycle check).
#include <cstddef>
#include <cstdint>

#include "model/rulebook.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static halltwin::fuzz::InputFile file("rulebook.yaml");
  const std::string& path = file.write(data, size);
  halltwin::fuzz::loads([&] { (void)halltwin::load_rulebook(path); });
  return 0;
}
