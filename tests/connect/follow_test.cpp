// `halltwin import --follow`: a growing export read while it is written, in
// steps (a record split across two writes), truncated and rewritten, and
// rotated (renamed away and recreated, with an unfinished last record left
// behind), ends by --idle-exit with every row accounted for exactly as an
// import of the same rows in one file; standard input ends at its end. With
// --follow-lag the trace grows in OUT.partial while the import runs: the first
// rows' events are there before the day's later rows are written, a row later
// than the bound is rejected with its reason and row number, and the final
// trace equals a one-shot import of the same rows with the same bound; across
// midnight the bound writes the trace of an import without it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "model/trace/trace_reader.hpp"
#include "tests/support/cli_run.hpp"

namespace halltwin::connect {
namespace {

namespace fs = std::filesystem;
using halltwin::testing::cli_temp_path;
using halltwin::testing::read_whole_file;
using halltwin::testing::run_cli;
using nlohmann::json;

const std::string kBankLog =
    HALLTWIN_SOURCE_DIR "/../shared/data/anonymous-bank-1999-08/calls-1999-08-01-to-21.csv";
const std::string kBankMapping = HALLTWIN_SOURCE_DIR "/scenarios/connectors/anonymous-bank.yaml";
const std::string kHallMapping = HALLTWIN_SOURCE_DIR "/scenarios/connectors/generic-hall.yaml";

struct Slices {
  std::string header;
  std::vector<std::vector<std::string>> days;  // the first `per_day` rows of the first dates
};

// The header and the first `per_day` rows (with their line ends) of each of the first `n` dates.
Slices bank_slices(std::size_t n, std::size_t per_day) {
  std::ifstream in(kBankLog);
  Slices s;
  std::getline(in, s.header);
  s.header += "\n";
  std::string line, date;
  while (std::getline(in, line)) {
    std::size_t pos = 0;  // the date is the 6th field
    for (int i = 0; i < 5; ++i) pos = line.find(',', pos) + 1;
    const std::string day = line.substr(pos, 10);
    if (day != date) {
      if (s.days.size() == n) break;
      s.days.emplace_back();
      date = day;
    }
    if (s.days.back().size() < per_day) s.days.back().push_back(line + "\n");
  }
  return s;
}

void append(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << text;
}

std::string join(const std::vector<std::string>& rows, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  std::string s;
  for (std::size_t i = from; i < std::min(to, rows.size()); ++i) s += rows[i];
  return s;
}

void pause_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// The read offset of the process that has `path` open (read from /proc/PID/fdinfo),
// or -1 while none has. The test steps wait on it instead of on fixed pauses: a
// loaded machine (or a sanitizer build) may start the follower seconds late, and
// a step written before it looked would be a different test.
long long reader_offset(const std::string& path) {
  std::error_code ec;
  const fs::path target = fs::weakly_canonical(path, ec);
  for (fs::directory_iterator proc("/proc", ec), end; !ec && proc != end; proc.increment(ec)) {
    const std::string pid = proc->path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(::getpid())) continue;
    std::error_code fd_ec;
    for (fs::directory_iterator fd(proc->path() / "fd", fd_ec); !fd_ec && fd != end; fd.increment(fd_ec)) {
      std::error_code link_ec;
      if (fs::read_symlink(fd->path(), link_ec) != target || link_ec) continue;
      std::ifstream info(proc->path() / "fdinfo" / fd->path().filename());
      std::string key;
      long long pos = -1;
      while (info >> key)
        if (key == "pos:" && (info >> pos)) return pos;
    }
  }
  return -1;
}

// Waits (up to two minutes) until the follower's offset in `path` satisfies `done`.
template <class Done>
void wait_for_reader(const std::string& path, Done done, const char* what) {
  const auto t0 = std::chrono::steady_clock::now();
  while (!done(reader_offset(path))) {
    if (std::chrono::steady_clock::now() - t0 > std::chrono::seconds(120)) {
      ADD_FAILURE() << "the follower never " << what;
      return;
    }
    pause_ms(20);
  }
}

// Waits until the follower has read `path` to its current end.
void wait_read_to_end(const std::string& path) {
  const auto size = static_cast<long long>(fs::file_size(path));
  wait_for_reader(path, [size](long long pos) { return pos >= size; }, "read the file to its end");
}

TEST(ImportFollowTest, GrowingTruncatedAndRotatedFileIsReadLikeOneFile) {
  const Slices s = bank_slices(4, 150);
  ASSERT_EQ(s.days.size(), 4u);
  const std::string log = cli_temp_path("follow", "growing.csv"), rotated = log + ".1";
  const std::string json_out = cli_temp_path("follow", "follow.json");
  const std::string trace_out = cli_temp_path("follow", "follow-trace.csv");
  const std::string partial = "AA0101,99999,0,1,PS,2010-08-0";  // a record cut off by the rotation
  {
    std::ofstream out(log, std::ios::binary | std::ios::trunc);
    out << s.header << join(s.days[0], 0, 50);
  }
  halltwin::testing::CliRun followed;
  std::thread importer([&] {
    followed = run_cli("import " + log + " --mapping " + kBankMapping +
                       " --follow --idle-exit 5 --json " + json_out + " --trace " + trace_out);
  });
  wait_read_to_end(log);
  append(log, join(s.days[0], 50, 149));
  const std::string last = s.days[0][149];
  append(log, last.substr(0, 20));  // one record written in two steps
  wait_read_to_end(log);
  append(log, last.substr(20) + join(s.days[1]));
  wait_read_to_end(log);
  // Truncated in place (copytruncate) and written again from its header, once
  // the follower has seen the truncation (its offset back at the start).
  { std::ofstream out(log, std::ios::binary | std::ios::trunc); }
  wait_for_reader(log, [](long long pos) { return pos == 0; }, "saw the truncation");
  append(log, s.header + join(s.days[2]));
  wait_read_to_end(log);
  // Rotated: the writer leaves an unfinished record, the file is renamed away
  // and a new one begins with its header.
  append(log, partial);
  wait_read_to_end(log);
  fs::rename(log, rotated);
  append(log, s.header + join(s.days[3]));
  importer.join();
  ASSERT_EQ(followed.code, 0) << followed.out;

  // The same rows in one file, imported at once.
  const std::string whole = cli_temp_path("follow", "whole.csv"), whole_json = cli_temp_path("follow", "whole.json");
  const std::string whole_trace = cli_temp_path("follow", "whole-trace.csv");
  {
    std::ofstream out(whole, std::ios::binary | std::ios::trunc);
    out << s.header << join(s.days[0]) << join(s.days[1]) << join(s.days[2]) << partial << "\n"
        << join(s.days[3]);
  }
  const auto once = run_cli("import " + whole + " --mapping " + kBankMapping + " --json " + whole_json +
                            " --trace " + whole_trace);
  ASSERT_EQ(once.code, 0) << once.out;
  const json a = json::parse(read_whole_file(json_out)), b = json::parse(read_whole_file(whole_json));
  EXPECT_EQ(a["rows"], 4 * 150 + 1);
  EXPECT_EQ(a["rows"], b["rows"]);
  EXPECT_EQ(a["imported"], b["imported"]);
  EXPECT_EQ(a["outcomes"], b["outcomes"]);
  EXPECT_EQ(a["rejected"], b["rejected"]);
  EXPECT_EQ(a["days"], 4);
  EXPECT_EQ(a["rejected"].value("missing_column", 0), 1) << a["rejected"].dump();  // the cut-off record
  EXPECT_EQ(a["trace"]["events"], b["trace"]["events"]);
  EXPECT_GT(a["trace"]["events"].get<int>(), 4 * 150);
  // The same events (the header names the input file, which differs).
  auto body = [](const std::string& path) {
    const std::string t = read_whole_file(path);
    return t.substr(t.find("\nday,"));
  };
  EXPECT_EQ(body(trace_out), body(whole_trace));
  for (const auto& p : {log, rotated, json_out, trace_out, whole, whole_json, whole_trace}) fs::remove(p);
}

TEST(ImportFollowTest, StandardInputEndsAtItsEnd) {
  const Slices s = bank_slices(2, 100);
  const std::string log = cli_temp_path("follow", "stdin.csv"), json_out = cli_temp_path("follow", "stdin.json");
  {
    std::ofstream out(log, std::ios::binary | std::ios::trunc);
    out << s.header << join(s.days[0]) << join(s.days[1]);
  }
  // Through a pipe (a redirected regular file would be followed like a file);
  // --idle-exit only guards the test against a hang: the pipe's end must come first.
  const auto t0 = std::chrono::steady_clock::now();
  FILE* p = popen(("cat " + log + " | " HALLTWIN_CLI " import - --mapping " + kBankMapping +
                   " --follow --idle-exit 20 --json " + json_out + " 2>&1")
                      .c_str(),
                  "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 18.0);
  const json j = json::parse(read_whole_file(json_out));
  EXPECT_EQ(j["rows"], 200);
  EXPECT_EQ(j["days"], 2);
  // --idle-exit without --follow is a bad flag.
  EXPECT_EQ(run_cli("import " + log + " --mapping " + kBankMapping + " --idle-exit 1").code, 2);
  fs::remove(log);
  fs::remove(json_out);
}


// A generic hall export as a live queue system writes it: one row per ticket
// when it is done, so rows come in order of their last event. Ticket i is
// issued at 08:00 + 5 min * i, called 4 min later, served from 4.5 to 10 min.
const std::string kHallHeader =
    "ticket_no,customer_name,id_card,phone,service_code,priority,issued_at,called_at,serve_start,serve_end,"
    "counter,staff_id,status\n";

std::string hall_clock(int s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "2026-03-02 %02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

std::string hall_row(const std::string& ticket, int issued_s) {
  const int called = issued_s + 240, start = issued_s + 270, end = issued_s + 600;
  return ticket + ",,,,S01,0," + hall_clock(issued_s) + "," + hall_clock(called) + "," + hall_clock(start) + "," +
         hall_clock(end) + ",A0" + std::to_string(1 + issued_s / 300 % 3) + ",S1,done\n";
}

std::string hall_rows(int from, int to) {
  std::string s;
  for (int i = from; i < to; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "T%03d", i + 1);
    s += hall_row(id, 8 * 3600 + 300 * i);
  }
  return s;
}

// The events of a trace file (it must read as a whole trace: header, sorted records).
std::vector<TraceEvent> read_events(const std::string& path) {
  std::vector<TraceEvent> out;
  TraceReader r{fs::path(path)};
  TraceEvent e;
  while (r.next(e)) out.push_back(e);
  return out;
}

TEST(ImportFollowTest, LagWritesTheTraceDuringTheDayAndAccountsForALateRow) {
  const std::string log = cli_temp_path("follow", "hall.csv"), json_out = cli_temp_path("follow", "hall.json");
  const std::string trace_out = cli_temp_path("follow", "hall-trace.csv"), partial = trace_out + ".partial";
  fs::remove(trace_out);
  fs::remove(partial);
  {
    std::ofstream out(log, std::ios::binary | std::ios::trunc);
    out << kHallHeader << hall_rows(0, 20);
  }
  halltwin::testing::CliRun followed;
  std::thread importer([&] {
    followed = run_cli("import " + log + " --mapping " + kHallMapping +
                       " --follow --follow-lag 1800 --idle-exit 8 --json " + json_out + " --trace " + trace_out);
  });
  wait_read_to_end(log);
  // The newest row (T020) ends at 09:45; nothing still to come can be earlier than 09:15: the
  // events before 09:15 are written during the day, while the import runs.
  std::vector<TraceEvent> live;
  {
    const auto t0 = std::chrono::steady_clock::now();
    while (read_whole_file(partial).find(",T001,") == std::string::npos &&
           std::chrono::steady_clock::now() - t0 < std::chrono::seconds(120))
      pause_ms(20);
    live = read_events(partial);
  }
  EXPECT_FALSE(fs::exists(trace_out)) << "the final trace appears only at the end";
  ASSERT_FALSE(live.empty());
  EXPECT_EQ(live.front().ticket, "");  // T001 entered at 08:00:00 (entered has no ticket)
  EXPECT_DOUBLE_EQ(live.front().time_s, 8 * 3600.0);
  for (const auto& e : live) EXPECT_LT(e.time_s, 9 * 3600.0 + 15 * 60) << "an event past the horizon";
  EXPECT_GT(live.size(), 20u);  // about 14 tickets issued before 09:15
  // A row later than the bound: T900 issued at 08:05, after rows that ended at 09:45 (row 21);
  // then the rest of the day.
  append(log, hall_row("T900", 8 * 3600 + 300) + hall_rows(20, 40));
  wait_read_to_end(log);
  importer.join();
  ASSERT_EQ(followed.code, 0) << followed.out;
  EXPECT_FALSE(fs::exists(partial)) << "renamed onto the trace at the end";
  const json a = json::parse(read_whole_file(json_out));
  EXPECT_EQ(a["rows"], 41);
  EXPECT_EQ(a["imported"], 40);
  EXPECT_EQ(a["rejected"], json({{"beyond_follow_lag", 1}}));
  ASSERT_EQ(a["rejected_rows"].size(), 1u);
  EXPECT_EQ(a["rejected_rows"][0]["row"], 21);
  EXPECT_EQ(a["rejected_rows"][0]["reason"], "beyond_follow_lag");
  EXPECT_NE(a["rejected_rows"][0]["detail"].get<std::string>().find("--follow-lag 1800"), std::string::npos);
  EXPECT_NE(followed.out.find("beyond_follow_lag"), std::string::npos) << followed.out;

  // The whole trace: the live events are its beginning, and a one-shot import of the same
  // rows with the same bound writes the same events; without the bound the late row is
  // imported, and its events are the only difference.
  const auto final_events = read_events(trace_out);
  ASSERT_GE(final_events.size(), live.size());
  for (std::size_t i = 0; i < live.size(); ++i) EXPECT_EQ(final_events[i].entity, live[i].entity) << i;
  auto body = [](const std::string& path) {
    const std::string t = read_whole_file(path);
    return t.substr(t.find("\nday,"));
  };
  const std::string once_json = cli_temp_path("follow", "hall-once.json");
  const std::string once_trace = cli_temp_path("follow", "hall-once-trace.csv");
  auto once = run_cli("import " + log + " --mapping " + kHallMapping + " --follow-lag 1800 --json " + once_json +
                      " --trace " + once_trace);
  ASSERT_EQ(once.code, 0) << once.out;
  const json b = json::parse(read_whole_file(once_json));
  EXPECT_EQ(a["rejected_rows"], b["rejected_rows"]);
  EXPECT_EQ(a["outcomes"], b["outcomes"]);
  EXPECT_EQ(a["trace"]["events"], b["trace"]["events"]);
  EXPECT_EQ(body(trace_out), body(once_trace));
  once = run_cli("import " + log + " --mapping " + kHallMapping + " --json " + once_json + " --trace " + once_trace);
  ASSERT_EQ(once.code, 0) << once.out;
  EXPECT_EQ(json::parse(read_whole_file(once_json))["imported"], 41);
  std::string without_late;  // the one-shot trace without the lines of the late row (V21)
  {
    const std::string all = body(once_trace);
    for (std::size_t at = 0; at < all.size();) {
      const std::size_t nl = std::min(all.find('\n', at + 1), all.size());
      if (all.substr(at, nl - at).find(",V21,") == std::string::npos) without_late += all.substr(at, nl - at);
      at = nl;
    }
  }
  EXPECT_NE(without_late, body(once_trace));
  EXPECT_EQ(body(trace_out), without_late) << "the late row's events are the only difference";
  for (const auto& p : {log, json_out, trace_out, once_json, once_trace}) fs::remove(p);
}

// Across midnight: with the bound, dates handed on as they come (the last visit of the first
// date ends after midnight) give the trace of an import without the bound, event for event.
TEST(ImportFollowTest, LagAcrossMidnightWritesTheSameTrace) {
  auto on = [](const char* date, int s) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s %02d:%02d:%02d", s >= 86400 ? "2026-03-03" : date, s % 86400 / 3600,
                  s / 60 % 60, s % 60);
    return std::string(buf);
  };
  std::string rows;
  int n = 0;
  auto add = [&](const char* date, int issued_s) {
    char id[16];
    std::snprintf(id, sizeof id, "T%03d", ++n);
    rows += std::string(id) + ",,,,S0" + std::to_string(1 + n % 2) + ",0," + on(date, issued_s) + "," +
            on(date, issued_s + 240) + "," + on(date, issued_s + 270) + "," + on(date, issued_s + 600) + ",A0" +
            std::to_string(1 + n % 3) + ",S1,done\n";
  };
  for (int i = 0; i < 24; ++i) add("2026-03-02", 22 * 3600 + 300 * i);  // the last one ends at 00:05
  for (int i = 0; i < 10; ++i) add("2026-03-03", 8 * 3600 + 300 * i);
  const std::string log = cli_temp_path("follow", "midnight.csv");
  {
    std::ofstream out(log, std::ios::binary | std::ios::trunc);
    out << kHallHeader << rows;
  }
  auto run = [&](const std::string& flags, const std::string& name) {
    const std::string trace = cli_temp_path("follow", name);
    const auto r = run_cli("import " + log + " --mapping " + kHallMapping + " " + flags + " --trace " + trace);
    EXPECT_EQ(r.code, 0) << r.out;
    EXPECT_NE(r.out.find("34 rows: 34 imported, 0 rejected; 2 day(s)"), std::string::npos) << r.out;
    const std::string t = read_whole_file(trace);
    fs::remove(trace);
    return t.substr(t.find("\nday,"));
  };
  const std::string plain = run("", "midnight-plain.csv");
  EXPECT_GT(std::count(plain.begin(), plain.end(), '\n'), 34 * 5);
  EXPECT_EQ(run("--follow-lag 1800", "midnight-lag.csv"), plain);
  EXPECT_EQ(run("--follow --idle-exit 1 --follow-lag 1800", "midnight-follow.csv"), plain);
  fs::remove(log);
}

