// The trace format's writer and reader: exact text, round trips, vocabulary.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "model/input_error.hpp"
#include "model/trace/csv.hpp"
#include "model/trace/trace_reader.hpp"
#include "model/trace/trace_writer.hpp"
#include "tests/trace/example_trace.hpp"

namespace halltwin {
namespace {

std::string write_to_string(const TraceHeader& header, const std::vector<TraceEvent>& events,
                            TraceWriterOptions options = {}) {
  std::ostringstream out;
  TraceWriter writer(out, header, "<test>", options);
  for (const auto& e : events) writer.write(e);
  writer.close();
  return out.str();
}

std::vector<TraceEvent> read_all(TraceReader& reader) {
  std::vector<TraceEvent> events;
  TraceEvent e;
  while (reader.next(e)) events.push_back(e);
  return events;
}

double ms(double s) { return std::round(s * 1000.0) / 1000.0; }

// Equal after the writer's rounding to 1 ms and 1 mm.
void expect_same(const TraceEvent& a, const TraceEvent& b, std::size_t i) {
  SCOPED_TRACE(::testing::Message() << "event " << i << " (" << name(a.type) << ")");
  EXPECT_EQ(a.day, b.day);
  EXPECT_DOUBLE_EQ(ms(a.time_s), b.time_s);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.entity, b.entity);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.ticket, b.ticket);
  EXPECT_EQ(a.matter, b.matter);
  EXPECT_EQ(a.window, b.window);
  EXPECT_EQ(a.staff, b.staff);
  EXPECT_EQ(a.seat, b.seat);
  EXPECT_EQ(a.door, b.door);
  EXPECT_EQ(a.device, b.device);
  ASSERT_EQ(a.position.has_value(), b.position.has_value());
  if (a.position) {
    EXPECT_DOUBLE_EQ(ms(a.position->x), b.position->x);
    EXPECT_DOUBLE_EQ(ms(a.position->y), b.position->y);
  }
  EXPECT_EQ(a.floor, b.floor);
}

TraceEvent person(int day, double t, EventType type, std::string entity, EntityKind kind) {
  TraceEvent e;
  e.day = day;
  e.time_s = t;
  e.type = type;
  e.entity = std::move(entity);
  e.kind = kind;
  return e;
}

