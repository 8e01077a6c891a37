// libFuzzer harness: the trace reader (model/trace/trace_reader.hpp), read
// from memory through its stream constructor. Oracle beyond "no crash": every
// record the reader accepts and the writer takes must come back through the
// reader unchanged in number (docs/trace-format.md: a producer cannot write a
// trace the reader would reject).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "model/trace/trace_reader.hpp"
#include "model/trace/trace_writer.hpp"
#include "tests/fuzz/fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace halltwin;
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::ostringstream rewritten;
  std::uint64_t written = 0;
  bool header_ok = false;
  fuzz::loads([&] {
    TraceReader reader(in, "<fuzz>");
    header_ok = true;
    std::unique_ptr<TraceWriter> writer;
    fuzz::loads([&] { writer = std::make_unique<TraceWriter>(rewritten, reader.header(), "<rewrite>"); });
    TraceEvent ev;
    while (reader.next(ev)) {
      if (writer && fuzz::loads([&] { writer->write(ev); })) ++written;
    }
    if (writer) writer->flush();
  });
  if (!header_ok || written == 0) return 0;
  // The writer's output must read back whole, whatever the reader refused of the original.
  std::istringstream again(rewritten.str());
  std::uint64_t read_back = 0;
  try {
    TraceReader reader(again, "<rewrite>");
    TraceEvent ev;
    while (reader.next(ev)) ++read_back;
  } catch (const InputError& e) {
    std::fprintf(stderr, "the reader refuses what the writer wrote: %s\n", e.what());
    std::abort();
  }
  if (read_back != written) std::abort();
  return 0;
}