// The mapping can state the queue system's lateness bound (follow_lag_s): an
// import without --follow-lag then takes it (a row later than it is rejected
// as beyond_follow_lag, as with the flag); the flag overrides it; a wrong
// value is exit 2 naming the mapping's line and key.
TEST(ImportFollowTest, TheMappingCarriesTheLatenessBound) {
  const std::string log = cli_temp_path("follow", "mapping-lag.csv");
  const std::string mapping = cli_temp_path("follow", "mapping-lag.yaml");
  {
    std::ofstream out(log, std::ios::binary | std::ios::trunc);
    out << kHallHeader << hall_rows(0, 20) << hall_row("V21", 8 * 3600);  // V21: 1 h 35 min behind T020
  }
  auto with_lag = [&](const std::string& value) {
    std::ofstream out(mapping, std::ios::binary | std::ios::trunc);
    out << read_whole_file(kHallMapping) << "\nfollow_lag_s: " << value << "\n";
  };
  auto rejected = [&](const std::string& map, const std::string& flags) {
    const std::string json_out = cli_temp_path("follow", "mapping-lag.json");
    const auto r = run_cli("import " + log + " --mapping " + map + " " + flags + " --json " + json_out);
    EXPECT_EQ(r.code, 0) << r.out;
    const json j = json::parse(read_whole_file(json_out));
    fs::remove(json_out);
    return j["rejected_rows"].size();
  };
  EXPECT_EQ(rejected(kHallMapping, ""), 0u);
  EXPECT_EQ(rejected(kHallMapping, "--follow-lag 1800"), 1u);
  with_lag("1800");
  EXPECT_EQ(rejected(mapping, ""), 1u);                     // the mapping's bound
  EXPECT_EQ(rejected(mapping, "--follow-lag 86400"), 0u);   // the flag overrides it
  for (const char* bad : {"0", "abc", "90000"}) {
    with_lag(bad);
    const auto r = run_cli("import " + log + " --mapping " + mapping);
    EXPECT_EQ(r.code, 2) << bad << ": " << r.out;
    EXPECT_NE(r.out.find("follow_lag_s"), std::string::npos) << bad << ": " << r.out;
    EXPECT_NE(r.out.find(mapping + ":"), std::string::npos) << bad << ": " << r.out;
  }
  fs::remove(log);
  fs::remove(mapping);
}