// Every event type at least once, over three days, with the awkward text a
// real export holds: Chinese, commas, quotes, a line break, leading spaces.
std::vector<TraceEvent> representative_events() {
  using T = EventType;
  using K = EntityKind;
  std::vector<TraceEvent> v;
  auto add = [&](TraceEvent e) -> TraceEvent& { return v.emplace_back(std::move(e)); };

  add(person(0, 28800.0, T::shift_start, "S07", K::staff)).window = "A03";
  {
    auto& e = add(person(0, 28800.0, T::window_open, "S07", K::staff));
    e.window = "A03";
  }
  {
    auto& e = add(person(0, 30000.0, T::entered, "张三, 老人", K::citizen));
    e.door = "D2";
    e.position = Vec2{-0.0004, 12.5};
    e.floor = "F1";
  }
  {
    auto& e = add(person(0, 30010.0, T::ticket_issued, "张三, 老人", K::citizen));
    e.ticket = "A017";
    e.matter = "M01,企业开办";
    e.device = "TM-1";
  }
  {
    auto& e = add(person(0, 30010.0, T::standing, "张三, 老人", K::citizen));
    e.ticket = "A017";
    e.position = Vec2{10.25, -3.125};
    e.floor = "一层";
  }
  {
    auto& e = add(person(0, 30020.0, T::walk_start, "张三, 老人", K::citizen));
    e.seat = "W1-12";
  }
  {
    auto& e = add(person(0, 30021.0, T::position, "张三, 老人", K::citizen));
    e.position = Vec2{11.0, -2.0};
    e.floor = "一层";
  }
  {
    auto& e = add(person(0, 30025.0, T::seated, "张三, 老人", K::citizen));
    e.seat = "W1-12";
  }
  {
    auto& e = add(person(0, 30100.1234, T::called, "张三, 老人", K::citizen));
    e.ticket = "A017";
    e.window = "A03";
    e.matter = "M01,企业开办";
    e.staff = "S07";
  }
  {
    auto& e = add(person(0, 30110.0, T::service_start, "张三, 老人", K::citizen));
    e.ticket = "A017";
    e.window = "A03";
    e.staff = "S07";
  }
  {
    auto& e = add(person(0, 30400.0, T::service_end, "张三, 老人", K::citizen));
    e.ticket = "A017";
    e.window = "A03";
    e.staff = "S07";
  }
  {
    auto& e = add(person(0, 30400.0, T::backoffice_start, "张三, 老人", K::citizen));
    e.matter = "M01,企业开办";
  }
  {
    auto& e = add(person(0, 30450.0, T::left, "张三, 老人", K::citizen));
    e.door = "D2";
  }
  {
    auto& e = add(person(0, 31000.0, T::abandoned, "say \"hi\"", K::citizen));
    e.ticket = "B002";
  }
  {
    auto& e = add(person(0, 31100.0, T::no_show, "C-3", K::citizen));
    e.ticket = "B003";
    e.window = "B01";
  }
  {
    auto& e = add(person(0, 31200.0, T::service_start, "C-4", K::citizen));
    e.device = "KIOSK-1";
  }
  {
    auto& e = add(person(0, 31260.0, T::service_end, "C-4", K::citizen));
    e.device = "KIOSK-1";
  }
  add(person(0, 43200.0, T::break_start, "S07", K::staff));
  {
    TraceEvent e;
    e.time_s = 43200.0;
    e.type = T::window_close;
    e.window = "A03";
    add(e);
  }
  {
    auto& e = add(person(0, 46800.0, T::break_end, "S07", K::staff));
    e.window = "A03";
  }
  {
    auto& e = add(person(0, 61200.0, T::shift_end, "S07", K::staff));
    e.window = "A03";
  }
  {
    auto& e = add(person(0, 86399.9996, T::position, "two\nlines", K::evacuee));
    e.position = Vec2{1, 2};
    e.floor = "F1";
  }
  {
    auto& e = add(person(2, 0.0, T::backoffice_end, "张三, 老人", K::citizen));
    e.matter = "M01,企业开办";
  }
  {
    auto& e = add(person(2, 36000.0, T::pickup, "张三, 老人", K::citizen));
    e.matter = "M01,企业开办";
    e.window = "P01";
    e.ticket = " A017 ";
  }
  {
    TraceEvent e;
    e.day = 2;
    e.time_s = 37800.0;
    e.type = T::door_blocked;
    e.door = "D-东";
    add(e);
  }
  {
    auto& e = add(person(2, 37800.0, T::appointment, "C0099", K::citizen));
    e.ticket = "APP-000099";
  }
  {
    auto& e = add(person(2, 37800.0, T::evac_start, "E0001", K::evacuee));
    e.position = Vec2{3, 4};
    e.floor = "F2";
  }
  {
    auto& e = add(person(2, 37800.5, T::position, "E0001", K::evacuee));
    e.position = Vec2{3.5, 4};
    e.floor = "F2";
  }
  {
    auto& e = add(person(2, 37830.25, T::exit, "E0001", K::evacuee));
    e.door = "D1";
  }
  return v;
}

TraceHeader representative_header() {
  TraceHeader h;
  h.scenario = "长沙县政务服务中心, \"新馆\"";
  h.scenario_file = "scenarios/county hall.yaml";
  h.source = "halltwin run";
  h.seed = 18446744073709551615ull;
  h.replication = 12;
  h.start_date = "2026-02-27";
  h.sample_interval_s = 0.5;
  return h;
}

TEST(TraceTest, WritesTheExactTextOfTheExample) {
  EXPECT_EQ(write_to_string(test::example_header(), test::example_events()), test::kExampleCsv);
}

TEST(TraceTest, ExampleReadsBackAsWritten) {
  std::istringstream in(test::kExampleCsv);
  TraceReader reader(in, "example.csv");
  EXPECT_EQ(reader.header().scenario, "清水塘村便民服务站");
  EXPECT_EQ(reader.header().seed, 42u);
  EXPECT_EQ(reader.header().sample_interval_s, 2.0);
  auto events = read_all(reader);
  auto expected = test::example_events();
  ASSERT_EQ(events.size(), expected.size());
  for (std::size_t i = 0; i < events.size(); ++i) expect_same(expected[i], events[i], i);
  EXPECT_EQ(reader.events_read(), expected.size());
}

