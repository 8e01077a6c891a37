// The queue-data connector (tools/connect/): row accounting on the real
// Anonymous Bank log, each rejection reason, the trace round trip.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "model/input_error.hpp"
#include "model/trace/trace_reader.hpp"
#include "model/trace/trace_writer.hpp"
#include "tests/support/temp_file.hpp"
#include "tools/connect/importer.hpp"
#include "tools/connect/mapping.hpp"
#include "tools/connect/sinks.hpp"

namespace halltwin::connect {
namespace {

const std::string kBankLog =
    HALLTWIN_SOURCE_DIR "/../shared/data/anonymous-bank-1999-08/calls-1999-08-01-to-21.csv";
const std::string kBankMapping = HALLTWIN_SOURCE_DIR "/scenarios/connectors/anonymous-bank.yaml";
const std::string kHeader =
    "vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,q_start,q_exit,q_time,"
    "outcome,"
    "ser_start,ser_exit,ser_time,server\n";

// Counts of the raw file, by a plain reading independent of the importer.
struct RawCounts {
  std::map<std::string, std::uint64_t> outcome;
  std::uint64_t rows = 0, hang_never_queued = 0;
};
RawCounts raw_counts() {
  RawCounts c;
  std::ifstream in(kBankLog);
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    ++c.rows;
    ++c.outcome[f.at(12)];
    if (f[12] == "HANG" && f[9] == "0:00:00") ++c.hang_never_queued;
  }
  return c;
}

TEST(ImportTest, RealLogEveryRowAccountedForAndOutcomesMatchTheData) {
  const Mapping m = load_mapping(kBankMapping);
  Catalog cat;
  const ImportStats s = import_csv(kBankLog, m, cat, {});
  const RawCounts raw = raw_counts();
  EXPECT_EQ(s.rows, 30138u);
  EXPECT_EQ(raw.rows, 30138u);
  EXPECT_EQ(s.imported + s.rejected_total(), s.rows);
  EXPECT_EQ(s.raw_outcomes.at("AGENT"), raw.outcome.at("AGENT"));
  EXPECT_EQ(s.raw_outcomes.at("HANG"), raw.outcome.at("HANG"));
  EXPECT_EQ(s.raw_outcomes.at("PHANTOM"), raw.outcome.at("PHANTOM"));
  EXPECT_EQ(raw.outcome.at("AGENT"), 21035u);
  // HANG rows: abandoned when they queued, left_before_queue when they never did (2,455).
  const auto out = [&](Outcome o) { return s.outcomes[static_cast<std::size_t>(o)]; };
  EXPECT_EQ(out(Outcome::left_before_queue), raw.hang_never_queued);
  EXPECT_EQ(raw.hang_never_queued, 2455u);
  // Per outcome value: imported under its outcome, or rejected.
  const auto rej = [&](const char* k) {
    return s.rejected_raw_outcomes.count(k) ? s.rejected_raw_outcomes.at(k) : 0;
  };
  EXPECT_EQ(rej("AGENT") + rej("HANG") + rej("PHANTOM"), s.rejected_total());
  EXPECT_EQ(out(Outcome::served) + rej("AGENT"), raw.outcome.at("AGENT"));
  EXPECT_EQ(out(Outcome::abandoned) + out(Outcome::left_before_queue) + rej("HANG"), raw.outcome.at("HANG"));
  EXPECT_EQ(out(Outcome::phantom) + rej("PHANTOM"), raw.outcome.at("PHANTOM"));
  // Served rows the log cannot support: no service times (37 AGENT rows), no server (229).
  EXPECT_EQ(s.rejected[static_cast<std::size_t>(Reject::served_without_service_times)], 37u);
  EXPECT_EQ(s.rejected[static_cast<std::size_t>(Reject::missing_window)], 229u);
  EXPECT_EQ(s.days, 21u);
  EXPECT_EQ(s.first_date, "1999-08-01");
  EXPECT_EQ(s.last_date, "1999-08-21");
  EXPECT_GT(s.notes[static_cast<std::size_t>(Note::skew_clamped)], 10000u);
  EXPECT_GT(s.notes[static_cast<std::size_t>(Note::midnight_crossing)], 0u);
  EXPECT_GT(s.notes[static_cast<std::size_t>(Note::overlapping_service)], 0u);
  EXPECT_EQ(cat.windows.size(), 28u);
  EXPECT_EQ(cat.matters.size(), 6u);
}

// Imports `rows` (after the bank header) through the bank mapping with `extra` mapping lines.
ImportStats import_text(const std::string& rows, const std::string& extra = "", Catalog* cat_out = nullptr,
                        std::vector<VisitSink*> sinks = {}) {
  std::ifstream in(kBankMapping);
  std::stringstream ss;
  ss << in.rdbuf() << extra;
  testing::TempFile mapping(ss.str());
  testing::TempFile log(kHeader + rows, ".csv");
  const Mapping m = load_mapping(mapping.path());
  Catalog cat;
  ImportStats s = import_csv(log.path(), m, cat, sinks);
  if (cat_out) *cat_out = cat;
  return s;
}

std::uint64_t rejected(const ImportStats& s, Reject r) { return s.rejected[static_cast<std::size_t>(r)]; }

TEST(ImportTest, EachMalformedRowIsRejectedWithItsReason) {
  const std::string good =
      "AA01,1,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,AVI\n";
  const ImportStats s = import_text(
      good +
          "AA01,2,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:0x:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,"
          "AVI\n"                                                                           // bad time
          "AA01,3,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00\n"  // missing
                                                                                            // column
          "AA01,4,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:01:00,0,"
          "AVI\n"  // end<start
          "AA01,5,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,"
          "NOBODY\n"  // unknown
          "AA01,6,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,MAYBE,9:02:00,9:05:00,180,"
          "AVI\n"  // outcome
          "AA01,7,0,0,PS,2010-13-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,"
          "AVI\n"  // bad date
          "AA01,8,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,0:00:00,0:00:00,0,"
          "AVI\n"  // no service
          "AA01,9,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,"
          "NO_SERVER\n"
          "AA01,=1,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,"
          "AVI\n"
          "AA01,11,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,8:50:00,115,HANG,0:00:00,0:00:00,0,NO_"
          "SERVER\n"
          "AA01,12,0,0,PS,2010-08-02,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,"
          "AVI\n"
          "AA01,13,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,"
          "AVI\n",
      "windows: {AVI: AVI}\nunknown_windows: reject\n");
  EXPECT_EQ(s.rows, 13u);
  EXPECT_EQ(s.imported, 2u);
  EXPECT_EQ(rejected(s, Reject::bad_time), 1u);
  EXPECT_EQ(rejected(s, Reject::missing_column), 1u);
  EXPECT_EQ(rejected(s, Reject::end_before_start), 1u);
  EXPECT_EQ(rejected(s, Reject::unknown_window), 1u);
  EXPECT_EQ(rejected(s, Reject::unknown_outcome), 1u);
  EXPECT_EQ(rejected(s, Reject::bad_date), 1u);
  EXPECT_EQ(rejected(s, Reject::served_without_service_times), 1u);
  EXPECT_EQ(rejected(s, Reject::missing_window), 1u);
  EXPECT_EQ(rejected(s, Reject::unsafe_id), 1u);
  EXPECT_EQ(rejected(s, Reject::stages_out_of_order), 1u);
  EXPECT_EQ(rejected(s, Reject::date_before_window), 1u);
  EXPECT_EQ(s.imported + s.rejected_total(), s.rows);
  ASSERT_EQ(s.rejected_rows.size(), 11u);
  EXPECT_EQ(s.rejected_rows[0].row, 2u);
  EXPECT_EQ(s.rejected_rows[0].line, 3u);
  EXPECT_EQ(s.rejected_rows[0].reason, Reject::bad_time);
}

TEST(ImportTest, SkewMidnightAndNeverQueuedAreToleratedAndCounted) {
  struct Keep : VisitSink {
    std::vector<Visit> v;
    void day(const Catalog&, int, std::span<const Visit> x) override {
      v.insert(v.end(), x.begin(), x.end());
    }
  } keep;
  Catalog cat;
  const ImportStats s = import_text(
      "AA01,1,0,0,PS,2010-08-01,23:50:00,23:50:05,5,23:50:05,23:58:00,475,AGENT,23:57:59,0:03:00,301,AVI\n"
      "AA01,2,0,0,NW,2010-08-01,10:00:00,10:00:20,20,0:00:00,0:00:00,0,AGENT,10:00:19,10:02:00,101,DORIT\n"
      "AA01,3,0,0,NW,2010-08-01,11:00:00,11:00:20,20,0:00:00,0:00:00,0,HANG,0:00:00,0:00:00,0,NO_SERVER\n",
      "", &cat, {&keep});
  EXPECT_EQ(s.imported, 3u);
  EXPECT_EQ(s.notes[static_cast<std::size_t>(Note::skew_clamped)], 1u);
  EXPECT_EQ(s.notes[static_cast<std::size_t>(Note::midnight_crossing)], 1u);
  EXPECT_EQ(s.notes[static_cast<std::size_t>(Note::served_without_queue)], 1u);
  ASSERT_EQ(keep.v.size(), 3u);
  const Visit& late = keep.v[2];  // sorted by first time
  EXPECT_EQ(late.row, 1u);
  EXPECT_DOUBLE_EQ(late.called - late.ticket, 475.0);  // the logged wait
  EXPECT_DOUBLE_EQ(late.start, late.called);           // service start moved to the call
  EXPECT_DOUBLE_EQ(late.end, 86400.0 + 180.0);         // after midnight
  EXPECT_EQ(keep.v[0].outcome, Outcome::served);
  EXPECT_FALSE(happened(keep.v[0].ticket));
  EXPECT_EQ(keep.v[1].outcome, Outcome::left_before_queue);
}

TEST(ImportTest, TraceRoundTripThroughTraceReader) {
  std::stringstream out;
  std::unique_ptr<TraceWriter> writer;
  TraceSink sink(
      [&](const Catalog& c) -> TraceWriter& {
        TraceHeader h;
        h.source = "halltwin import";
        h.start_date = c.start_date;
        writer = std::make_unique<TraceWriter>(out, h);
        return *writer;
      },
      0.0);
  const ImportStats s = import_text(
      "AA01,1,0,0,PS,2010-08-01,23:50:00,23:50:05,5,23:50:05,23:58:00,475,AGENT,23:58:00,0:03:00,300,AVI\n"
      "AA01,2,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:01:00,55,HANG,0:00:00,0:00:00,0,NO_SERVER\n"
      "AA01,3,0,0,PS,2010-08-01,9:30:00,9:30:05,5,9:30:05,9:31:00,55,PHANTOM,9:31:00,9:31:03,3,NO_SERVER\n"
      "AA01,4,0,0,IN,2010-08-02,0:01:00,0:01:05,5,0:01:05,0:02:00,55,AGENT,0:02:00,0:04:00,120,DORIT\n",
      "", nullptr, {&sink});
  writer->flush();
  EXPECT_EQ(s.imported, 4u);
  TraceReader reader(out, "<trace>");
  EXPECT_EQ(reader.header().start_date, "1999-08-01");
  std::vector<TraceEvent> events;
  for (TraceEvent e; reader.next(e);) events.push_back(e);
  ASSERT_EQ(events.size(), 6u + 4u + 2u + 6u);
  EXPECT_EQ(events[0].type, EventType::entered);
  EXPECT_EQ(events[0].entity, "V2");
  EXPECT_EQ(events[1].type, EventType::ticket_issued);
  EXPECT_EQ(events[2].type, EventType::abandoned);
  // The phantom: entered and left, no ticket.
  EXPECT_EQ(events[4].entity, "V3");
  EXPECT_EQ(events[4].type, EventType::entered);
  EXPECT_EQ(events[5].type, EventType::left);
  EXPECT_TRUE(events[5].ticket.empty());
  // Day 1 interleaves the midnight-crossing visit of day 0 with the first visit of day 1.
  int day1_v1 = 0;
  for (const auto& e : events)
    if (e.day == 1 && e.entity == "V1") ++day1_v1;
  EXPECT_EQ(day1_v1, 2);  // service_end and left at 00:03
  const TraceEvent& last = events.back();
  EXPECT_EQ(last.entity, "V4");
  EXPECT_EQ(last.type, EventType::left);

  // Reading the trace back gives the same observed KPIs as the import.
  testing::TempFile file(out.str(), ".csv");
  ObservedKpis direct(120, {}, {}, {}), back(120, {}, {}, {}, false);
  import_text(
      "AA01,1,0,0,PS,2010-08-01,23:50:00,23:50:05,5,23:50:05,23:58:00,475,AGENT,23:58:00,0:03:00,300,AVI\n"
      "AA01,2,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:01:00,55,HANG,0:00:00,0:00:00,0,NO_SERVER\n"
      "AA01,3,0,0,PS,2010-08-01,9:30:00,9:30:05,5,9:30:05,9:31:00,55,PHANTOM,9:31:00,9:31:03,3,NO_SERVER\n"
      "AA01,4,0,0,IN,2010-08-02,0:01:00,0:01:05,5,0:01:05,0:02:00,55,AGENT,0:02:00,0:04:00,120,DORIT\n",
      "", nullptr, {&direct});
  Catalog cat;
  import_trace(file.path(), cat, {&back},
               [&](const std::string& w, int day, double a, double b) { back.rostered(w, b - a, day, cat); });
  const auto a = direct.finish_kpis(), b = back.finish_kpis();
  for (auto k : {kpi::Kpi::wait_mean_s, kpi::Kpi::served, kpi::Kpi::abandoned, kpi::Kpi::arrivals,
                 kpi::Kpi::abandon_rate, kpi::Kpi::max_in_hall})
    EXPECT_DOUBLE_EQ(a.values[std::size_t(k)], b.values[std::size_t(k)]) << kpi::name(k);
}

TEST(ImportTest, BadMappingNamesFileLineAndColumn) {
  testing::TempFile mapping(
      "format: halltwin-mapping/1\ncolumns: {visit_id: id, sevice_start: s}\ntime_format: HH\n");
  try {
    load_mapping(mapping.path());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(mapping.path() + ":2:"), std::string::npos) << what;
    EXPECT_NE(what.find("sevice_start"), std::string::npos) << what;
    EXPECT_NE(what.find(":3:"), std::string::npos) << what;
  }
}