TEST(ImportFollowTest, FollowLagIsValidated) {
  const std::string log = cli_temp_path("follow", "lag.csv"), trace_out = cli_temp_path("follow", "lag-trace.csv");
  {
    std::ofstream out(log, std::ios::binary | std::ios::trunc);
    out << kHallHeader << hall_rows(0, 3);
  }
  fs::remove(trace_out);
  for (const char* bad : {"0", "-5", "abc", "nan", "90000"}) {
    const auto r = run_cli("import " + log + " --mapping " + kHallMapping + " --follow --idle-exit 1 --follow-lag " +
                           bad + " --trace " + trace_out);
    EXPECT_EQ(r.code, 2) << bad << ": " << r.out;
    EXPECT_NE(r.out.find("--follow-lag"), std::string::npos) << bad << ": " << r.out;
    EXPECT_FALSE(fs::exists(trace_out)) << bad;
    EXPECT_FALSE(fs::exists(trace_out + ".partial")) << bad;
  }
  // The live trace's OUT.partial may not be the followed file: refused before reading, input kept.
  const std::string partial = trace_out + ".partial";
  fs::copy_file(log, partial, fs::copy_options::overwrite_existing);
  const auto r = run_cli("import " + partial + " --mapping " + kHallMapping + " --follow --idle-exit 1 --trace " +
                         trace_out);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("is the input file"), std::string::npos) << r.out;
  EXPECT_EQ(read_whole_file(partial), read_whole_file(log));
  EXPECT_FALSE(fs::exists(trace_out));
  fs::remove(partial);
  fs::remove(log);
}

}  // namespace
}  // namespace halltwin::connect
