// Bad traces: each is rejected with a message naming the file, the line, the
// column, the field and what was expected.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "model/input_error.hpp"
#include "model/trace/trace_reader.hpp"
#include "model/trace/trace_writer.hpp"

namespace halltwin {
namespace {

const std::string kHead =
    "#format,halltwin-trace/2\n"                                                             // 1
    "#scenario,清水塘村便民服务站\n"                                                         // 2
    "#scenario_file,scenarios/village.yaml\n"                                                // 3
    "#source,halltwin run\n"                                                                 // 4
    "#seed,42\n"                                                                             // 5
    "#replication,1\n"                                                                       // 6
    "#start_date,2026-03-02\n"                                                               // 7
    "#sample_interval_s,1\n"                                                                 // 8
    "day,time_s,event,entity,kind,ticket,matter,window,staff,seat,door,device,x,y,floor\n";  // 9
const std::string kRow = "0,30600.000,called,C1,citizen,A001,M01,V01,,,,,,,\n";              // 10

// Reads `text` to its end; returns the error message, or "no error".
std::string read_error(const std::string& text) {
  std::istringstream in(text);
  try {
    TraceReader reader(in, "t.csv");
    TraceEvent e;
    while (reader.next(e)) {
    }
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(TraceTest, ValidInputHasNoError) { EXPECT_EQ(read_error(kHead + kRow), "no error"); }

// --- header ------------------------------------------------------------------

TEST(TraceTest, RejectsAnEmptyFile) {
  EXPECT_EQ(read_error(""), "t.csv: error: empty file: expected the first line '#format,halltwin-trace/2'");
}

TEST(TraceTest, RejectsAFileThatIsNotATrace) {
  EXPECT_EQ(read_error("ticket,called\nA001,09:00\n"),
            "t.csv:1:1: error: not a halltwin trace: expected the first line '#format,halltwin-trace/2'");
}

TEST(TraceTest, RejectsAnotherFormatVersion) {
  EXPECT_EQ(read_error(replaced(kHead, "halltwin-trace/2", "halltwin-trace/3")),
            "t.csv:1:9: error: #format: unsupported format version \"halltwin-trace/3\": this reader reads "
            "halltwin-trace/1 and halltwin-trace/2 (docs/trace-format.md, Versioning)");
}

TEST(TraceTest, ReadsVersionOneButNotItsMissingEvents) {
  const std::string v1 = replaced(kHead, "halltwin-trace/2", "halltwin-trace/1");
  EXPECT_EQ(read_error(v1 + "0,30600.000,appointment,C1,citizen,APP-1,,,,,,,,,\n"),
            "t.csv:10:13: error: event: 'appointment' events exist from halltwin-trace/2 on; this file says "
            "halltwin-trace/1");
}

TEST(TraceTest, RejectsAHeaderNotStartingWithFormat) {
  EXPECT_EQ(
      read_error(replaced(kHead, "#format,halltwin-trace/2\n", "")),
      "t.csv:1:1: error: expected the first line '#format,halltwin-trace/2', got the header key '#scenario'");
}

TEST(TraceTest, RejectsAMissingHeaderLine) {
  EXPECT_EQ(
      read_error(replaced(kHead, "#seed,42\n", "")),
      "t.csv:8:1: error: #seed: missing header line before the column line (write '#seed,' when the value "
      "is unknown)");
}

TEST(TraceTest, RejectsAnUnknownHeaderKey) {
  EXPECT_EQ(
      read_error(replaced(kHead, "#seed,42", "#sede,42")),
      "t.csv:5:1: error: #sede: unknown header key; expected one of: #format, #scenario, #scenario_file, "
      "#source, #seed, #replication, #start_date, #sample_interval_s");
}

TEST(TraceTest, RejectsADuplicateHeaderLine) {
  EXPECT_EQ(read_error(replaced(kHead, "#seed,42\n", "#seed,42\n#seed,43\n")),
            "t.csv:6:1: error: #seed: duplicate header line (first on line 5)");
}

TEST(TraceTest, RejectsAHeaderLineWithTwoValues) {
  EXPECT_EQ(
      read_error(replaced(kHead, "#seed,42", "#seed,42,43")),
      "t.csv:5:10: error: #seed: unexpected field after the value (a header line is '#key,value'; quote a "
      "value that contains a comma)");
}

TEST(TraceTest, RejectsABadSeed) {
  EXPECT_EQ(read_error(replaced(kHead, "#seed,42", "#seed,-1")),
            "t.csv:5:7: error: #seed: expected an unsigned integer, or empty when unknown, got \"-1\"");
}

TEST(TraceTest, RejectsAReplicationBelowOne) {
  EXPECT_EQ(read_error(replaced(kHead, "#replication,1", "#replication,0")),
            "t.csv:6:14: error: #replication: expected an integer >= 1, got 0");
}

TEST(TraceTest, RejectsAnImpossibleStartDate) {
  EXPECT_EQ(read_error(replaced(kHead, "2026-03-02", "2026-02-30")),
            "t.csv:7:13: error: #start_date: expected a date YYYY-MM-DD, got \"2026-02-30\"");
}

TEST(TraceTest, RejectsABadSampleInterval) {
  EXPECT_EQ(
      read_error(replaced(kHead, "#sample_interval_s,1", "#sample_interval_s,1s")),
      "t.csv:8:20: error: #sample_interval_s: expected seconds as a decimal number, or empty when the trace "
      "has no position samples, got \"1s\"");
  EXPECT_EQ(read_error(replaced(kHead, "#sample_interval_s,1", "#sample_interval_s,0")),
            "t.csv:8:20: error: #sample_interval_s: expected seconds between 0.001 and 86400, got 0");
}

TEST(TraceTest, RejectsAnEmptySource) {
  EXPECT_EQ(read_error(replaced(kHead, "#source,halltwin run", "#source,")),
            "t.csv:4:9: error: #source: required (the producer, e.g. \"halltwin run\"), but empty");
}

TEST(TraceTest, RejectsWrongColumnNames) {
  EXPECT_EQ(read_error(replaced(kHead, "day,time_s,", "day,time,")),
            "t.csv:9:5: error: expected the column line "
            "'day,time_s,event,entity,kind,ticket,matter,window,staff,seat,door,device,x,y,floor': column 2 "
            "must be 'time_s', got \"time\"");
  EXPECT_EQ(read_error(replaced(kHead, ",floor\n", ",floor,note\n")),
            "t.csv:9:1: error: expected the column line "
            "'day,time_s,event,entity,kind,ticket,matter,window,staff,seat,door,device,x,y,floor' (15 "
            "columns), got "
            "16 columns");
}

TEST(TraceTest, RejectsAFileEndingInTheHeader) {
  EXPECT_EQ(
      read_error(replaced(
          kHead, "day,time_s,event,entity,kind,ticket,matter,window,staff,seat,door,device,x,y,floor\n", "")),
      "t.csv:8:1: error: the file ends inside the header: expected the column line "
      "'day,time_s,event,entity,kind,ticket,matter,window,staff,seat,door,device,x,y,floor'");
}

TEST(TraceTest, RejectsAHeaderLineAfterTheColumnLine) {
  EXPECT_EQ(read_error(kHead + "#seed,43\n"),
            "t.csv:10:1: error: header line after the column line (header lines come first)");
}

// --- records -----------------------------------------------------------------

TEST(TraceTest, RejectsAWrongFieldCount) {
  EXPECT_EQ(read_error(kHead + kRow + "0,30600.000,called,C1,citizen,A001,M01,V01\n"),
            "t.csv:11:1: error: expected 15 fields "
            "(day,time_s,event,entity,kind,ticket,matter,window,staff,seat,door,device,x,y,floor), got 8");
}

TEST(TraceTest, RejectsAnUnknownEventType) {
  EXPECT_EQ(
      read_error(kHead + replaced(kRow, "called", "calld")),
      "t.csv:10:13: error: event: unknown event type \"calld\"; expected one of: entered, ticket_issued, "
      "seated, standing, called, walk_start, service_start, service_end, abandoned, no_show, "
      "backoffice_start, backoffice_end, pickup, left, evac_start, exit, position, shift_start, shift_end, "
      "break_start, break_end, window_open, window_close, door_blocked, appointment");
}

TEST(TraceTest, RejectsABadDay) {
  EXPECT_EQ(read_error(kHead + replaced(kRow, "0,", "-1,")),
            "t.csv:10:1: error: day: expected a day index (an integer >= 0), got \"-1\"");
}

TEST(TraceTest, RejectsABadTime) {
  EXPECT_EQ(read_error(kHead + replaced(kRow, "30600.000", "08:30")),
            "t.csv:10:3: error: time_s: expected seconds since 00:00 of the day as a decimal number (e.g. "
            "37800.250), got \"08:30\"");
  EXPECT_EQ(read_error(kHead + replaced(kRow, "30600.000", "3.06e4")),
            "t.csv:10:3: error: time_s: expected seconds since 00:00 of the day as a decimal number (e.g. "
            "37800.250), got \"3.06e4\"");
}

TEST(TraceTest, RejectsATimeOutsideTheDay) {
  EXPECT_EQ(
      read_error(kHead + replaced(kRow, "30600.000", "86400.000")),
      "t.csv:10:3: error: time_s: expected seconds since 00:00 of the day, 0 <= time_s < 86400 (a later "
      "time belongs to the next day), got 86400");
}

TEST(TraceTest, RejectsTimeGoingBackwards) {
  EXPECT_EQ(
      read_error(kHead + kRow + replaced(kRow, "30600.000", "30599.999")),
      "t.csv:11:3: error: time_s: time goes backwards: day 0 30599.999 s is before the previous record's "
      "day 0 30600.000 s (line 10); records must be in non-decreasing (day, time_s) order");
  EXPECT_EQ(read_error(kHead + replaced(kRow, "0,", "1,") + kRow),
            "t.csv:11:1: error: day: time goes backwards: day 0 30600.000 s is before the previous record's "
            "day 1 30600.000 s (line 10); records must be in non-decreasing (day, time_s) order");
  EXPECT_EQ(read_error(kHead + kRow + kRow), "no error") << "equal times keep file order";
}

TEST(TraceTest, RejectsAnUnknownKind) {
  EXPECT_EQ(read_error(kHead + replaced(kRow, "citizen", "citzen")),
            "t.csv:10:23: error: kind: unknown kind \"citzen\"; expected one of: citizen, staff, evacuee (or "
            "empty for an event about a facility)");
}

TEST(TraceTest, CountsColumnsInCharactersNotBytes) {
  EXPECT_EQ(read_error(kHead + replaced(replaced(kRow, "C1", "张三丰"), "citizen", "市民")),
            "t.csv:10:24: error: kind: unknown kind \"市民\"; expected one of: citizen, staff, evacuee (or "
            "empty for an event about a facility)");
}

TEST(TraceTest, RejectsAMissingRequiredId) {
  EXPECT_EQ(read_error(kHead + replaced(kRow, "V01", "")),
            "t.csv:10:40: error: window: required for 'called' events (the window), but empty");
  EXPECT_EQ(
      read_error(kHead + "0,30600.000,service_start,C1,citizen,A001,M01,,S01,,,,,,\n"),
      "t.csv:10:47: error: window: required for 'service_start' events (the window, or the device in the "
      "device column), but empty");
  EXPECT_EQ(read_error(kHead + "0,30600.000,exit,E1,evacuee,,,,,,,,,,\n"),
            "t.csv:10:34: error: door: required for 'exit' events (the door), but empty");
}

TEST(TraceTest, RejectsAPersonMissingFromAPersonEvent) {
  EXPECT_EQ(
      read_error(kHead + "0,30600.000,seated,,,A001,,,,W1-3,,,,,\n"),
      "t.csv:10:20: error: entity: required for 'seated' events (the person it happened to), but empty");
  EXPECT_EQ(
      read_error(kHead + "0,30600.000,seated,C1,,A001,,,,W1-3,,,,,\n"),
      "t.csv:10:23: error: kind: required when an entity is given (citizen, staff or evacuee), but empty");
  EXPECT_EQ(read_error(kHead + "0,30600.000,window_open,,staff,,,V01,,,,,,,\n"),
            "t.csv:10:25: error: entity: required when a kind is given, but empty");
}

TEST(TraceTest, RejectsTheWrongKindOfPerson) {
  EXPECT_EQ(read_error(kHead + "0,30600.000,shift_start,C1,citizen,,,V01,,,,,,,\n"),
            "t.csv:10:28: error: kind: 'shift_start' is a staff event: expected staff, got citizen");
  EXPECT_EQ(
      read_error(kHead + "0,30600.000,door_blocked,C1,citizen,,,,,,D2,,,,\n"),
      "t.csv:10:26: error: entity: a 'door_blocked' event concerns a facility, not a person: expected empty, "
      "got \"C1\"");
}

TEST(TraceTest, RejectsHalfAPosition) {
  EXPECT_EQ(read_error(kHead + "0,30600.000,position,C1,citizen,,,,,,,,1.5,,F1\n"),
            "t.csv:10:44: error: y: required when x is given, but empty");
  EXPECT_EQ(read_error(kHead + "0,30600.000,position,C1,citizen,,,,,,,,1.5,2.5,\n"),
            "t.csv:10:48: error: floor: required when x and y are given, but empty");
  EXPECT_EQ(read_error(kHead + "0,30600.000,position,C1,citizen,,,,,,,,1.5,north,F1\n"),
            "t.csv:10:44: error: y: expected metres as a decimal number, got \"north\"");
  EXPECT_EQ(read_error(kHead + "0,30600.000,position,C1,citizen,,,,,,,,,,F1\n"),
            "t.csv:10:40: error: x: required for 'position' events (the position), but empty");
}

TEST(TraceTest, RejectsPositionSamplesWithoutAnInterval) {
  EXPECT_EQ(read_error(replaced(kHead, "#sample_interval_s,1", "#sample_interval_s,") +
                       "0,30600.000,position,C1,citizen,,,,,,,,1.5,2.5,F1\n"),
            "t.csv:10:13: error: event: a 'position' record needs a sampling interval, but the header's "
            "sample_interval_s is empty");
}

TEST(TraceTest, RejectsBadQuoting) {
  EXPECT_EQ(read_error(kHead + replaced(kRow, "C1,", "\"C1,")),
            "t.csv:10:20: error: quoted field not closed before the end of the file");
  EXPECT_EQ(
      read_error(kHead + replaced(kRow, "C1,", "C\"1,")),
      "t.csv:10:21: error: double quote inside an unquoted field (enclose the whole field in quotes and "
      "double the inner quote)");
  EXPECT_EQ(
      read_error(kHead + replaced(kRow, "C1,", "\"C1\"x,")),
      "t.csv:10:24: error: unexpected text after a closing quote (expected ',' or the end of the line)");
}

TEST(TraceTest, RejectsTextThatIsNotUtf8) {
  EXPECT_EQ(read_error(kHead + replaced(kRow, "C1", "\xD5\xC5\xC8\xFD")),  // 张三 in GBK
            "t.csv:10:20: error: entity: not valid UTF-8 text (a file exported in GBK or another legacy "
            "encoding must be converted to UTF-8)");
}

TEST(TraceTest, RejectsAMissingFile) {
  try {
    TraceReader reader(std::filesystem::path("no/such/trace.csv"));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "no/such/trace.csv: error: no such trace file");
  }
}

// --- the writer refuses what the reader would reject ---------------------------

TraceHeader header() {
  TraceHeader h;
  h.source = "halltwin run";
  return h;
}

TraceEvent called(double t) {
  TraceEvent e;
  e.time_s = t;
  e.type = EventType::called;
  e.entity = "C1";
  e.kind = EntityKind::citizen;
  e.ticket = "A001";
  e.window = "V01";
  return e;
}

std::string write_error(TraceWriter& writer, const TraceEvent& e) {
  try {
    writer.write(e);
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

TEST(TraceTest, WriterRejectsAnInvalidHeader) {
  std::ostringstream out;
  TraceHeader h;  // no source
  try {
    TraceWriter writer(out, h, "w.csv");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "w.csv: error: #source: required (the producer, e.g. \"halltwin run\"), but empty");
  }
}

TEST(TraceTest, WriterRejectsInvalidEventsAndStaysUsable) {
  std::ostringstream out;
  TraceWriter writer(out, header(), "w.csv");
  writer.write(called(100.0));
  EXPECT_EQ(
      write_error(writer, called(99.0)),
      "w.csv:11:1: error: time_s: time goes backwards: day 0 99.000 s is before the previous record's day 0 "
      "100.000 s (line 10); records must be in non-decreasing (day, time_s) order");
  TraceEvent no_window = called(100.0);
  no_window.window.clear();
  EXPECT_EQ(write_error(writer, no_window),
            "w.csv:11:1: error: window: required for 'called' events (the window), but empty");
  TraceEvent nan = called(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(
      write_error(writer, nan),
      "w.csv:11:1: error: time_s: expected seconds since 00:00 of the day, 0 <= time_s < 86400 (a later "
      "time belongs to the next day), got nan");
  TraceEvent sample = called(100.0);
  sample.type = EventType::position;
  sample.position = Vec2{1, 2};
  sample.floor = "F1";
  EXPECT_EQ(write_error(writer, sample),
            "w.csv:11:1: error: event: a 'position' record needs a sampling interval, but the header's "
            "sample_interval_s is empty");
  writer.write(called(100.5));
  writer.close();
  EXPECT_EQ(writer.events_written(), 2u);
  EXPECT_TRUE(
      out.str().ends_with("\n0,100.000,called,C1,citizen,A001,,V01,,,,,,,\n"
                          "0,100.500,called,C1,citizen,A001,,V01,,,,,,,\n"));
}

}  // namespace
}  // namespace halltwin
