#pragma once
// Streaming reader of CSV traces (docs/trace-format.md). Reads and checks the
// header at construction, then one record per next(); it holds one record at a
// time, so a trace larger than memory reads in constant space. Every line is
// validated; the first problem throws InputError whose message reads
//   FILE:LINE:COLUMN: error: FIELD: what was expected
// (COLUMN counts characters on the line; FIELD is the column name, or the
// '#key' of a header line).
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <string>

#include "model/trace/csv.hpp"
#include "model/trace/trace_event.hpp"
#include "model/trace/trace_header.hpp"

namespace halltwin {

class TraceReader {
 public:
  // Opens `file` and reads its header. Throws InputError.
  explicit TraceReader(const std::filesystem::path& file);
  // Reads from `in`, which must outlive the reader; `name` is used in
  // messages (the path, or "<stdin>"). Reads the header. Throws InputError.
  TraceReader(std::istream& in, std::string name);

  const TraceHeader& header() const { return header_; }

  // Reads the next record into `event` (its strings keep their capacity);
  // false at the end of the trace. Throws InputError on the first invalid line.
  bool next(TraceEvent& event);

  const std::string& name() const { return name_; }
  // 1-based line where the last record read (or the header's column line) started.
  int line() const { return records_.line(); }
  std::uint64_t events_read() const { return events_; }
  // The file started with a UTF-8 byte-order mark.
  bool had_bom() const { return records_.had_bom(); }

 private:
  void read_header();
  bool next_record();  // wraps csv errors into InputError
  [[noreturn]] void fail(const csv::Field& field, std::string field_name, std::string message) const;

  std::unique_ptr<std::ifstream> file_;  // when the reader opened the file itself
  std::string name_;
  csv::RecordReader records_;
  TraceHeader header_;
  std::uint64_t events_ = 0;
  int prev_day_ = 0;
  double prev_time_s_ = 0.0;
  int prev_line_ = 0;
};

}  // namespace halltwin