TEST(ImportTest, MappingSchemaMatchesTheLoader) {
  std::ifstream in(HALLTWIN_SOURCE_DIR "/docs/mapping.schema.json");
  const auto schema = nlohmann::json::parse(in);
  std::set<std::string> top, loader, columns, fields, outcomes, names;
  for (const auto& [k, v] : schema["properties"].items()) top.insert(k);
  for (auto k : mapping_keys()) loader.insert(std::string(k));
  EXPECT_EQ(top, loader);
  for (const auto& [k, v] : schema["properties"]["columns"]["properties"].items()) columns.insert(k);
  for (std::size_t i = 0; i < kFieldCount; ++i) fields.insert(std::string(name(Field(i))));
  EXPECT_EQ(columns, fields);
  for (const auto& o : schema["$defs"]["outcome"]["enum"]) outcomes.insert(o.get<std::string>());
  for (std::size_t i = 0; i < kOutcomeCount; ++i) names.insert(std::string(name(Outcome(i))));
  EXPECT_EQ(outcomes, names);
  EXPECT_EQ(schema["properties"]["format"]["const"], std::string(Mapping::kFormat));
}

TEST(ImportTest, GenericExportMappingImportsItsSample) {
  const Mapping m = load_mapping(HALLTWIN_SOURCE_DIR "/scenarios/connectors/generic-hall.yaml");
  Catalog cat;
  const ImportStats s =
      import_csv(HALLTWIN_SOURCE_DIR "/scenarios/connectors/generic-hall-sample.csv", m, cat, {});
  EXPECT_EQ(s.imported + s.rejected_total(), s.rows);
  EXPECT_GT(s.outcomes[static_cast<std::size_t>(Outcome::no_show)], 0u);
  EXPECT_GT(s.rejected[static_cast<std::size_t>(Reject::incomplete_visit)], 0u);
}

}  // namespace
}  // namespace halltwin::connect

