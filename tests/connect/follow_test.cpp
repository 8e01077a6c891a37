// `halltwin import --follow`: a growing export read while it is written, in
// steps (a record split across two writes), truncated and rewritten, and
// rotated (renamed away and recreated, with an unfinished last record left
// behind), ends by --idle-exit with every row accounted for exactly as an
// import of the same rows in one file; standard input ends at its end.
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

}  // namespace
}  // namespace halltwin::connect
