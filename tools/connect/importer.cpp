#include "tools/connect/importer.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <tuple>

#include "model/input_error.hpp"
#include "model/text.hpp"

namespace halltwin::connect {

// ---------------------------------------------------------------- names
namespace {
constexpr std::string_view kRejectNames[kRejectCount] = {"missing_column",     "extra_columns",
                                                         "bad_encoding",       "missing_id",
                                                         "bad_date",           "bad_time",
                                                         "unknown_outcome",    "incomplete_visit",
                                                         "unknown_window",     "unknown_matter",
                                                         "missing_window",     "served_without_service_times",
                                                         "end_before_start",   "stages_out_of_order",
                                                         "unsafe_id",          "id_too_long",
                                                         "date_before_window", "before_trace_start",
                                                         "beyond_follow_lag"};
constexpr std::string_view kNoteNames[kNoteCount] = {"skew_clamped",         "midnight_crossing",
                                                     "served_without_queue", "service_ignored",
                                                     "overlapping_service",  "window_ignored"};
}  // namespace
std::string_view name(Reject r) { return kRejectNames[static_cast<std::size_t>(r)]; }
std::string_view name(Note n) { return kNoteNames[static_cast<std::size_t>(n)]; }

double Visit::first() const {
  for (double t : {entered, ticket, called, start, end, left})
    if (happened(t)) return t;
  return 0.0;
}

std::uint32_t Interner::id(std::string_view s) {
  if (auto it = map_.find(s); it != map_.end()) return it->second;
  const auto i = static_cast<std::uint32_t>(names_.size());
  names_.emplace_back(s);
  map_.emplace(std::string(s), i);
  return i;
}

// ---------------------------------------------------------------- dates
long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long>(doe) - 719468;
}

std::string civil_from_days(long z) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long y = static_cast<long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return fmt::format("{:04}-{:02}-{:02}", y + (m <= 2), m, d);
}

bool looks_like_trace(const std::string& path) {
  if (path == "-") return false;
  std::ifstream in(path, std::ios::binary);
  char buf[40] = {};
  in.read(buf, sizeof buf);
  std::string_view s(buf, static_cast<std::size_t>(in.gcount()));
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  return s.starts_with("#format,halltwin-trace/");
}

