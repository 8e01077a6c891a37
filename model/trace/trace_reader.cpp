#include "model/trace/trace_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>

#include "model/input_error.hpp"

namespace halltwin {

namespace {

constexpr std::size_t kHeaderKeyCount = std::size(kTraceHeaderKeys);

// A value quoted for a message, shortened when long.
std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return fmt::format("\"{}\"", text);
  std::size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole characters
  return fmt::format("\"{}...\"", text.substr(0, cut));
}

// A plain decimal number ("37800.250", "-3.5", "12"): no exponent, no
// leading '+' or spaces, finite.
std::optional<double> parse_decimal(std::string_view s) {
  double v = 0.0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v, std::chars_format::fixed);
  if (s.empty() || ec != std::errc{} || p != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Decimal digits only.
template <class Int>
std::optional<Int> parse_unsigned(std::string_view s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  Int v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string joined_names(std::span<const std::string_view> names, std::string_view prefix = "") {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += n;
  }
  return out;
}

std::string column_line() {
  std::string out;
  for (auto n : trace_column_names()) {
    if (!out.empty()) out += ',';
    out += n;
  }
  return out;
}

std::unique_ptr<std::ifstream> open_for_reading(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    throw InputError(InputProblem{file.string(), 0, 0, "", "no such trace file"});
  auto in = std::make_unique<std::ifstream>(file, std::ios::binary);
  if (!*in) throw InputError(InputProblem{file.string(), 0, 0, "", "cannot open the trace file for reading"});
  return in;
}

}  // namespace

TraceReader::TraceReader(const std::filesystem::path& file)
    : file_(open_for_reading(file)), name_(file.string()), records_(*file_) {
  read_header();
}

TraceReader::TraceReader(std::istream& in, std::string name) : name_(std::move(name)), records_(in) {
  read_header();
}

void TraceReader::fail(const csv::Field& field, std::string field_name, std::string message) const {
  throw InputError(InputProblem{name_, field.line, field.column, std::move(field_name), std::move(message)});
}

bool TraceReader::next_record() {
  try {
    return records_.next();
  } catch (const csv::SyntaxError& e) {
    throw InputError(InputProblem{name_, e.line, e.column, "", e.what()});
  } catch (const std::runtime_error& e) {
    throw InputError(InputProblem{name_, records_.lines_read() + 1, 1, "", e.what()});
  }
}

void TraceReader::read_header() {
  const std::string expected_first = fmt::format("#format,{}", TraceHeader::kFormat);
  auto at_end = [&](std::string message) {
    const int line = records_.lines_read();
    throw InputError(InputProblem{name_, line, line > 0 ? 1 : 0, "", std::move(message)});
  };
  if (!next_record()) at_end(fmt::format("empty file: expected the first line '{}'", expected_first));

  std::array<csv::Field, kHeaderKeyCount> seen_at{};  // where each key's value was; line 0 = not seen
  bool first = true;
  for (;; first = false) {
    auto fs = records_.fields();
    const csv::Field& f0 = fs[0];
    const bool is_header_line = !f0.quoted && f0.text.starts_with('#');
    if (!is_header_line) {
      if (first)
        fail(f0, "", fmt::format("not a halltwin trace: expected the first line '{}'", expected_first));
      break;
    }
    const std::string_view key = std::string_view(f0.text).substr(1);
    if (first && key != "format")
      fail(f0, "",
           fmt::format("expected the first line '{}', got the header key '{}'", expected_first, f0.text));
    std::size_t k = 0;
    while (k < kHeaderKeyCount && kTraceHeaderKeys[k] != key) ++k;
    if (k == kHeaderKeyCount)
      fail(f0, f0.text,
           fmt::format("unknown header key; expected one of: {}", joined_names(kTraceHeaderKeys, "#")));
    if (seen_at[k].line != 0)
      fail(f0, f0.text, fmt::format("duplicate header line (first on line {})", seen_at[k].line));
    if (fs.size() < 2)
      fail(f0, f0.text,
           fmt::format("expected '{},value' (write '{},' when the value is unknown)", f0.text, f0.text));
    for (std::size_t i = 2; i < fs.size(); ++i)  // a spreadsheet may pad lines with empty fields
      if (!fs[i].text.empty())
        fail(fs[i], f0.text,
             "unexpected field after the value (a header line is '#key,value'; quote a value that contains "
             "a comma)");
    const csv::Field& value = fs[1];
    seen_at[k] = value;
    const std::string& v = value.text;
    if (key == "format") {
      if (v == TraceHeader::kFormatV1) {
        header_.version = 1;
      } else if (v != TraceHeader::kFormat) {
        if (v.starts_with("halltwin-trace/"))
          fail(value, f0.text,
               fmt::format("unsupported format version {}: this reader reads {} and {} "
                           "(docs/trace-format.md, Versioning)",
                           shown(v), TraceHeader::kFormatV1, TraceHeader::kFormat));
        fail(value, f0.text, fmt::format("expected {}, got {}", TraceHeader::kFormat, shown(v)));
      }
    } else if (key == "scenario") {
      header_.scenario = v;
    } else if (key == "scenario_file") {
      header_.scenario_file = v;
    } else if (key == "source") {
      header_.source = v;
    } else if (key == "seed") {
      if (!v.empty()) {
        header_.seed = parse_unsigned<std::uint64_t>(v);
        if (!header_.seed)
          fail(value, f0.text,
               fmt::format("expected an unsigned integer, or empty when unknown, got {}", shown(v)));
      }
    } else if (key == "replication") {
      if (!v.empty()) {
        header_.replication = parse_unsigned<int>(v);
        if (!header_.replication)
          fail(value, f0.text,
               fmt::format("expected an integer >= 1, or empty when unknown, got {}", shown(v)));
      }
    } else if (key == "start_date") {
      header_.start_date = v;
    } else if (key == "sample_interval_s") {
      if (!v.empty()) {
        header_.sample_interval_s = parse_decimal(v);
        if (!header_.sample_interval_s)
          fail(value, f0.text,
               fmt::format("expected seconds as a decimal number, or empty when the trace has no position "
                           "samples, got {}",
                           shown(v)));
      }
    }
    if (!next_record())
      at_end(fmt::format("the file ends inside the header: expected the column line '{}'", column_line()));
  }

  // The first line that is not a header line: every key must have been seen,
  // and this must be the column line.
  auto fs = records_.fields();
  for (std::size_t k = 0; k < kHeaderKeyCount; ++k)
    if (seen_at[k].line == 0)
      fail(fs[0], fmt::format("#{}", kTraceHeaderKeys[k]),
           fmt::format("missing header line before the column line (write '#{},' when the value is unknown)",
                       kTraceHeaderKeys[k]));
  if (auto problem = check_header(header_)) {
    std::size_t k = 0;
    while (kTraceHeaderKeys[k] != problem->key) ++k;
    fail(seen_at[k], fmt::format("#{}", problem->key), problem->message);
  }
  const auto columns = trace_column_names();
  for (std::size_t i = 0; i < columns.size() && i < fs.size(); ++i)
    if (fs[i].text != columns[i])
      fail(fs[i], "",
           fmt::format("expected the column line '{}': column {} must be '{}', got {}", column_line(), i + 1,
                       columns[i], shown(fs[i].text)));
  if (fs.size() != columns.size())
    fail(fs[0], "",
         fmt::format("expected the column line '{}' ({} columns), got {} columns", column_line(),
                     columns.size(), fs.size()));
}

bool TraceReader::next(TraceEvent& e) {
  if (!next_record()) return false;
  const auto fs = records_.fields();
  if (!fs[0].quoted && fs[0].text.starts_with('#'))
    fail(fs[0], "", "header line after the column line (header lines come first)");
  if (fs.size() != kTraceColumnCount)
    fail(fs[0], "",
         fmt::format("expected {} fields ({}), got {}", kTraceColumnCount, column_line(), fs.size()));
  auto field = [&](TraceColumn c) -> const csv::Field& { return fs[static_cast<std::size_t>(c)]; };
  auto bad = [&](TraceColumn c, std::string message) {
    fail(field(c), std::string(column_name(c)), std::move(message));
  };

  const std::string& day = field(TraceColumn::day).text;
  auto d = parse_unsigned<int>(day);
  if (!d) bad(TraceColumn::day, fmt::format("expected a day index (an integer >= 0), got {}", shown(day)));
  e.day = *d;

  const std::string& time = field(TraceColumn::time_s).text;
  auto t = parse_decimal(time);
  if (!t)
    bad(TraceColumn::time_s,
        fmt::format("expected seconds since 00:00 of the day as a decimal number (e.g. 37800.250), got {}",
                    shown(time)));
  e.time_s = *t;

  const std::string& type = field(TraceColumn::event).text;
  auto ty = parse<EventType>(type);
  if (!ty)
    bad(TraceColumn::event, fmt::format("unknown event type {}; expected one of: {}", shown(type),
                                        joined_names(names<EventType>())));
  e.type = *ty;

  e.entity = field(TraceColumn::entity).text;
  const std::string& kind = field(TraceColumn::kind).text;
  e.kind.reset();
  if (!kind.empty()) {
    e.kind = parse<EntityKind>(kind);
    if (!e.kind)
      bad(TraceColumn::kind,
          fmt::format("unknown kind {}; expected one of: {} (or empty for an event about a "
                      "facility)",
                      shown(kind), joined_names(names<EntityKind>())));
  }
  e.ticket = field(TraceColumn::ticket).text;
  e.matter = field(TraceColumn::matter).text;
  e.window = field(TraceColumn::window).text;
  e.staff = field(TraceColumn::staff).text;
  e.seat = field(TraceColumn::seat).text;
  e.door = field(TraceColumn::door).text;
  e.device = field(TraceColumn::device).text;

  const std::string& x = field(TraceColumn::x).text;
  const std::string& y = field(TraceColumn::y).text;
  e.position.reset();
  if (!x.empty() || !y.empty()) {
    if (x.empty()) bad(TraceColumn::x, "required when y is given, but empty");
    if (y.empty()) bad(TraceColumn::y, "required when x is given, but empty");
    auto px = parse_decimal(x);
    if (!px) bad(TraceColumn::x, fmt::format("expected metres as a decimal number, got {}", shown(x)));
    auto py = parse_decimal(y);
    if (!py) bad(TraceColumn::y, fmt::format("expected metres as a decimal number, got {}", shown(y)));
    e.position = Vec2{*px, *py};
  }
  e.floor = field(TraceColumn::floor).text;

  if (auto problem = check_event(e)) bad(problem->column, std::move(problem->message));
  if (e.type == EventType::appointment && header_.version < 2)
    bad(TraceColumn::event, "'appointment' events exist from halltwin-trace/2 on; this file says halltwin-trace/1");
  if (e.type == EventType::position && !header_.sample_interval_s)
    bad(TraceColumn::event,
        "a 'position' record needs a sampling interval, but the header's sample_interval_s is empty");
  if (events_ > 0 && (e.day < prev_day_ || (e.day == prev_day_ && e.time_s < prev_time_s_)))
    bad(e.day < prev_day_ ? TraceColumn::day : TraceColumn::time_s,
        fmt::format("time goes backwards: day {} {:.3f} s is before the previous record's day {} {:.3f} s "
                    "(line {}); records must be in non-decreasing (day, time_s) order",
                    e.day, e.time_s, prev_day_, prev_time_s_, prev_line_));
  prev_day_ = e.day;
  prev_time_s_ = e.time_s;
  prev_line_ = records_.line();
  ++events_;
  return true;
}

}  // namespace halltwin