TEST(TraceTest, CoversEveryEventTypeAndEntityKind) {
  std::set<EventType> types;
  std::set<EntityKind> kinds;
  for (const auto& e : representative_events()) {
    types.insert(e.type);
    if (e.kind) kinds.insert(*e.kind);
  }
  EXPECT_EQ(types.size(), names<EventType>().size());
  EXPECT_EQ(kinds.size(), names<EntityKind>().size());
}

TEST(TraceTest, RoundTripsRepresentativeEventsThroughAStream) {
  const auto header = representative_header();
  const auto events = representative_events();
  const std::string text = write_to_string(header, events);

  std::istringstream in(text);
  TraceReader reader(in, "<memory>");
  EXPECT_EQ(reader.header().scenario, header.scenario);
  EXPECT_EQ(reader.header().scenario_file, header.scenario_file);
  EXPECT_EQ(reader.header().source, header.source);
  EXPECT_EQ(reader.header().seed, header.seed);
  EXPECT_EQ(reader.header().replication, header.replication);
  EXPECT_EQ(reader.header().start_date, header.start_date);
  EXPECT_EQ(reader.header().sample_interval_s, header.sample_interval_s);
  auto back = read_all(reader);
  ASSERT_EQ(back.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].time_s == 86399.9996) {  // rounds to midnight: written as 0.000 of the next day
      EXPECT_EQ(back[i].day, events[i].day + 1);
      EXPECT_EQ(back[i].time_s, 0.0);
      continue;
    }
    expect_same(events[i], back[i], i);
  }
  // Writing what was read gives the same text again.
  EXPECT_EQ(write_to_string(reader.header(), back), text);
}

TEST(TraceTest, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  const std::string text = write_to_string(representative_header(), representative_events());
  EXPECT_NE(text.find("#scenario,\"长沙县政务服务中心, \"\"新馆\"\"\"\n"), std::string::npos);
  EXPECT_NE(text.find("#scenario_file,scenarios/county hall.yaml\n"), std::string::npos);
  EXPECT_NE(text.find("0,30000.000,entered,\"张三, 老人\",citizen,,,,,,D2,,0.000,12.500,F1\n"),
            std::string::npos)
      << "-0.0004 m is written 0.000, never -0.000";
  EXPECT_NE(text.find("0,31000.000,abandoned,\"say \"\"hi\"\"\",citizen,B002,"), std::string::npos);
  EXPECT_NE(text.find("1,0.000,position,\"two\nlines\",evacuee,"), std::string::npos);
  EXPECT_NE(text.find("0,30100.123,called,"), std::string::npos);
  EXPECT_NE(text.find(",10.250,-3.125,一层\n"), std::string::npos);
  EXPECT_NE(text.find("#seed,18446744073709551615\n#replication,12\n"), std::string::npos);
  EXPECT_NE(text.find("#sample_interval_s,0.5\n"), std::string::npos);
}

TEST(TraceTest, EmptyOptionalFieldsStayEmpty) {
  TraceHeader h;
  h.source = "halltwin replay";  // observed data: no scenario, seed, replication, date or sampling
  TraceEvent e;
  e.time_s = 36000.0;
  e.type = EventType::ticket_issued;
  e.entity = "T1";
  e.kind = EntityKind::citizen;
  e.ticket = "A001";
  const std::string text = write_to_string(h, {e});
  EXPECT_EQ(text,
            "#format,halltwin-trace/2\n"
            "#scenario,\n"
            "#scenario_file,\n"
            "#source,halltwin replay\n"
            "#seed,\n"
            "#replication,\n"
            "#start_date,\n"
            "#sample_interval_s,\n"
            "day,time_s,event,entity,kind,ticket,matter,window,staff,seat,door,device,x,y,floor\n"
            "0,36000.000,ticket_issued,T1,citizen,A001,,,,,,,,,\n");
  std::istringstream in(text);
  TraceReader reader(in, "<memory>");
  EXPECT_TRUE(reader.header().scenario.empty());
  EXPECT_FALSE(reader.header().seed);
  EXPECT_FALSE(reader.header().replication);
  EXPECT_TRUE(reader.header().start_date.empty());
  EXPECT_FALSE(reader.header().sample_interval_s);
  TraceEvent back;
  ASSERT_TRUE(reader.next(back));
  expect_same(e, back, 0);
  EXPECT_FALSE(back.position);
  EXPECT_TRUE(back.floor.empty());
  EXPECT_FALSE(reader.next(back));
}

