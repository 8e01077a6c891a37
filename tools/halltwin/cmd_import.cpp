// `halltwin import`: a queue-system export read through a mapping into the
// trace format, with every row accounted for (docs/queue-data.md).
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "model/input_error.hpp"
#include "model/trace/trace_writer.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#include "tools/halltwin/queue_data.hpp"

namespace halltwin::cli {

namespace {
volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }
bool stop_requested() { return g_stop != 0; }
}  // namespace

Command add_import_command(CLI::App& app) {
  struct Options {
    std::string log, mapping, trace, json;
    bool follow = false;
    double idle_exit_s = 0.0, follow_lag_s = 0.0;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "import", "Import a queue-system export (CSV) into the trace format, accounting for every row");
  cmd->add_option("log", opt->log, "The export (CSV), or - for standard input")->required();
  cmd->add_option("--mapping", opt->mapping, "Mapping file (YAML, halltwin-mapping/1; scenarios/connectors/)")
      ->required();
  cmd->add_option("--trace", opt->trace, "Write the visits as an event trace (CSV, docs/trace-format.md)");
  cmd->add_option("--json", opt->json, "Write the row accounting as JSON");
  cmd->add_flag(
      "--follow", opt->follow,
      "Keep reading a growing file (or standard input) until interrupted; survives truncation and rotation");
  cmd->add_option("--idle-exit", opt->idle_exit_s,
                  "With --follow: end once the file has not grown for this many seconds (0: never)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--follow-lag", opt->follow_lag_s,
                  "The longest a visit stays open before its row is written, seconds (1 to 86400): trace "
                  "events older than the newest row's last event minus this are written during the day; a "
                  "row with an earlier event is rejected as beyond_follow_lag")
      ->check(CLI::Range(1.0, 86400.0));
  return [opt]() -> int {
    if (opt->idle_exit_s > 0 && !opt->follow)
      throw InputError(InputProblem{"", 0, 0, "--idle-exit", "needs --follow"});
    if (!std::isfinite(opt->follow_lag_s))
      throw InputError(InputProblem{"", 0, 0, "--follow-lag", "expected seconds from 1 to 86400"});
    const std::vector<std::string> inputs{opt->log, opt->mapping};
    register_inputs(inputs);
    if (!opt->json.empty()) probe_writable(opt->json, "--json", inputs);
    if (!opt->trace.empty()) {
      if (opt->trace == opt->json)
        throw InputError(InputProblem{opt->trace, 0, 0, "--trace", "is also the --json output"});
      if (opt->follow)
        probe_live(opt->trace, "--trace");  // before reading: OUT.partial must be ours to write
      else
        probe_writable(opt->trace, "--trace", inputs);
    }
    connect::Mapping mapping = connect::load_mapping(opt->mapping);
    std::unique_ptr<OutputFile> file;
    std::unique_ptr<TraceWriter> writer;
    std::unique_ptr<connect::TraceSink> trace_sink;
    std::vector<connect::VisitSink*> sinks;
    if (!opt->trace.empty()) {
      trace_sink = std::make_unique<connect::TraceSink>(
          [&](const connect::Catalog& c) -> TraceWriter& {
            TraceHeader h;
            h.scenario = mapping.name;
            h.scenario_file = opt->mapping;
            h.source = "halltwin import";
            h.start_date = c.start_date;
            // --follow: a live trace, readable while the import runs (OUT.partial, renamed
            // onto OUT at the end), each batch handed to the file in one write.
            file = std::make_unique<OutputFile>(opt->trace, "--trace", opt->follow);
            TraceWriterOptions wo;
            if (opt->follow) wo.buffer_bytes = static_cast<std::size_t>(-1);
            writer = std::make_unique<TraceWriter>(file->stream(), h, opt->trace, wo);
            if (opt->follow) {
              writer->flush();  // the header at once: readers may open the file now
              std::cerr << fmt::format("halltwin: the trace grows in {} while the import runs\n",
                                       file->writing_to());
            }
            return *writer;
          },
          mapping.time_shift_s);
      trace_sink->set_live(opt->follow);
      sinks.push_back(trace_sink.get());
    }
    connect::ImportOptions io;
    if (opt->follow) {
      io.follow = true;
      io.stop = stop_requested;
      io.idle_exit_s = opt->idle_exit_s;
      std::signal(SIGINT, on_signal);
      std::signal(SIGTERM, on_signal);
    }
    // The flag, else the mapping's own bound (the queue system's, stated once with its columns).
    io.follow_lag_s = opt->follow_lag_s > 0 ? opt->follow_lag_s : mapping.follow_lag_s;
    LogRead r;
    const auto t0 = std::chrono::steady_clock::now();
    r.stats = connect::import_csv(opt->log, mapping, r.catalog, sinks, io);
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (writer) {
      writer->flush();
      writer.reset();
      file->commit();
    }
    std::string out = accounting_text(r);
    if (trace_sink) out += fmt::format("trace: {} events written to {}\n", trace_sink->events(), opt->trace);
    const double rate = r.wall_s > 0 ? static_cast<double>(r.stats.rows) / r.wall_s : 0.0;
    out += fmt::format("read {} rows ({:.1f} MB) in {:.3f} s: {:.2f} million rows/s\n", r.stats.rows,
                       static_cast<double>(r.stats.bytes) / 1e6, r.wall_s, rate / 1e6);
    if (!opt->json.empty()) {
      nlohmann::json j = accounting_json(r, true);
      j["log"] = opt->log;
      j["mapping"] = {
          {"file", opt->mapping}, {"name", mapping.name}, {"format", std::string(connect::Mapping::kFormat)}};
      if (trace_sink) j["trace"] = {{"file", opt->trace}, {"events", trace_sink->events()}};
      j["performance"] = {
          {"wall_s", number(r.wall_s, 6)}, {"rows_per_s", number(rate, 0)}, {"bytes", r.stats.bytes}};
      write_file_atomically(opt->json, j.dump(2) + "\n", "--json");
    }
    std::cout << out;
    return 0;
  };
}

}  // namespace halltwin::cli