namespace {

template <class T>
bool to_int(std::string_view s, T& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool valid_ymd(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap);
}

// Parses a date; returns false when it is not one.
bool parse_date(std::string_view s, DateFormat f, int& y, int& m, int& d) {
  if (s.size() != 10) return false;
  if (f == DateFormat::dmy_slash) {
    if (s[2] != '/' || s[5] != '/') return false;
    if (!to_int(s.substr(0, 2), d) || !to_int(s.substr(3, 2), m) || !to_int(s.substr(6, 4), y)) return false;
  } else {
    const char sep = f == DateFormat::ymd_dash ? '-' : '/';
    if (s[4] != sep || s[7] != sep) return false;
    if (!to_int(s.substr(0, 4), y) || !to_int(s.substr(5, 2), m) || !to_int(s.substr(8, 2), d)) return false;
  }
  return valid_ymd(y, m, d);
}

// "H:MM:SS", "HH:MM:SS" or "H:MM"; hours up to 47 (some systems count on past midnight).
bool parse_hms(std::string_view s, double& out) {
  const auto c1 = s.find(':');
  if (c1 == std::string_view::npos || c1 == 0 || c1 > 2) return false;
  int h = 0, m = 0, sec = 0;
  if (!to_int(s.substr(0, c1), h)) return false;
  std::string_view rest = s.substr(c1 + 1);
  if (rest.size() == 2) {
    if (!to_int(rest, m)) return false;
  } else if (rest.size() >= 5 && rest[2] == ':') {
    if (!to_int(rest.substr(0, 2), m)) return false;
    std::string_view secs = rest.substr(3);
    double frac = 0.0;
    if (const auto dot = secs.find('.'); dot != std::string_view::npos) {
      std::string_view fs = secs.substr(dot + 1);
      const auto r = std::from_chars(secs.data() + dot, secs.data() + secs.size(), frac);
      if (r.ec != std::errc() || r.ptr != secs.data() + secs.size() || fs.empty()) return false;
      secs = secs.substr(0, dot);
    }
    if (secs.size() != 2 || !to_int(secs, sec)) return false;
    out = frac;
  } else {
    return false;
  }
  if (h < 0 || h > 47 || m < 0 || m > 59 || sec < 0 || sec > 59) return false;
  out = (rest.size() >= 5 ? out : 0.0) + h * 3600.0 + m * 60.0 + sec;
  return true;
}

// ---------------------------------------------------------------- reading lines
class LineReader {
 public:
  LineReader(const std::string& path, const ImportOptions& opt) : path_(path), opt_(opt) {
    if (path == "-") {
      fd_ = 0;
    } else {
      fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0)
        throw InputError(
            InputProblem{path, 0, 0, "LOG", fmt::format("cannot read: {}", std::strerror(errno))});
      owns_ = true;
    }
    buf_.reset(1u << 20);
    struct stat st;
    regular_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  }
  ~LineReader() {
    if (owns_) ::close(fd_);
  }
  // The next physical record (quoted line breaks kept), without its line end;
  // false at the end. `line` is its first line number (1-based).
  bool next(std::string_view& rec, std::uint64_t& line) {
    for (;;) {
      std::size_t scan = pos_;
      bool in_quotes = false;
      for (;;) {
        const char* base = buf_.data();
        const void* nl = std::memchr(base + scan, '\n', end_ - scan);
        const std::size_t stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) : end_;
        if (std::memchr(base + scan, '"', stop - scan))
          for (std::size_t i = scan; i < stop; ++i) in_quotes ^= base[i] == '"';
        if (nl && !in_quotes) {
          std::size_t e = stop;
          if (e > pos_ && base[e - 1] == '\r') --e;
          rec = std::string_view(base + pos_, e - pos_);
          line = line_;
          line_ += 1 + static_cast<std::uint64_t>(std::count(base + pos_, base + stop, '\n'));
          pos_ = stop + 1;
          if (first_) strip_bom(rec);
          return true;
        }
        if (nl) {  // a line break inside quotes: keep scanning
          scan = stop + 1;
          continue;
        }
        break;
      }
      // No complete record in the buffer: read more.
      if (!fill()) {
        if (pos_ == end_) return false;
        std::size_t e = end_;
        if (base_char(e - 1) == '\r') --e;
        rec = std::string_view(buf_.data() + pos_, e - pos_);
        line = line_;
        line_ += static_cast<std::uint64_t>(std::count(buf_.data() + pos_, buf_.data() + end_, '\n'));
        pos_ = end_;
        if (first_) strip_bom(rec);
        return true;
      }
    }
  }
  std::uint64_t bytes() const { return bytes_; }

 private:
  char base_char(std::size_t i) const { return buf_[i]; }
  void strip_bom(std::string_view& rec) {
    first_ = false;
    if (rec.starts_with("\xEF\xBB\xBF")) rec.remove_prefix(3);
  }
  // Moves the unread tail to the front and reads; false at the end of input.
  bool fill() {
    if (pos_ > 0) {
      std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
      end_ -= pos_;
      pos_ = 0;
    }
    if (end_ == buf_.size()) buf_.reset(buf_.size() * 2, end_);  // one record longer than the buffer
    for (;;) {
      const ssize_t n = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw InputError(InputProblem{path_, static_cast<int>(line_), 0, "LOG",
                                      fmt::format("read failed: {}", std::strerror(errno))});
      }
      if (n > 0) {
        end_ += static_cast<std::size_t>(n);
        bytes_ += static_cast<std::uint64_t>(n);
        idle_since_.reset();
        return true;
      }
      // A pipe's end of input is final (its writer closed it); a regular file may grow.
      if (!opt_.follow || !regular_ || (opt_.stop && opt_.stop())) return false;
      const auto now = std::chrono::steady_clock::now();
      if (!idle_since_) idle_since_ = now;
      if (opt_.idle_exit_s > 0 && std::chrono::duration<double>(now - *idle_since_).count() >= opt_.idle_exit_s)
        return false;
      // --follow: hand on what was read before waiting (a live trace), then wait
      // for more; a truncated or rotated file is reopened from its start.
      if (on_wait) on_wait();
      std::this_thread::sleep_for(std::chrono::milliseconds(opt_.follow_poll_ms));
      if (owns_ && reopen_if_replaced() && tail_first_) return true;  // the old tail is a record now
      if (end_ == buf_.size()) buf_.reset(buf_.size() * 2, end_);
    }
  }
  // True when the file was replaced or truncated and reading restarts.
  bool reopen_if_replaced() {
    struct stat now, cur;
    const off_t at = ::lseek(fd_, 0, SEEK_CUR);
    if (::fstat(fd_, &cur) != 0) return false;
    if (::stat(path_.c_str(), &now) != 0) return false;  // rotated away, not yet recreated
    if (now.st_ino != cur.st_ino || now.st_dev != cur.st_dev) {
      if (cur.st_size > at) return false;  // rows written before the rotation: read them first
      const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return false;
      ::close(fd_);
      fd_ = fd;
      restart();
      return true;
    }
    if (now.st_size < at) {
      ::lseek(fd_, 0, SEEK_SET);  // truncated: read again from the start
      restart();
      return true;
    }
    return false;
  }
  // The old file's unfinished last record (written without its line end
  // before the file was replaced) ends here and is read as a row of its own
  // (rejected, accounted for), never glued to the new file's header.
  void restart() {
    skip_header_ = true;
    tail_first_ = end_ > pos_;
    if (tail_first_) {
      if (end_ == buf_.size()) buf_.reset(buf_.size() * 2, end_);
      buf_.data()[end_++] = '\n';
    }
  }

 public:
  std::function<void()> on_wait;  // called each time --follow waits for the file to grow
  bool skip_header_ = false;  // set when a rotated / truncated file restarts (its header comes again)
  bool tail_first_ = false;   // ... after the old file's unfinished record

 private:
  std::string path_;
  ImportOptions opt_;
  int fd_ = -1;
  bool owns_ = false, first_ = true, regular_ = false;
  // Uninitialised storage (a zero-filled buffer costs more than reading the bank file).
  struct Buffer {
    std::unique_ptr<char[]> p;
    std::size_t n = 0;
    char* data() { return p.get(); }
    const char* data() const { return p.get(); }
    std::size_t size() const { return n; }
    char operator[](std::size_t i) const { return p[i]; }
    // Reallocates to `size` bytes, keeping the first `keep`.
    void reset(std::size_t size, std::size_t keep = 0) {
      std::unique_ptr<char[]> q(new char[size]);
      if (keep) std::memcpy(q.get(), p.get(), keep);
      p = std::move(q);
      n = size;
    }
  } buf_;
  std::size_t pos_ = 0, end_ = 0;
  std::uint64_t line_ = 1, bytes_ = 0;
  std::optional<std::chrono::steady_clock::time_point> idle_since_;  // --follow: at the end since
};

