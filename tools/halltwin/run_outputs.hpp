#pragma once
// Output pieces shared by the commands that run replications (`run`, `evac`)
// and report numbers (`import`, `replay`, `calibrate`): JSON numbers rounded
// for stable output, the trace path of each replication, and one trace file
// per replication streamed through the shared output writer.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/trace/trace_header.hpp"
#include "model/trace/trace_writer.hpp"
#include "tools/halltwin/output_file.hpp"

namespace halltwin::cli {

// v rounded to `decimals` (stable text); null when not finite.
nlohmann::json number(double v, int decimals = 3);

// The --trace paths of n replications: OUT itself for one, else "out.csv" -> "out.r1.csv" ...
std::vector<std::string> replication_paths(const std::string& path, int n);

// One trace per replication: open(r) makes replication r's writer (into a
// temporary file beside its target); close(r) commits it when the
// replication ends. A later failure makes main() remove them all, so the
// set is whole or absent. Safe to call from the replication threads: each
// r touches only its own slot.
class ReplicationTraces {
 public:
  explicit ReplicationTraces(std::vector<std::string> paths)
      : paths_(std::move(paths)), files_(paths_.size()), writers_(paths_.size()) {}
  bool empty() const { return paths_.empty(); }
  TraceWriter* open(int r, const TraceHeader& header);
  void close(int r);

 private:
  std::vector<std::string> paths_;
  std::vector<std::unique_ptr<OutputFile>> files_;
  std::vector<std::unique_ptr<TraceWriter>> writers_;
};

}  // namespace halltwin::cli
