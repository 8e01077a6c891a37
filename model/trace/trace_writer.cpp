#include "model/trace/trace_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <iterator>
#include <stdexcept>

#include "model/input_error.hpp"
#include "model/trace/csv.hpp"

namespace halltwin {

namespace {

constexpr std::int64_t kMillisecondsPerDay = 86'400'000;

// Writes v/1000 with exactly three decimals from an integer count of
// thousandths: deterministic, no "-0.000".
void append_thousandths(std::string& out, std::int64_t v) {
  if (v < 0) {
    out += '-';
    v = -v;
  }
  fmt::format_to(std::back_inserter(out), "{}.{:03}", v / 1000, v % 1000);
}

}  // namespace

TraceWriter::TraceWriter(std::ostream& out, const TraceHeader& header, std::string name,
                         TraceWriterOptions options)
    : out_(&out), name_(std::move(name)), header_(header), options_(options) {
  write_header();
}

TraceWriter::TraceWriter(const std::filesystem::path& file, const TraceHeader& header,
                         TraceWriterOptions options)
    : name_(file.string()), header_(header), options_(options) {
  // Check the header before creating the file, so a bad header leaves no file behind.
  if (auto problem = check_header(header_))
    throw InputError(InputProblem{name_, 0, 0, fmt::format("#{}", problem->key), problem->message});
  file_ = std::make_unique<std::ofstream>(file, std::ios::binary | std::ios::trunc);
  if (!*file_) throw InputError(InputProblem{name_, 0, 0, "", "cannot open the trace file for writing"});
  out_ = file_.get();
  write_header();
}

TraceWriter::~TraceWriter() {
  if (closed_) return;
  try {
    flush();
  } catch (...) {
    // Destructors do not throw; close() reports write errors.
  }
}

void TraceWriter::append_line_count(std::size_t from) {
  lines_ +=
      static_cast<int>(std::count(buffer_.begin() + static_cast<std::ptrdiff_t>(from), buffer_.end(), '\n'));
}

void TraceWriter::write_header() {
  if (auto problem = check_header(header_))
    throw InputError(InputProblem{name_, 0, 0, fmt::format("#{}", problem->key), problem->message});
  buffer_.reserve(options_.buffer_bytes + 1024);
  if (options_.utf8_bom) buffer_ += "\xEF\xBB\xBF";
  auto line = [&](std::string_view key, std::string_view value) {
    buffer_ += '#';
    buffer_ += key;
    buffer_ += ',';
    csv::append_field(buffer_, value);
    buffer_ += '\n';
  };
  line("format", TraceHeader::kFormat);
  line("scenario", header_.scenario);
  line("scenario_file", header_.scenario_file);
  line("source", header_.source);
  line("seed", header_.seed ? fmt::format("{}", *header_.seed) : "");
  line("replication", header_.replication ? fmt::format("{}", *header_.replication) : "");
  line("start_date", header_.start_date);
  line("sample_interval_s", header_.sample_interval_s ? fmt::format("{}", *header_.sample_interval_s) : "");
  bool first = true;
  for (std::string_view column : trace_column_names()) {
    if (!first) buffer_ += ',';
    buffer_ += column;
    first = false;
  }
  buffer_ += '\n';
  append_line_count(0);
  maybe_flush();
}

void TraceWriter::write(const TraceEvent& e) {
  assert(!closed_ && "TraceWriter::write after close()");
  const int line = lines_ + 1;
  auto fail = [&](TraceColumn column, std::string message) {
    throw InputError(InputProblem{name_, line, 1, std::string(column_name(column)), std::move(message)});
  };
  if (auto problem = check_event(e)) fail(problem->column, std::move(problem->message));
  if (e.type == EventType::position && !header_.sample_interval_s)
    fail(TraceColumn::event,
         "a 'position' record needs a sampling interval, but the header's sample_interval_s is empty");
  if (events_ > 0 && (e.day < prev_day_ || (e.day == prev_day_ && e.time_s < prev_time_s_)))
    fail(e.day < prev_day_ ? TraceColumn::day : TraceColumn::time_s,
         fmt::format("time goes backwards: day {} {:.3f} s is before the previous record's day {} {:.3f} s "
                     "(line {}); records must be in non-decreasing (day, time_s) order",
                     e.day, e.time_s, prev_day_, prev_time_s_, prev_line_));

  // Round to the millisecond; a time that rounds up to midnight moves to the next day.
  std::int64_t day = e.day;
  std::int64_t ms = std::llround(e.time_s * 1000.0);
  if (ms >= kMillisecondsPerDay) {
    ++day;
    ms -= kMillisecondsPerDay;
  }

  const std::size_t start = buffer_.size();
  auto out = std::back_inserter(buffer_);
  fmt::format_to(out, "{},", day);
  append_thousandths(buffer_, ms);
  buffer_ += ',';
  buffer_ += halltwin::name(e.type);
  buffer_ += ',';
  csv::append_field(buffer_, e.entity);
  buffer_ += ',';
  if (e.kind) buffer_ += halltwin::name(*e.kind);
  for (const std::string* id : {&e.ticket, &e.matter, &e.window, &e.staff, &e.seat, &e.door, &e.device}) {
    buffer_ += ',';
    csv::append_field(buffer_, *id);
  }
  buffer_ += ',';
  if (e.position) append_thousandths(buffer_, std::llround(e.position->x * 1000.0));
  buffer_ += ',';
  if (e.position) append_thousandths(buffer_, std::llround(e.position->y * 1000.0));
  buffer_ += ',';
  csv::append_field(buffer_, e.floor);
  buffer_ += '\n';
  append_line_count(start);

  prev_day_ = e.day;
  prev_time_s_ = e.time_s;
  prev_line_ = line;
  ++events_;
  maybe_flush();
}

void TraceWriter::maybe_flush() {
  if (buffer_.size() < options_.buffer_bytes) return;
  out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
  if (!*out_) throw std::runtime_error(fmt::format("{}: error: writing the trace failed", name_));
}

void TraceWriter::flush() {
  if (!buffer_.empty()) out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
  out_->flush();
  if (!*out_) throw std::runtime_error(fmt::format("{}: error: writing the trace failed", name_));
}

void TraceWriter::close() {
  if (closed_) return;
  closed_ = true;
  flush();
  if (file_) {
    file_->close();
    if (!*file_) throw std::runtime_error(fmt::format("{}: error: closing the trace file failed", name_));
  }
}

}  // namespace halltwin