// Splits a record into fields; quoted fields are unquoted into `scratch`.
std::size_t split(std::string_view rec, char delim, std::vector<std::string_view>& fields,
                  std::string& scratch) {
  fields.clear();
  if (rec.find('"') == std::string_view::npos) {
    std::size_t start = 0;
    for (;;) {
      const void* p = std::memchr(rec.data() + start, delim, rec.size() - start);
      if (!p) {
        fields.emplace_back(rec.data() + start, rec.size() - start);
        return fields.size();
      }
      const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(p) - rec.data());
      fields.emplace_back(rec.data() + start, at - start);
      start = at + 1;
    }
  }
  scratch.clear();
  scratch.reserve(rec.size());
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  std::size_t i = 0;
  for (;;) {
    const std::size_t from = scratch.size();
    if (i < rec.size() && rec[i] == '"') {
      ++i;
      while (i < rec.size()) {
        if (rec[i] == '"') {
          if (i + 1 < rec.size() && rec[i + 1] == '"') {
            scratch.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        scratch.push_back(rec[i++]);
      }
    }
    while (i < rec.size() && rec[i] != delim) scratch.push_back(rec[i++]);
    spans.emplace_back(from, scratch.size() - from);
    if (i >= rec.size()) break;
    ++i;
  }
  for (auto [f, n] : spans) fields.emplace_back(scratch.data() + f, n);
  return fields.size();
}

bool ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

// ---------------------------------------------------------------- the importer
class Importer {
 public:
  Importer(const Mapping& m, Catalog& c, const std::vector<VisitSink*>& sinks)
      : m_(m), cat_(c), sinks_(sinks) {}

  ImportStats run(const std::string& path, const ImportOptions& opt) {
    LineReader reader(path, opt);
    std::string_view rec;
    std::uint64_t line = 0;
    std::vector<std::string_view> fields;
    std::string scratch;
    if (!reader.next(rec, line))
      throw InputError(
          InputProblem{path, 1, 1, "LOG", "empty file; expected a header row naming the columns"});
    read_header(path, rec, fields, scratch);
    lag_s_ = opt.follow_lag_s;
    if (lag_s_ > 0) reader.on_wait = [this] { hand_early(); };
    while (reader.next(rec, line)) {
      if (reader.skip_header_ && reader.tail_first_) {
        reader.tail_first_ = false;  // the old file's unfinished record: a row; the header follows
      } else if (reader.skip_header_) {  // a rotated or truncated file starts again with its header
        reader.skip_header_ = false;
        split(rec, m_.delimiter, fields, scratch);
        if (!fields.empty() && fields[0] == header0_) continue;
      }
      if (rec.empty()) continue;
      ++st_.rows;
      row(rec, line, fields, scratch);
    }
    flush_day();
    for (auto* s : sinks_) s->finish(cat_);
    st_.bytes = reader.bytes();
    for (std::size_t i = 0; i < raw_outcomes_.size(); ++i) {
      st_.raw_outcomes[raw_outcomes_[i].first] += raw_outcomes_[i].second;
      if (i < rejected_raw_.size() && rejected_raw_[i])
        st_.rejected_raw_outcomes[raw_outcomes_[i].first] += rejected_raw_[i];
    }
    return st_;
  }

 private:
  void read_header(const std::string& path, std::string_view rec, std::vector<std::string_view>& fields,
                   std::string& scratch) {
    split(rec, m_.delimiter, fields, scratch);
    ncols_ = fields.size();
    header0_ = std::string(fields.empty() ? "" : fields[0]);
    std::vector<InputProblem> problems;
    for (std::size_t f = 0; f < kFieldCount; ++f) {
      col_[f] = -1;
      if (m_.columns[f].empty()) continue;
      for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i] == m_.columns[f]) col_[f] = static_cast<int>(i);
      if (col_[f] < 0) {
        std::string have;
        for (auto h : fields) have += (have.empty() ? "" : ", ") + shorten(std::string(h), 40);
        problems.push_back(InputProblem{
            path, 1, 1, fmt::format("columns.{}", name(Field(f))),
            fmt::format("the mapping {} names column '{}', which the header does not have (it has: {})",
                        m_.file, shorten(m_.columns[f]), shorten(have, 300))});
      }
    }
    if (!problems.empty()) throw InputError(problems);
  }

  std::string_view get(const std::vector<std::string_view>& fields, Field f) const {
    const int c = col_[static_cast<std::size_t>(f)];
    return c < 0 ? std::string_view{} : fields[static_cast<std::size_t>(c)];
  }

  bool is_none(std::string_view v) const {
    if (v.empty()) return true;
    for (const auto& n : m_.none_values)
      if (v == n) return true;
    return false;
  }

  void reject(Reject r, std::uint64_t line, std::string detail = {}) {
    ++st_.rejected[static_cast<std::size_t>(r)];
    if (raw_index_ < raw_outcomes_.size()) ++rejected_raw_[raw_index_];
    if (st_.rejected_rows.size() < kMaxRejectedRows)
      st_.rejected_rows.push_back({st_.rows, line, r, std::move(detail)});
  }

  // Parses one time field: NaN when "did not happen"; false when it does not parse.
  // For datetime exports, `date_days` is the row's date (set from the first datetime when the
  // export has no date column).
  bool time_of(std::string_view v, double& out, long& date_days, bool& have_date) {
    out = kNever;
    if (is_none(v)) return true;
    if (m_.time_format == TimeFormat::hms) return parse_hms(v, out);
    if (v.size() < 16 || (v[10] != ' ' && v[10] != 'T')) return false;
    int y, mo, d;
    if (!parse_date(v.substr(0, 10), DateFormat::ymd_dash, y, mo, d)) return false;
    double tod = 0;
    if (!parse_hms(v.substr(11), tod)) return false;
    long days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    if (!have_date) date_days = days, have_date = true;
    out = static_cast<double>(days - date_days) * 86400.0 + tod;
    return true;
  }

  void row(std::string_view rec, std::uint64_t line, std::vector<std::string_view>& fields,
           std::string& scratch) {
    const std::size_t n = split(rec, m_.delimiter, fields, scratch);
    // The raw outcome is counted for every row, rejected or not.
    std::string_view raw_outcome = n == ncols_ ? get(fields, Field::outcome) : std::string_view{};
    raw_index_ = static_cast<std::size_t>(-1);
    if (col_[std::size_t(Field::outcome)] >= 0 && n == ncols_) count_raw(raw_outcome);
    if (n < ncols_) return reject(Reject::missing_column, line, fmt::format("{} of {} fields", n, ncols_));
    if (n > ncols_) return reject(Reject::extra_columns, line, fmt::format("{} of {} fields", n, ncols_));
    if (!ascii(rec) && !is_valid_utf8(rec)) return reject(Reject::bad_encoding, line);

    Visit v;
    v.row = st_.rows;
    const std::string_view id = get(fields, Field::visit_id);
    if (id.empty()) return reject(Reject::missing_id, line);
    if (id[0] == '=' || id[0] == '+' || id[0] == '-' || id[0] == '@')
      return reject(Reject::unsafe_id, line, std::string(id.substr(0, 32)));
    if (id.size() > sizeof v.ticket_id) return reject(Reject::id_too_long, line);
    std::memcpy(v.ticket_id, id.data(), id.size());
    v.ticket_len = static_cast<unsigned char>(id.size());

    // Date.
    long date_days = 0;
    bool have_date = false;
    if (col_[std::size_t(Field::date)] >= 0) {
      int y, mo, d;
      const std::string_view ds = get(fields, Field::date);
      if (!parse_date(ds, m_.date_format, y, mo, d))
        return reject(Reject::bad_date, line, std::string(ds.substr(0, 32)));
      if (m_.set_year) {
        y = *m_.set_year;
        if (!valid_ymd(y, mo, d)) return reject(Reject::bad_date, line, "29 February in the corrected year");
      }
      date_days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
      have_date = true;
    }
    // Times, in stage order.
    static constexpr Field kStages[] = {Field::entered,       Field::ticket_issued, Field::called,
                                        Field::service_start, Field::service_end,   Field::left};
    double t[6];
    for (int i = 0; i < 6; ++i) {
      const std::string_view s = get(fields, kStages[i]);
      if (!time_of(s, t[i], date_days, have_date))
        return reject(Reject::bad_time, line, fmt::format("{} '{}'", name(kStages[i]), s.substr(0, 32)));
    }
    if (!have_date) return reject(Reject::bad_date, line, "no date and no time");
    if (m_.set_year && m_.time_format == TimeFormat::datetime) {
      // datetime exports: correct the year of the row's date (times stay relative to it)
      const std::string ds = civil_from_days(date_days);
      int y = *m_.set_year, mo = std::stoi(ds.substr(5, 2)), d = std::stoi(ds.substr(8, 2));
      if (!valid_ymd(y, mo, d)) return reject(Reject::bad_date, line, "29 February in the corrected year");
      date_days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
    }
    date_days += m_.add_days;

    // Outcome.
    Outcome oc;
    if (col_[std::size_t(Field::outcome)] >= 0) {
      const Outcome* found = nullptr;
      for (const auto& [k, o] : m_.outcomes)
        if (k == raw_outcome) found = &o;
      if (!found) return reject(Reject::unknown_outcome, line, std::string(raw_outcome.substr(0, 32)));
      oc = *found;
    } else if (m_.default_outcome) {
      oc = *m_.default_outcome;
    } else {
      oc = happened(t[3])   ? Outcome::served
           : happened(t[1]) ? Outcome::abandoned
                            : Outcome::left_before_queue;
    }
    if (oc == Outcome::incomplete) return reject(Reject::incomplete_visit, line, std::string(raw_outcome));

    // Window, matter, staff.
    std::string_view w = get(fields, Field::window);
    for (const auto& nw : m_.no_window_values)
      if (w == nw) w = {};
    if (!w.empty() && !m_.windows.empty()) {
      auto it = m_.windows.find(std::string(w));
      if (it != m_.windows.end())
        w = it->second;
      else if (m_.reject_unknown_windows)
        return reject(Reject::unknown_window, line, std::string(w.substr(0, 32)));
    }
    std::string_view mt = get(fields, Field::matter);
    if (!mt.empty() && !m_.matters.empty()) {
      auto it = m_.matters.find(std::string(mt));
      if (it != m_.matters.end())
        mt = it->second;
      else if (m_.reject_unknown_matters)
        return reject(Reject::unknown_matter, line, std::string(mt.substr(0, 32)));
    }
    // The priority class: 1 for a priority citizen (the mapping's values, or any but 0).
    if (const auto p = get(fields, Field::priority); !p.empty()) {
      int raw = 0;
      if (to_int(p, raw))
        v.priority = (m_.priority_values.empty() ? raw != 0
                                                 : std::find(m_.priority_values.begin(), m_.priority_values.end(),
                                                             raw) != m_.priority_values.end())
                         ? 1
                         : 0;
    }

    // Midnight crossings and skew, over the stages entered..service_end.
    double prev = kNever;
    int prev_i = -1;
    for (int i = 0; i < 5; ++i) {
      if (!happened(t[i])) continue;
      if (happened(prev) && t[i] < prev) {
        if (m_.midnight_crossing && prev - t[i] > 86400.0 - m_.max_visit_s) {
          t[i] += 86400.0;
          ++st_.notes[std::size_t(Note::midnight_crossing)];
        }
      }
      if (happened(prev) && t[i] < prev) {
        const bool service_pair = i == 4 && prev_i == 3;
        if (service_pair)
          return reject(Reject::end_before_start, line,
                        fmt::format("service ends {:.0f} s before it starts", prev - t[i]));
        if (prev - t[i] > m_.skew_tolerance_s) {
          // An unserved record's service period is ignored below; do not reject for it.
          if (oc == Outcome::served || i < 3)
            return reject(Reject::stages_out_of_order, line,
                          fmt::format("{} is {:.0f} s before {}", name(kStages[i]), prev - t[i],
                                      name(kStages[prev_i])));
        }
        if (oc == Outcome::served || i < 3) {
          t[i] = prev;
          ++st_.notes[std::size_t(Note::skew_clamped)];
        }
      }
      prev = t[i];
      prev_i = i;
    }
    if (happened(t[5])) {
      const double base = happened(t[0]) ? t[0] : happened(t[1]) ? t[1] : t[5];
      if (t[5] < base && m_.midnight_crossing && base - t[5] > 86400.0 - m_.max_visit_s) t[5] += 86400.0;
    }

    v.entered = t[0];
    switch (oc) {
      case Outcome::served:
        if (!happened(t[3]) || !happened(t[4])) return reject(Reject::served_without_service_times, line);
        if (w.empty()) return reject(Reject::missing_window, line);
        v.ticket = t[1];
        v.called = happened(t[2]) ? t[2] : t[3];
        if (!happened(t[1])) ++st_.notes[std::size_t(Note::served_without_queue)];
        v.start = t[3];
        v.end = t[4];
        break;
      case Outcome::abandoned:
      case Outcome::no_show:
        if (!happened(t[1])) {
          oc = Outcome::left_before_queue;
          break;
        }
        v.ticket = t[1];
        v.called = happened(t[2]) ? t[2] : happened(t[5]) ? std::max(t[5], t[1]) : t[1];
        if (happened(t[3])) ++st_.notes[std::size_t(Note::service_ignored)];
        break;
      default:
        break;
    }
    if (oc != Outcome::served && oc != Outcome::no_show && !w.empty()) {  // a no-show keeps its caller
      ++st_.notes[std::size_t(Note::window_ignored)];
      w = {};
    }
    double last = kNever;
    for (int i = 0; i < 6; ++i)
      if (happened(t[i])) last = happened(last) ? std::max(last, t[i]) : t[i];
    if (oc == Outcome::served) last = std::max(last, v.end);
    v.left = last;
    if (!happened(v.entered)) v.entered = oc == Outcome::served && happened(v.ticket) ? v.ticket : v.first();
    v.outcome = oc;

    // Day window.
    if (!started_) {
      started_ = true;
      start_days_ = date_days;
      cur_days_ = date_days;
      cat_.start_date = civil_from_days(date_days);
      st_.first_date = cat_.start_date;
    }
    if (date_days < cur_days_)
      return reject(
          Reject::date_before_window, line,
          fmt::format("{} after {} was written", civil_from_days(date_days), civil_from_days(cur_days_)));
    const double base = static_cast<double>(date_days - start_days_) * 86400.0 + m_.time_shift_s;
    double earliest = HUGE_VAL;
    for (double* x : {&v.entered, &v.ticket, &v.called, &v.start, &v.end, &v.left})
      if (happened(*x)) {
        *x += base;
        earliest = std::min(earliest, *x);
      }
    if (v.entered < 0.0) return reject(Reject::before_trace_start, line);
    // The lateness bound, checked before the row moves the day window: a rejected row moves nothing.
    if (lag_s_ > 0 && earliest < newest_last_ - lag_s_)
      return reject(Reject::beyond_follow_lag, line,
                    fmt::format("its first event {} is {:.0f} s before the newest row's last event {} "
                                "(--follow-lag {:g} s)",
                                clock_text(earliest), newest_last_ - earliest, clock_text(newest_last_),
                                lag_s_));
    if (date_days > cur_days_) {
      flush_day();
      cur_days_ = date_days;
    }
    v.date_day = static_cast<int>(date_days - start_days_);
    if (!w.empty()) v.window = cat_.windows.id(w);
    if (!mt.empty()) v.matter = cat_.matters.id(mt);
    if (const auto s = get(fields, Field::staff); !s.empty() && v.window != kNoId) v.staff = cat_.staff.id(s);
    day_.push_back(v);
    if (lag_s_ > 0) newest_last_ = std::max(newest_last_, v.left);
    ++st_.imported;
    ++st_.outcomes[static_cast<std::size_t>(oc)];
  }

  void count_raw(std::string_view v) {
    for (std::size_t i = 0; i < raw_outcomes_.size(); ++i)
      if (raw_outcomes_[i].first == v) {
        ++raw_outcomes_[i].second;
        raw_index_ = i;
        return;
      }
    raw_outcomes_.emplace_back(std::string(v), 1);
    rejected_raw_.push_back(0);
    raw_index_ = raw_outcomes_.size() - 1;
  }

  // "YYYY-MM-DD HH:MM:SS" of an absolute time (seconds since 00:00 of the first date).
  std::string clock_text(double abs_s) const {
    const double day = std::floor(abs_s / 86400.0);
    const auto tod = static_cast<long>(std::lround(abs_s - day * 86400.0));
    return fmt::format("{} {:02}:{:02}:{:02}", civil_from_days(start_days_ + static_cast<long>(day)), tod / 3600,
                       tod / 60 % 60, tod % 60);
  }

  // With a lateness bound: the visits of the current date not yet handed on,
  // and the horizon no row still to come can precede.
  void hand_early() {
    if (lag_s_ <= 0 || !started_) return;
    const std::span<const Visit> fresh(day_.data() + handed_, day_.size() - handed_);
    for (auto* s : sinks_) s->early(cat_, fresh, newest_last_ - lag_s_);
    handed_ = day_.size();
  }

  void flush_day() {
    if (!started_ || (day_.empty() && flushed_ == cur_days_)) return;
    hand_early();  // before the sort: early() takes the visits not handed yet, by index
    std::sort(day_.begin(), day_.end(), [](const Visit& a, const Visit& b) {
      const double fa = a.first(), fb = b.first();
      return fa != fb ? fa < fb : a.row < b.row;
    });
    // Overlapping services of one server (counted, kept: the log says so).
    services_.clear();
    for (const Visit& v : day_)
      if (v.outcome == Outcome::served) services_.emplace_back(v.window, v.start, v.end);
    std::sort(services_.begin(), services_.end());
    for (std::size_t i = 1; i < services_.size(); ++i)
      if (std::get<0>(services_[i]) == std::get<0>(services_[i - 1]) &&
          std::get<1>(services_[i]) < std::get<2>(services_[i - 1]))
        ++st_.notes[std::size_t(Note::overlapping_service)];
    if (!day_.empty()) {
      ++st_.days;
      st_.last_date = civil_from_days(cur_days_);
    }
    for (auto* s : sinks_) s->day(cat_, static_cast<int>(cur_days_ - start_days_), day_);
    day_.clear();
    handed_ = 0;
    flushed_ = cur_days_;
  }

  const Mapping& m_;
  Catalog& cat_;
  std::vector<VisitSink*> sinks_;
  ImportStats st_;
  std::size_t ncols_ = 0;
  std::string header0_;
  std::array<int, kFieldCount> col_{};
  bool started_ = false;
  long start_days_ = 0, cur_days_ = 0, flushed_ = -1;
  std::vector<Visit> day_;
  // The lateness bound (0: none), the latest last event of the imported rows,
  // and how many of day_ went to VisitSink::early.
  double lag_s_ = 0.0, newest_last_ = -HUGE_VAL;
  std::size_t handed_ = 0;
  std::vector<std::tuple<std::uint32_t, double, double>> services_;
  std::vector<std::pair<std::string, std::uint64_t>> raw_outcomes_;
  std::vector<std::uint64_t> rejected_raw_;
  std::size_t raw_index_ = static_cast<std::size_t>(-1);
};

}  // namespace

ImportStats import_csv(const std::string& path, const Mapping& mapping, Catalog& catalog,
                       const std::vector<VisitSink*>& sinks, const ImportOptions& options) {
  Importer imp(mapping, catalog, sinks);
  return imp.run(path, options);
}

}  // namespace halltwin::connect
