#include "tools/halltwin/run_outputs.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

namespace halltwin::cli {

nlohmann::json number(double v, int decimals) {
  if (!std::isfinite(v)) return nullptr;
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}

std::vector<std::string> replication_paths(const std::string& path, int n) {
  if (n == 1) return {path};
  const std::string ext = std::filesystem::path(path).extension().string();
  const std::string stem = ext.empty() ? path : path.substr(0, path.size() - ext.size());
  std::vector<std::string> out;
  for (int r = 1; r <= n; ++r) out.push_back(fmt::format("{}.r{}{}", stem, r, ext));
  return out;
}

TraceWriter* ReplicationTraces::open(int r, const TraceHeader& header) {
  const auto i = static_cast<std::size_t>(r - 1);
  files_[i] = std::make_unique<OutputFile>(paths_[i], "--trace");
  writers_[i] = std::make_unique<TraceWriter>(files_[i]->stream(), header, paths_[i]);
  return writers_[i].get();
}

void ReplicationTraces::close(int r) {
  const auto i = static_cast<std::size_t>(r - 1);
  writers_[i]->flush();
  writers_[i].reset();
  files_[i]->commit();
  files_[i].reset();
}

}  // namespace halltwin::cli
