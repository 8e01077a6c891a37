// libFuzzer harness: the queue-log importer (tools/connect/importer.hpp). The
// input is the CSV export; it is imported through both bundled mappings
// (scenarios/connectors/: the real bank log's and the generic hall's), which
// read different date, time and outcome conventions. Oracle beyond "no
// crash": every row is imported or rejected, and every imported visit reaches
// the sinks (docs/queue-data.md).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_input.hpp"
#include "tools/connect/importer.hpp"
#include "tools/connect/mapping.hpp"

namespace {

using namespace halltwin::connect;

class CountingSink : public VisitSink {
 public:
  void day(const Catalog&, int date_day, std::span<const Visit> visits) override {
    if (date_day < 0) std::abort();
    for (const Visit& v : visits)
      if (v.date_day < 0) std::abort();
    visits_ += visits.size();
  }
  std::uint64_t visits() const { return visits_; }

 private:
  std::uint64_t visits_ = 0;
};

const std::vector<Mapping>& mappings() {
  static const std::vector<Mapping> m = {
      load_mapping(HALLTWIN_SOURCE_DIR "/scenarios/connectors/anonymous-bank.yaml"),
      load_mapping(HALLTWIN_SOURCE_DIR "/scenarios/connectors/generic-hall.yaml")};
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static halltwin::fuzz::InputFile file("export.csv");
  const std::string& path = file.write(data, size);
  for (const Mapping& m : mappings()) {
    Catalog catalog;
    CountingSink sink;
    ImportStats stats;
    if (!halltwin::fuzz::loads([&] { stats = import_csv(path, m, catalog, {&sink}); })) continue;
    if (stats.imported + stats.rejected_total() != stats.rows) std::abort();
    if (sink.visits() != stats.imported) std::abort();
  }
  return 0;
}