namespace halltwin::connect {
namespace {

// The bank's priority column: 2 is a high-priority customer (moved ahead), 1 a regular
// identified customer, 0 unidentified: `priority_values: [2]` makes only 2 a priority citizen.
TEST(ImportTest, PriorityValuesMarkPriorityCitizens) {
  struct Priorities : VisitSink {
    std::map<std::string, int> by_ticket;
    void day(const Catalog&, int, std::span<const Visit> visits) override {
      for (const Visit& v : visits) by_ticket[std::string(v.ticket_text())] = v.priority;
    }
  } sink;
  const std::string rows =
      "AA01,10,0,0,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,AVI\n"
      "AA01,11,0,1,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,AVI\n"
      "AA01,12,0,2,PS,2010-08-01,9:00:00,9:00:05,5,9:00:05,9:02:00,115,AGENT,9:02:00,9:05:00,180,AVI\n";
  const ImportStats s = import_text(rows, "", nullptr, {&sink});
  EXPECT_EQ(s.imported, 3u);
  EXPECT_EQ(sink.by_ticket.at("10"), 0);
  EXPECT_EQ(sink.by_ticket.at("11"), 0);
  EXPECT_EQ(sink.by_ticket.at("12"), 1);
  // A value that is not an integer, and the key without a priority column: file:line errors.
  testing::TempFile bad(
      "format: halltwin-mapping/1\n"
      "columns: {visit_id: id, service_start: s, service_end: e, window: w, ticket_issued: t, date: d}\n"
      "priority_values: [2, high]\n");
  try {
    load_mapping(bad.path());
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(bad.path() + ":3:"), std::string::npos) << what;
    EXPECT_NE(what.find("priority_values[1]"), std::string::npos) << what;
    EXPECT_NE(what.find("columns.priority names no column"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace halltwin::connect