TEST(TraceTest, RoundTripsThroughAFile) {
  const auto path = std::filesystem::temp_directory_path() / "halltwin_trace_roundtrip_test.csv";
  const auto events = representative_events();
  {
    TraceWriter writer(path, representative_header(),
                       TraceWriterOptions{.buffer_bytes = 64});  // many flushes
    for (const auto& e : events) writer.write(e);
    writer.close();
    EXPECT_EQ(writer.events_written(), events.size());
  }
  TraceReader reader(path);
  EXPECT_EQ(read_all(reader).size(), events.size());
  std::filesystem::remove(path);
}

TEST(TraceTest, ReadsAByteOrderMarkAndCrlfLineEnds) {
  std::string text = write_to_string(test::example_header(), test::example_events(), {.utf8_bom = true});
  ASSERT_TRUE(text.starts_with("\xEF\xBB\xBF#format,"));
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::istringstream in(crlf);
  TraceReader reader(in, "excel.csv");
  EXPECT_TRUE(reader.had_bom());
  EXPECT_EQ(reader.header().scenario, "清水塘村便民服务站");
  EXPECT_EQ(read_all(reader).size(), test::example_events().size());
}

TEST(TraceTest, AcceptsHeaderLinesPaddedByASpreadsheet) {
  std::string text = test::kExampleCsv;
  // A spreadsheet saving the file pads every line to the widest row.
  const std::string from = "#seed,42\n";
  text.replace(text.find(from), from.size(), "#seed,42,,,,,,,,,,,,,\n");
  std::istringstream in(text);
  TraceReader reader(in, "padded.csv");
  EXPECT_EQ(reader.header().seed, 42u);
}

TEST(TraceTest, NamesTablesAreConsistent) {
  for (std::size_t i = 0; i < names<EventType>().size(); ++i) {
    auto type = static_cast<EventType>(i);
    EXPECT_EQ(parse<EventType>(name(type)), type);
  }
  for (auto kind : {EntityKind::citizen, EntityKind::staff, EntityKind::evacuee})
    EXPECT_EQ(parse<EntityKind>(name(kind)), kind);
  EXPECT_EQ(names<EventType>().size(), 25u);
  EXPECT_FALSE(parse<EventType>("Called"));
  EXPECT_EQ(trace_column_names().size(), kTraceColumnCount);
  EXPECT_EQ(column_name(TraceColumn::floor), "floor");
}

TEST(TraceTest, DatesOfDays) {
  EXPECT_EQ(date_of_day("2026-02-27", 0), "2026-02-27");
  EXPECT_EQ(date_of_day("2026-02-27", 2), "2026-03-01");
  EXPECT_EQ(date_of_day("2028-02-28", 1), "2028-02-29");
  EXPECT_EQ(date_of_day("", 1), "");
  EXPECT_TRUE(is_valid_date("2028-02-29"));
  EXPECT_FALSE(is_valid_date("2026-02-29"));
  EXPECT_FALSE(is_valid_date("2026-3-1"));
}

TEST(TraceTest, CsvQuotingFollowsRfc4180) {
  std::string out;
  csv::append_field(out, "plain 中文");
  out += '|';
  csv::append_field(out, "a,b");
  out += '|';
  csv::append_field(out, "say \"hi\"");
  out += '|';
  csv::append_field(out, "");
  EXPECT_EQ(out, "plain 中文|\"a,b\"|\"say \"\"hi\"\"\"|");

  std::istringstream in("a,\"b,\"\"c\"\"\",\n\n\"multi\r\nline\",中文,\"\"\r\n");
  csv::RecordReader reader(in);
  ASSERT_TRUE(reader.next());
  ASSERT_EQ(reader.fields().size(), 3u);
  EXPECT_EQ(reader.fields()[1].text, "b,\"c\"");
  EXPECT_EQ(reader.fields()[1].column, 3);
  EXPECT_EQ(reader.fields()[2].text, "");
  ASSERT_TRUE(reader.next());  // the blank line is skipped
  EXPECT_EQ(reader.line(), 3);
  ASSERT_EQ(reader.fields().size(), 3u);
  EXPECT_EQ(reader.fields()[0].text, "multi\r\nline");
  EXPECT_EQ(reader.fields()[1].text, "中文");
  EXPECT_EQ(reader.fields()[1].line, 4);
  EXPECT_EQ(reader.fields()[1].column, 7);
  EXPECT_TRUE(reader.fields()[2].quoted);
  EXPECT_FALSE(reader.next());
}

}  // namespace
}  // namespace halltwin
