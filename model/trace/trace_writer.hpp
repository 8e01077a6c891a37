#pragma once
// Streaming CSV writer of traces (docs/trace-format.md). Writes the header at
// construction, then one line per event into a buffer flushed to the stream
// every `buffer_bytes`; it never holds more than that, whatever the length of
// the run. Every event is checked before it is written (check_event, order in
// (day, time_s), position records only under a sample interval): a producer
// cannot write a trace the reader would reject.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "model/trace/trace_event.hpp"
#include "model/trace/trace_header.hpp"

namespace halltwin {

struct TraceWriterOptions {
  // Start the file with a UTF-8 byte-order mark. Excel needs it to read a
  // double-clicked CSV as UTF-8 (without it Chinese text is garbled on a
  // Chinese-locale Windows); some Unix tools trip over it. Readers of this
  // format accept both.
  bool utf8_bom = false;
  // Bytes collected before they are handed to the stream.
  std::size_t buffer_bytes = 64 * 1024;
};

class TraceWriter {
 public:
  // Writes to `out`, which must outlive the writer; `name` is used in
  // messages (e.g. the path the stream writes to, or "<stdout>").
  // Throws InputError when the header is invalid.
  TraceWriter(std::ostream& out, const TraceHeader& header, std::string name = "<stream>",
              TraceWriterOptions options = {});
  // Creates (truncates) `file`. Throws InputError when it cannot be opened.
  TraceWriter(const std::filesystem::path& file, const TraceHeader& header, TraceWriterOptions options = {});
  // Flushes; errors at this point are swallowed: call close() to see them.
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // Appends one record. Throws InputError naming the line the record would
  // have taken and the offending column when the event is invalid or earlier
  // than the previous one; nothing is written then and the writer stays usable.
  // time_s is rounded to the millisecond; a time that rounds to 86400.000 is
  // written as 0.000 of the next day.
  void write(const TraceEvent& event);

  // Hands the buffer to the stream and flushes it. Throws std::runtime_error
  // when the stream fails (disk full, closed pipe).
  void flush();
  // flush(), then closes the file this writer opened. Further writes are
  // programmer errors.
  void close();

  const TraceHeader& header() const { return header_; }
  const std::string& name() const { return name_; }
  std::uint64_t events_written() const { return events_; }
  int lines_written() const { return lines_; }

 private:
  void write_header();
  void maybe_flush();
  void append_line_count(std::size_t from);

  std::unique_ptr<std::ofstream> file_;  // when the writer opened the file itself
  std::ostream* out_ = nullptr;
  std::string name_;
  TraceHeader header_;
  TraceWriterOptions options_;
  std::string buffer_;
  std::uint64_t events_ = 0;
  int lines_ = 0;  // complete lines produced so far (buffered or written)
  bool closed_ = false;
  // The previous record, for the ordering check.
  int prev_day_ = 0;
  double prev_time_s_ = 0.0;
  int prev_line_ = 0;
};

}  // namespace halltwin
