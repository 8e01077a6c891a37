// The drills (sim/drill/, docs/drill.md) and the ops disruption they rest on
// (sim/ops/disruption.hpp): a closed window calls nobody, a neutral
// disruption changes nothing (common random numbers), an outage of every
// window of an M/M/4 hall against the fluid (hand) calculation of its backlog
// and recovery, the sudden-illness worst points against hand distances, the
// fire plans' closures taken from the evacuation section, and the loader's
// answers to bad plans.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>

#include "model/emergencies_loader.hpp"
#include "model/geometry/polygon_ops.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/trace_writer.hpp"
#include "sim/drill/drill.hpp"
#include "sim/drill/epidemic.hpp"
#include "sim/drill/evacuation_drill.hpp"
#include "sim/drill/power_failure.hpp"
#include "sim/evac/evac_model.hpp"
#include "sim/evac/simulation.hpp"
#include "sim/ops/simulation.hpp"
#include "tests/support/load_errors.hpp"

namespace halltwin {
namespace {

std::string source(const std::string& rel) { return std::string(HALLTWIN_SOURCE_DIR) + "/" + rel; }
std::string text_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

const Rulebook& book() {
  static const Rulebook b = load_rulebook(source("scenarios/rulebooks/default.yaml"));
  return b;
}

// M/M/4 at rho = 0.8 (lambda 3.2/min, mu 1/min), open around the clock, no abandonment.
const Hall& erlang() {
  static const Hall h = load_scenario(source("scenarios/verification/erlang-c-rho080-c4.yaml"));
  return h;
}

const Hall& room() {
  static const Hall h = load_scenario(source("scenarios/verification/evac/drill-room.yaml"));
  return h;
}

EmergencyPlan outage(FallbackMode mode, double at_s, double minutes, double factor = 1.0) {
  EmergencyPlan p;
  p.name = "test";
  p.kind = EmergencyKind::it_failure;
  p.target = "extranet";
  p.at_s = at_s;
  p.duration_min = minutes;
  p.fallback = mode;
  p.service_factor = factor;
  for (auto k : {PromiseKind::service_resumes, PromiseKind::wait_p90_during_outage})
    p.promises.push_back({k, std::string(name(k)), 1e6, "min", 0});
  return p;
}

double kpi_of(const drill::DrillResult& r, const std::string& key) {
  for (const auto& k : r.kpis)
    if (k.key == key) return k.value;
  ADD_FAILURE() << "no KPI " << key;
  return NAN;
}

TEST(DisruptionTest, ClosedWindowsCallNobodyDuringTheInterval) {
  const ops::OpsModel model(erlang());
  ops::RunOptions o;
  o.start_date = "2026-01-05";
  o.observe_step_s = 60;
  ops::Disruption d;
  d.from_s = 10 * 3600.0, d.to_s = 10.5 * 3600.0;
  d.mode = ops::DisruptionMode::close;
  o.disruptions = {d};
  const auto r = ops::simulate(model, o);
  int during = 0;
  for (const auto& t : r.observation->tickets) {
    if (t.wait_s < 0 || t.ticket_s >= d.to_s) continue;
    const double called = t.ticket_s + t.wait_s;
    EXPECT_FALSE(called >= d.from_s && called < d.to_s - 1e-9) << "called at " << called;
    during += t.ticket_s >= d.from_s;
  }
  EXPECT_GT(during, 60);  // about 3.2/min x 30 min tickets waited through the closure
}

TEST(DisruptionTest, NeutralDisruptionAndObservationChangeNothing) {
  const ops::OpsModel model(erlang());
  ops::RunOptions o;
  o.start_date = "2026-01-05";
  const auto plain = ops::simulate(model, o);
  o.observe_step_s = 60;
  ops::Disruption d;
  d.from_s = 9 * 3600.0, d.to_s = 12 * 3600.0;
  d.mode = ops::DisruptionMode::paper_intake;
  d.service_factor = 1.0;
  o.disruptions = {d};
  const auto same = ops::simulate(model, o);
  EXPECT_EQ(plain.kpis.values, same.kpis.values);  // common random numbers: the difference is the disruption's
  d.service_factor = 1.5;
  o.disruptions = {d};
  const auto slower = ops::simulate(model, o);
  EXPECT_GT(slower.kpis.values[static_cast<std::size_t>(kpi::Kpi::wait_mean_s)],
            plain.kpis.values[static_cast<std::size_t>(kpi::Kpi::wait_mean_s)]);
}

// The fluid (hand) calculation of a 30 min closure of all 4 windows of an M/M/4
// queue at lambda = 3.2/min: the backlog grows by lambda x T = 96 tickets and
// drains at c mu - lambda = 0.8/min, so the queue is back to normal about
// 96 / 0.8 = 120 min after the outage; the longest queue is about 96 plus the
// usual queue (Lq = 2.4). Bands: 20 replications, +-25% for the drain (the
// random walk of the backlog has a standard deviation of about 36 min per
// replication, 8 min on the mean) and +-10% for the peak.
TEST(OutageDrillTest, ClosureOfEveryWindowMatchesTheFluidCalculation) {
  const ops::OpsModel model(erlang());
  drill::DayOptions o;
  o.date = "2026-01-05";
  o.replications = 20;
  o.threads = 2;
  drill::DrillResult r;
  drill::outage_drill(erlang(), model, outage(FallbackMode::close, 10 * 3600.0, 30), o, r);
  EXPECT_NEAR(kpi_of(r, "service_resumes_after_min"), 120.0, 30.0);
  EXPECT_NEAR(kpi_of(r, "peak_queue"), 98.4, 10.0);
  EXPECT_NEAR(kpi_of(r, "tickets_during_outage"), 96.0, 6.0);
  // A ticket of the outage waits at least until its end: about 15 min more on average.
  EXPECT_GT(kpi_of(r, "wait_mean_during_outage_s"), kpi_of(r, "wait_mean_during_outage_no_outage_s") + 600);
  EXPECT_DOUBLE_EQ(kpi_of(r, "abandoned_during_outage"), 0.0);
  ASSERT_EQ(r.promises.size(), 2u);
  EXPECT_TRUE(r.all_kept());
}

TEST(OutageDrillTest, SameResultWhateverTheThreadCount) {
  const ops::OpsModel model(erlang());
  drill::DayOptions o;
  o.date = "2026-01-05";
  o.replications = 4;
  drill::DrillResult one, two;
  const auto plan = outage(FallbackMode::paper_intake, 11 * 3600.0, 60, 1.5);
  drill::outage_drill(erlang(), model, plan, o, one);
  o.threads = 2;
  drill::outage_drill(erlang(), model, plan, o, two);
  ASSERT_EQ(one.kpis.size(), two.kpis.size());
  for (std::size_t i = 0; i < one.kpis.size(); ++i) EXPECT_EQ(one.kpis[i].value, two.kpis[i].value) << one.kpis[i].key;
}

TEST(OutageDrillTest, BrokenPromiseAndAnAtOutsideTheDay) {
  const Hall hall = load_scenario(source("scenarios/county.yaml"));
  const ops::OpsModel model(hall);
  auto plan = outage(FallbackMode::close, 10 * 3600.0, 60);
  plan.promises = {{PromiseKind::service_resumes, "service resumes", 5, "min", 0}};
  drill::DayOptions o;
  o.date = "2026-01-05";
  drill::DrillResult r;
  drill::outage_drill(hall, model, plan, o, r);
  ASSERT_EQ(r.promises.size(), 1u);
  EXPECT_FALSE(r.all_kept());  // an hour's closure at the morning peak takes more than 5 min to absorb
  EXPECT_GT(r.promises[0].measured, 5.0);
  o.at_s = 16.5 * 3600.0, o.at_label = "16:30";
  drill::DrillResult late;
  EXPECT_THROW(drill::outage_drill(hall, model, plan, o, late), InputError);
  o.at_s.reset();
  o.date = "2026-01-10";  // a Saturday: the county hall is closed
  EXPECT_THROW(drill::outage_drill(hall, model, plan, o, late), InputError);
}

// `drill --trace` of an outage is replication 1 of the day the drill measured:
// the same records, byte for byte, as the operations engine writes for that
// day with the outage's disruption, and not the day without it.
TEST(OutageDrillTest, TraceIsReplicationOneOfTheDayWithTheOutage) {
  const ops::OpsModel model(erlang());
  const auto plan = outage(FallbackMode::close, 10 * 3600.0, 30);
  drill::DayOptions o;
  o.date = "2026-01-05";
  o.replications = 3;
  o.threads = 2;
  o.seed = 7;
  std::ostringstream drilled;
  drill::DrillTrace dt;
  dt.out = &drilled;
  dt.header.scenario = erlang().name;
  dt.header.seed = o.seed;
  drill::DrillResult r;
  drill::outage_drill(erlang(), model, plan, o, r, &dt);

  const auto day = [&](std::vector<ops::Disruption> disruptions) {
    std::ostringstream text;
    ops::RunOptions ro;
    ro.seed = o.seed;
    ro.start_date = o.date;
    ro.disruptions = std::move(disruptions);
    TraceWriter w(text, dt.header_for(o.date, std::nullopt));
    (void)ops::simulate(model, ro, &w);
    w.flush();
    return text.str();
  };
  ASSERT_FALSE(drilled.str().empty());
  EXPECT_EQ(drilled.str(), day({drill::outage_disruption(erlang(), model, plan, o)}));
  EXPECT_NE(drilled.str(), day({}));
}

// Hand distances in the drill room (straight lines: nothing stands in the way),
// up to the raster: the worst cell's centre lies within half a cell diagonal of the corner.
TEST(SuddenIllnessDrillTest, WorstPointsMatchHandDistances) {
  const EmergencyPlan& plan = *room().emergencies.find("collapse");
  const drill::DrillResult r = drill::run_drill(room(), book(), plan, {});
  const double aed = std::hypot(29.0, 6.0);  // (1, 6) to an east corner
  EXPECT_NEAR(kpi_of(r, "aed_worst_distance_m"), aed, 0.15);
  EXPECT_NEAR(kpi_of(r, "aed_worst_time_s"), aed / 1.5, 0.15);
  EXPECT_GT(kpi_of(r, "aed_worst_x"), 29.8);
  EXPECT_NEAR(kpi_of(r, "first_aid_worst_distance_m"), std::hypot(29.0, 11.0), 0.15);
  // From the east corner to EXIT-E (y 5-7 m on the east wall): about 5 m.
  EXPECT_NEAR(kpi_of(r, "stretcher_distance_m"), 5.0, 0.15);
  ASSERT_EQ(r.promises.size(), 3u);
  EXPECT_TRUE(r.promises[0].kept);   // 20.7 s <= 30 s
  EXPECT_FALSE(r.promises[1].kept);  // 20.7 s > 18 s
  EXPECT_TRUE(r.promises[2].kept);   // 5 m at 1 m/s = 5 s <= 12 s
}

TEST(FireDrillTest, PlansTakeTheSectionsClosuresTheyName) {
  drill::DrillOptions o;
  o.day.replications = 2;
  const auto east = drill::run_drill(room(), book(), *room().emergencies.find("fire-east"), o);
  const auto open = drill::run_drill(room(), book(), *room().emergencies.find("fire-drill-only"), o);
  // With EXIT-E blocked everybody goes west, the east part round the smoke: slower.
  EXPECT_GT(kpi_of(east, "evacuation_time_s"), kpi_of(open, "evacuation_time_s") + 10);
  EXPECT_DOUBLE_EQ(kpi_of(east, "stuck"), 0.0);
  EXPECT_DOUBLE_EQ(kpi_of(east, "persons"), 140.0);
  ASSERT_EQ(east.promises.size(), 2u);
  EXPECT_EQ(east.promises[1].promise, "out before aset");
  EXPECT_TRUE(east.promises[1].kept);  // ASET 600 s
}

TEST(PowerFailureDrillTest, SlowerWalkingUnderEmergencyLighting) {
  drill::DayOptions o;
  const EmergencyPlan& plan = *room().emergencies.find("fire-drill-only");
  drill::DrillResult full, dim;
  drill::evacuation_drill(room(), book(), plan, o, 1.0, full);
  drill::evacuation_drill(room(), book(), plan, o, 0.7, dim);
  // The same people and pre-movement, 30% slower: the walking part takes 1/0.7 as long.
  EXPECT_GT(kpi_of(dim, "evacuation_time_s"), kpi_of(full, "evacuation_time_s") + 3.0);
  EXPECT_DOUBLE_EQ(kpi_of(dim, "walking_speed_factor"), 0.7);
}

std::vector<std::string> dark_ids(const Hall& hall) {
  std::vector<std::string> ids;
  for (const auto& d : drill::unlit_zones(hall, book())) ids.push_back(d.zone);
  return ids;
}

TEST(PowerFailureDrillTest, ZonesWithoutAnEmergencyLight) {
  EXPECT_EQ(dark_ids(room()), (std::vector<std::string>{"FIRE", "PASSAGE", "EAST"}));
  const Hall county = load_scenario(source("scenarios/county.yaml"));
  EXPECT_LE(dark_ids(county).size(), county.zones.size());
}

// A zone with a fitting whose stated design illuminance is below the
// rulebook's minimum for its type (waiting: 3.0 lx) is dark too, as the
// checker's lighting.emergency_illuminance finds it; at the minimum it is lit;
// a floor's value applies to the zones that state none.
TEST(PowerFailureDrillTest, AZoneBelowItsMinimumIlluminanceIsDark) {
  Hall h = room();
  h.zones[0].emergency_illuminance_lx = 2.0;  // WEST, which has the fitting EL-1
  const auto dark = drill::unlit_zones(h, book());
  ASSERT_EQ(dark.size(), 4u);
  EXPECT_EQ(dark[0].zone, "WEST");
  EXPECT_EQ(dark[0].why, "2.0 lx < 3.0 lx");
  EXPECT_EQ(dark[1].why, "no emergency light");
  h.zones[0].emergency_illuminance_lx = 3.0;
  EXPECT_EQ(dark_ids(h), (std::vector<std::string>{"FIRE", "PASSAGE", "EAST"}));
  h.zones[0].emergency_illuminance_lx.reset();
  h.floors[0].emergency_illuminance_lx = 1.0;
  EXPECT_EQ(dark_ids(h).size(), 4u);
}

TEST(EpidemicDrillTest, CapAtTheDoorHoldsAndEveryoneIsAccountedFor) {
  const ops::OpsModel model(erlang());  // M/M/4, no appointments: the cap binds everyone
  ops::RunOptions o;
  o.start_date = "2026-01-05";
  const auto free = ops::simulate(model, o);
  o.admission = ops::Admission{5, false};
  const auto capped = ops::simulate(model, o);
  EXPECT_GT(free.kpis.values[static_cast<std::size_t>(kpi::Kpi::max_in_hall)], 5.0);
  EXPECT_LE(capped.kpis.values[static_cast<std::size_t>(kpi::Kpi::max_in_hall)], 5.0);
  EXPECT_GT(capped.turned_away, 0u);
  EXPECT_EQ(capped.balked, capped.turned_away);  // the room has no balking of its own
  EXPECT_EQ(capped.arrivals, free.arrivals);     // the same citizens come (common random numbers)
  EXPECT_EQ(capped.arrivals, capped.served + capped.served_self + capped.abandoned + capped.balked +
                                 capped.no_show + capped.inside_at_end);
}

TEST(EpidemicDrillTest, SeatSpacingIsGreedyAndMaximal) {
  // (1 m keeps every county seat: its seats are 1 m apart.)
  const Hall county = load_scenario(source("scenarios/county.yaml"));
  EXPECT_EQ(drill::usable_seats(county, 0.0).size(), county.seats.size());
  const auto keep = drill::usable_seats(county, 1.5);  // the rows stand 1 m apart: every other seat goes
  EXPECT_LT(keep.size(), county.seats.size());
  EXPECT_GT(keep.size(), 0u);
  for (std::size_t s = 0; s < county.seats.size(); ++s) {
    double nearest = HUGE_VAL;
    bool kept = false;
    for (std::size_t u : keep) {
      if (u == s) {
        kept = true;
        continue;
      }
      if (county.seats[u].floor == county.seats[s].floor)
        nearest = std::min(nearest, distance(county.seats[u].position, county.seats[s].position));
    }
    // Kept seats are at least 1.5 m from every other kept seat; a dropped seat is within 1.5 m of a kept one.
    if (kept)
      EXPECT_GE(nearest, 1.5 - 1e-9) << county.seats[s].id;
    else
      EXPECT_LT(nearest, 1.5) << county.seats[s].id;
  }
}

TEST(EpidemicDrillTest, CountyPlanUnderItsMeasures) {
  const Hall county = load_scenario(source("scenarios/county.yaml"));
  drill::DrillOptions o;
  o.day.date = "2026-01-05";
  o.day.replications = 2;
  const auto r = drill::run_drill(county, book(), *county.emergencies.find("epidemic"), o);
  EXPECT_LT(kpi_of(r, "usable_seats"), kpi_of(r, "seats"));
  EXPECT_LE(kpi_of(r, "peak_occupancy"), kpi_of(r, "peak_occupancy_no_measures"));
  EXPECT_GT(kpi_of(r, "fresh_air_per_person_m3h"), 30.0);  // 28000 m3/h for at most ~140 persons
  ASSERT_EQ(r.promises.size(), 3u);
  EXPECT_TRUE(r.promises[2].at_least);
}

TEST(EmergenciesLoaderTest, CountyCarriesItsPlans) {
  const Hall h = load_scenario(source("scenarios/county.yaml"));
  ASSERT_TRUE(h.emergencies.present);
  for (const char* n : {"it-outage", "power-failure", "epidemic", "crowd-surge", "sudden-illness", "fire"})
    EXPECT_NE(h.emergencies.find(n), nullptr) << n;
  const EmergencyPlan& it = *h.emergencies.find("it-outage");
  EXPECT_EQ(it.kind, EmergencyKind::it_failure);
  EXPECT_EQ(it.fallback, FallbackMode::paper_intake);
  EXPECT_DOUBLE_EQ(it.service_factor, 1.5);
  EXPECT_DOUBLE_EQ(*it.at_s, 10 * 3600.0);
}

// The drill room with `plan` appended to its emergencies.
std::string room_with(const std::string& plan) {
  std::string t = text_of(source("scenarios/verification/evac/drill-room.yaml"));
  return t + plan;
}

std::string county_with(const std::string& plan) {
  std::string t = text_of(source("scenarios/county.yaml"));
  return t + plan;
}

TEST(EmergenciesLoaderTest, BadPlansAreRefusedWithLineAndField) {
  {
    const std::string plan = "  - name: out\n    kind: it-failure\n    target: extranet\n    at: \"16:30\"\n"
                             "    duration_min: 60\n    promises: [{promise: service resumes, within_min: 30}]\n";
    const std::string t = county_with(plan);
    const std::string m = testing::scenario_error(t);
    EXPECT_NE(m.find(fmt::format("FILE:{}:", testing::line_of(t, "duration_min: 60"))), std::string::npos) << m;
    EXPECT_NE(m.find("after closing (17:00)"), std::string::npos) << m;
  }
  {
    const std::string plan = "  - name: out\n    kind: it-failure\n    target: mainframe\n    at: \"08:00\"\n"
                             "    duration_min: 60\n    windows: [Z99]\n"
                             "    promises: [{promise: everyone out, within_min: 3}]\n";
    const std::string m = testing::scenario_error(county_with(plan));
    // The county hall has a platform section: the target names one of its elements.
    EXPECT_NE(m.find("emergencies[out].target: 'mainframe' is not an element of the platform section; expected an "
                     "element id ('PF-TERM', "),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("outside the opening hours 09:00 to 17:00"), std::string::npos) << m;
    EXPECT_NE(m.find("'Z99' is not a window id or window row"), std::string::npos) << m;
    EXPECT_NE(m.find("a it-failure drill does not measure 'everyone out'"), std::string::npos) << m;
  }
  {
    const std::string m = testing::scenario_error(room_with(
        "  - name: smoke\n    kind: gas-leak\n    evacuation: {blocked: [EXIT], hazards: [EAST]}\n"
        "    promises: [{promise: everyone out, within_min: 3}]\n"
        "  - name: flu\n    kind: crowd-surge\n    group_size: 0\n    door: NORTH\n    target: LOBBY\n"
        "    promises: [{promise: everyone out, within_min: 3}]\n"
        "  - name: smoke\n    kind: fire\n    promises: [{promise: out of time, within_min: 1}]\n"));
    EXPECT_NE(m.find("'EXIT' is not a blocked door of the evacuation section"), std::string::npos) << m;
    EXPECT_NE(m.find("'EAST' is not a hazard zone of the evacuation section"), std::string::npos) << m;
    EXPECT_NE(m.find("emergencies[flu].group_size"), std::string::npos) << m;
    EXPECT_NE(m.find("emergencies[flu].door: 'NORTH' is not a door id"), std::string::npos) << m;
    EXPECT_NE(m.find("emergencies[flu].target: 'LOBBY' is not a zone id, window id or window row"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("a crowd-surge drill does not measure 'everyone out'"), std::string::npos) << m;
    EXPECT_NE(m.find("duplicate plan name 'smoke'"), std::string::npos) << m;
  }
  {
    // A format-5 file may not use the section.
    std::string t = room_with("");
    t.replace(t.find("halltwin-scenario/6"), 19, "halltwin-scenario/5");
    const std::string m = testing::scenario_error(t);
    EXPECT_NE(m.find("section 'emergencies' needs format: halltwin-scenario/6"), std::string::npos) << m;
  }
}

// ---------------------------------------------------------------- crowd surge

// A crowd-surge plan for the drill room: `n` persons in by the west exit EXIT
// (y 3-5 m), heading for `target`.
std::string surge_plan(int n, const std::string& target, const std::string& promises,
                       const std::string& extra = "") {
  return fmt::format("  - name: surge\n    kind: crowd-surge\n    group_size: {}\n    door: EXIT\n    target: {}\n"
                     "    duration_s: 150\n{}    promises:\n{}",
                     n, target, extra, promises);
}

drill::DrillResult surge_drill(const std::string& plan, int replications = 1, int threads = 1) {
  const Hall h = testing::scenario_of(room_with(plan));
  drill::DrillOptions o;
  o.day.replications = replications;
  o.day.threads = threads;
  return drill::run_drill(h, book(), *h.emergencies.find("surge"), o);
}

// Twenty walkers from the west door to the east zone EAST (x 18-30 m) of the
// empty room: all get there, none sooner than the walk to its edge (from
// 0.35 m inside the door, 18.15 m at least) at the fastest speed drawn
// (1.4 m/s), and they came in one after the other through a 2 m door.
TEST(CrowdSurgeDrillTest, GroupReachesTheTargetNoSoonerThanTheWalk) {
  const auto r = surge_drill(surge_plan(20, "EAST", "      - {promise: group at target, within_min: 2}\n"));
  EXPECT_DOUBLE_EQ(kpi_of(r, "group_entered"), 20.0);
  EXPECT_DOUBLE_EQ(kpi_of(r, "group_at_target"), 20.0);
  EXPECT_DOUBLE_EQ(kpi_of(r, "persons_in_hall"), 0.0);  // no `at`: the group alone
  EXPECT_GE(kpi_of(r, "group_at_target_mean_s"), 18.15 / 1.4);
  EXPECT_GE(kpi_of(r, "group_at_target_s"), kpi_of(r, "group_at_target_mean_s"));
  // A free walk of at most 30 m at 1.0 m/s or more, plus the door's queue: well within a minute.
  EXPECT_LT(kpi_of(r, "group_at_target_s"), 60.0);
  ASSERT_EQ(r.promises.size(), 1u);
  EXPECT_TRUE(r.promises[0].kept);
  EXPECT_EQ(r.promises[0].unit, "min");
}

// The same walk with a promise too tight to keep: 10 s is less than the 13 s walk.
TEST(CrowdSurgeDrillTest, TooTightATimeIsBroken) {
  const auto r = surge_drill(surge_plan(5, "EAST", "      - {promise: group at target, within_min: 0.1667}\n"));
  ASSERT_EQ(r.promises.size(), 1u);
  EXPECT_FALSE(r.promises[0].kept);
  EXPECT_GE(r.promises[0].measured, 18.15 / 1.4 / 60.0);
}

// Six persons cannot pass 1.5 persons/m2 in zone EAST, whose 2 m density
// cells are whole (6 / 4 m2); a hundred heading for the 24 m2 zone PASSAGE
// pack it beyond (2.5 persons/m2 measured, the rest queuing outside it): the
// same promise kept by the one, broken by the other. The exits stay clear of
// the small group (nobody stops near EXIT-E).
TEST(CrowdSurgeDrillTest, TooLargeAGroupBreaksTheDensityPromise) {
  const std::string promises =
      "      - {promise: peak density target, at_most_ppm2: 1.5}\n"
      "      - {promise: exit routes clear, at_most_ppm2: 0.5}\n";
  const auto small = surge_drill(surge_plan(6, "EAST", promises));
  const auto large = surge_drill(surge_plan(100, "PASSAGE", promises));
  ASSERT_EQ(small.promises.size(), 2u);
  ASSERT_EQ(large.promises.size(), 2u);
  EXPECT_TRUE(small.promises[0].kept) << small.promises[0].measured;
  EXPECT_FALSE(large.promises[0].kept) << large.promises[0].measured;
  EXPECT_GT(large.promises[0].measured, small.promises[0].measured);
  EXPECT_EQ(large.promises[0].unit, "persons/m2");
  EXPECT_TRUE(small.promises[1].kept) << small.promises[1].measured;
  EXPECT_DOUBLE_EQ(kpi_of(small, "peak_density_exit_EXIT-E_ppm2"), 0.0);
}

// The arrivals spread over time come in later: the last one is due at 40 s.
TEST(CrowdSurgeDrillTest, ArrivalSpreadDelaysTheLast) {
  const std::string p = "      - {promise: group at target, within_min: 5}\n";
  const auto spread = surge_drill(surge_plan(10, "EAST", p, "    arrival_spread_s: 45\n"));
  EXPECT_GE(kpi_of(spread, "group_at_target_s"), 40.5 + 18.15 / 1.4);
  EXPECT_DOUBLE_EQ(kpi_of(spread, "group_at_target"), 10.0);
}

TEST(CrowdSurgeDrillTest, SameResultWhateverTheThreadCount) {
  const std::string p = "      - {promise: peak density target, at_most_ppm2: 3}\n";
  const auto one = surge_drill(surge_plan(30, "EAST", p), 3, 1);
  const auto two = surge_drill(surge_plan(30, "EAST", p), 3, 2);
  ASSERT_EQ(one.kpis.size(), two.kpis.size());
  for (std::size_t k = 0; k < one.kpis.size(); ++k) {
    EXPECT_EQ(one.kpis[k].key, two.kpis[k].key);
    EXPECT_EQ(one.kpis[k].value, two.kpis[k].value) << one.kpis[k].key;
  }
  EXPECT_EQ(one.promises[0].measured, two.promises[0].measured);
}

TEST(CrowdSurgeDrillTest, CountyPlan) {
  const Hall h = load_scenario(source("scenarios/county.yaml"));
  const EmergencyPlan& p = *h.emergencies.find("crowd-surge");
  EXPECT_EQ(p.kind, EmergencyKind::crowd_surge);
  EXPECT_EQ(p.door, "E1");
  EXPECT_EQ(p.lobby, "Z-GUIDE");  // the zone E1 opens into
  EXPECT_EQ(p.clear_exits.size(), 6u);  // every safety exit of the floor by default
}

// Surge options for the drill room: `count` walkers in by EXIT to zone
// `zone` (spread over it, 0.5 m inside), nobody else placed, `cap_s` long.
evac::EvacOptions surge_from_exit(const Hall& h, const std::string& zone, int count, double cap_s) {
  evac::SurgeSpec spec;
  spec.door = "EXIT";
  spec.count = count;
  for (const auto& z : h.zones)
    if (z.id == zone) spec.target = {z.polygon};
  EXPECT_FALSE(spec.target.empty()) << zone;
  spec.target_inset_m = 0.5;
  spec.spread = true;
  evac::EvacOptions eo;
  eo.population = 0;
  eo.time_cap_s = cap_s;
  eo.surge = spec;
  return eo;
}

// People who never move (pre-movement far beyond the run: those the drill
// places from the operations day) are obstacles to the group's way. A wall of
// 24 such bodies across the drill room at x = 10 m, from the south wall to
// y = 10.2 m, leaves a 1.8 m gap at the north wall; 20 walkers in by EXIT
// (y 3-5 m) head for zone FIRE (x 12-18 m, y 0-8 m) behind it. Heading
// straight east (the way that ignores the bodies) they meet the wall within
// 6 m of FIRE's core and queue behind it: only 1 or 2 of the 20 got past it
// to FIRE in seeds 1-3 before the bodies were obstacles. Going round through
// the gap, all 20 are at the target (in FIRE, or queuing at its edge) past
// the wall, in every seed, and the wall stood still.
TEST(CrowdSurgeDrillTest, WalkersGoRoundPeopleWhoNeverMove) {
  Hall h = room();
  h.evacuation.blocked.clear();
  h.evacuation.hazards.clear();
  h.evacuation.population_by_zone.clear();
  h.evacuation.population_total.reset();
  h.evacuation.persons.clear();
  for (int k = 0; k < 24; ++k) {
    EvacPerson p;
    p.id = fmt::format("WALL{:02d}", k);
    p.floor = FloorId{0};
    p.position = {10.0, 0.3 + 0.42 * k};
    p.premovement_s = 1e12;
    h.evacuation.persons.push_back(p);
  }
  evac::EvacOptions eo = surge_from_exit(h, "FIRE", 20, 150);
  const evac::EvacModel m(h, book(), eo);
  ASSERT_EQ(m.persons.size(), 24u);
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    evac::EvacRunOptions ro;
    ro.seed = seed;
    const evac::EvacResult r = evac::simulate(m, ro);
    ASSERT_EQ(r.persons.size(), 44u);
    int past = 0;
    for (std::size_t i = 24; i < r.persons.size(); ++i) {
      const auto& p = r.persons[i];
      EXPECT_GE(p.target_s, 0.0) << "seed " << seed << " " << p.id << " at " << p.last.x << ", " << p.last.y;
      const Polygon& fire = eo.surge->target[0];
      const bool at_fire = geom::contains(fire, p.last) || geom::distance_to_boundary(fire, p.last) <= 1.0;
      past += p.target_s >= 0 && p.last.x > 10.4 && at_fire ? 1 : 0;
    }
    EXPECT_EQ(past, 20) << "seed " << seed;
    // The wall stood still.
    for (std::size_t i = 0; i < 24; ++i) EXPECT_EQ(r.persons[i].last, r.persons[i].start) << r.persons[i].id;
  }
}

// Without a time cap beyond their pre-movement, the same people are no
// obstacles: they may start walking during the run (an evacuation's persons).
TEST(CrowdSurgeDrillTest, OnlyThoseWhoNeverMoveAreObstacles) {
  Hall h = room();
  h.evacuation.blocked.clear();
  h.evacuation.hazards.clear();
  h.evacuation.population_by_zone.clear();
  h.evacuation.population_total.reset();
  h.evacuation.persons.clear();
  for (int k = 0; k < 3; ++k) {
    EvacPerson p;
    p.floor = FloorId{0};
    p.position = {10.0, 3.0 + 0.5 * k};
    p.premovement_s = k == 0 ? 100.0 : 1e12;  // the first starts at 100 s, within the 150 s run
    h.evacuation.persons.push_back(p);
  }
  evac::EvacOptions eo = surge_from_exit(h, "FIRE", 1, 150);
  const evac::EvacModel m(h, book(), eo);
  EXPECT_EQ(m.still_bodies.size(), 2u);
  eo.surge.reset();
  const evac::EvacModel plain(h, book(), eo);
  EXPECT_TRUE(plain.still_bodies.empty());
}

// People who never move standing in an arc round the inside of the door
// close every way in: they cannot be obstacles to the way (the group would
// have none), so the target field ignores them, as before, and says so.
TEST(CrowdSurgeDrillTest, BodiesClosingTheDoorAreNotObstacles) {
  Hall h = room();
  h.evacuation.blocked.clear();
  h.evacuation.hazards.clear();
  h.evacuation.population_by_zone.clear();
  h.evacuation.population_total.reset();
  h.evacuation.persons.clear();
  // EXIT's middle is (0, 4); an arc of radius 1.5 m from -80 to 80 degrees, bodies 0.41 m apart.
  const int n = 11;
  for (int k = 0; k < n; ++k) {
    const double a = (-80.0 + 160.0 * k / (n - 1)) * std::acos(-1.0) / 180.0;
    EvacPerson p;
    p.floor = FloorId{0};
    p.position = {1.5 * std::cos(a), 4.0 + 1.5 * std::sin(a)};
    p.premovement_s = 1e12;
    h.evacuation.persons.push_back(p);
  }
  evac::EvacOptions eo = surge_from_exit(h, "EAST", 5, 60);
  const evac::EvacModel m(h, book(), eo);
  EXPECT_EQ(m.still_bodies.size(), static_cast<std::size_t>(n));
  EXPECT_EQ(m.layouts[0].target_area, nullptr);
  bool said = false;
  for (const auto& note : m.notes)
    said = said || note.find("they close every way from the door") != std::string::npos;
  EXPECT_TRUE(said);
}

// The county hall at 10:00 with 100 persons heading for the C row (east
// counter): one walker used to step round the tail of the group's own queue
// for ever (among the information wall and the form tables) in seeds 1 and 2
// of 1 to 4; with the people inside as obstacles and the queue-tail rule
// (sim/evac/simulation.cpp) the whole group is at the target in seeds 1 to 4.
TEST(CrowdSurgeDrillTest, CountyHundredToRowCNobodyStuck) {
  const Hall h = testing::scenario_of(county_with(
      "  - name: surge-c\n    kind: crowd-surge\n    at: \"10:00\"\n    group_size: 100\n    door: E1\n"
      "    target: C\n    duration_s: 180\n    promises:\n"
      "      - {promise: group at target, within_min: 3}\n"));
  ASSERT_FALSE(h.start_date.empty());
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    drill::DrillOptions o;
    o.day.seed = seed;
    o.day.date = h.start_date;
    const auto r = drill::run_drill(h, book(), *h.emergencies.find("surge-c"), o);
    EXPECT_DOUBLE_EQ(kpi_of(r, "group_entered"), 100.0) << "seed " << seed;
    EXPECT_DOUBLE_EQ(kpi_of(r, "group_at_target"), 100.0) << "seed " << seed;
  }
}

TEST(CrowdSurgeDrillTest, BadPlansAreRefusedWithLineAndField) {
  {
    const std::string t = room_with(surge_plan(-3, "EAST", "      - {promise: group at target, within_min: 2}\n"));
    const std::string m = testing::scenario_error(t);
    EXPECT_NE(m.find(fmt::format("FILE:{}:", testing::line_of(t, "group_size: -3"))), std::string::npos) << m;
    EXPECT_NE(m.find("emergencies[surge].group_size"), std::string::npos) << m;
  }
  {
    std::string t = room_with(surge_plan(10, "NOWHERE", "      - {promise: peak density lobby, at_most_ppm2: 2}\n",
                                         "    clear_exits: [EXIT, GATE]\n"));
    const std::string m = testing::scenario_error(t);
    EXPECT_NE(m.find(fmt::format("FILE:{}:", testing::line_of(t, "target: NOWHERE"))), std::string::npos) << m;
    EXPECT_NE(m.find("emergencies[surge].target: 'NOWHERE' is not a zone id, window id or window row"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("emergencies[surge].clear_exits[1]: 'GATE' is not a safety exit of floor F1"),
              std::string::npos)
        << m;
  }
  {
    // An `at` needs the operations (the drill room has none); a density needs a unit it knows.
    const std::string t = room_with(surge_plan(10, "EAST", "      - {promise: peak density target, at_most: 2}\n",
                                               "    at: \"10:00\"\n"));
    const std::string m = testing::scenario_error(t);
    EXPECT_NE(m.find("emergencies[surge].at"), std::string::npos) << m;
    EXPECT_NE(m.find("at_most_ppm2"), std::string::npos) << m;
  }
}


// ------------------------------------------------------------ IT outages on the hall's platform
// tests/drill/two-matters-platform.yaml: MA's services go to the provincial
// platform over the extranet, MB's only to the approval host on the LAN; each
// matter has its own two windows.
const Hall& two_matters() {
  static const Hall h = load_scenario(source("tests/drill/two-matters-platform.yaml"));
  return h;
}

drill::DayOptions two_matters_day(int replications) {
  drill::DayOptions o;
  o.date = two_matters().start_date;
  o.replications = replications;
  return o;
}

// One day of the two-matter hall observed without and with disruption d
// (common random numbers: the same citizens come), ticket by ticket.
struct WithAndWithout {
  ops::RunResult without, with;
};
WithAndWithout with_and_without(const ops::OpsModel& model, const ops::Disruption& d, std::uint64_t seed) {
  ops::RunOptions ro;
  ro.seed = seed;
  ro.start_date = two_matters().start_date;
  ro.observe_step_s = 60;
  WithAndWithout r;
  r.without = ops::simulate(model, ro);
  ro.disruptions = {d};
  r.with = ops::simulate(model, ro);
  return r;
}

TEST(PlatformOutageTest, TheTargetReachesTheServicesOnItsRoutes) {
  const Hall& h = two_matters();
  auto reach = [&](const char* plan) { return drill::outage_reach(h, *h.emergencies.find(plan)); };
  const auto ext = reach("extranet-close"), by_id = reach("extranet-close-by-id");
  ASSERT_NE(ext.element, nullptr);
  EXPECT_EQ(ext.element->id, "EXT");
  EXPECT_EQ(ext.element, by_id.element);
  EXPECT_FALSE(ext.every);
  EXPECT_EQ(ext.matters, std::vector<std::uint32_t>{0});  // MA only
  const auto approval = reach("approval-paper");
  EXPECT_FALSE(approval.every);
  EXPECT_EQ(approval.matters, std::vector<std::uint32_t>{1});  // MB only
  EXPECT_TRUE(reach("lan-close").every);
  EXPECT_TRUE(reach("queue-server-down").every);
  const auto kiosk = reach("kiosk-down");
  EXPECT_FALSE(kiosk.every);
  EXPECT_TRUE(kiosk.matters.empty());
  // The queue server named by its id still defaults to manual tickets.
  EXPECT_EQ(h.emergencies.find("queue-server-down")->fallback, FallbackMode::manual_tickets);
  EXPECT_EQ(h.emergencies.find("lan-close")->fallback, FallbackMode::close);
  // Without a platform section the target is a label: every service.
  EXPECT_TRUE(drill::outage_reach(erlang(), outage(FallbackMode::close, 10 * 3600.0, 30)).every);
}

// An extranet outage with the windows closed: no ticket of MA is called during
// it and MA's tickets wait longer; MB's tickets wait exactly as without the
// outage (common random numbers), ticket by ticket, and MB's windows call
// during the outage.
TEST(PlatformOutageTest, ExtranetClosureDelaysOnlyTheMatterThatCrossesIt) {
  const Hall& h = two_matters();
  const ops::OpsModel model(h);
  const drill::DayOptions o = two_matters_day(1);
  const ops::Disruption d = drill::outage_disruption(h, model, *h.emergencies.find("extranet-close"), o);
  ASSERT_EQ(d.matters, std::vector<std::uint32_t>{0});
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto [without, with] = with_and_without(model, d, seed);
    const auto& tw = with.observation->tickets;
    const auto& tb = without.observation->tickets;
    ASSERT_EQ(tw.size(), tb.size());
    int b_same = 0, b_called_during = 0, a_during = 0;
    double a_wait = 0, a_wait_base = 0;
    for (std::size_t i = 0; i < tw.size(); ++i) {
      ASSERT_EQ(tw[i].ticket_s, tb[i].ticket_s);
      ASSERT_EQ(tw[i].matter, tb[i].matter);
      if (tw[i].matter == 1) {
        EXPECT_EQ(tw[i].wait_s, tb[i].wait_s) << "MB ticket " << i;
        EXPECT_EQ(tw[i].abandoned, tb[i].abandoned);
        b_same += tw[i].wait_s == tb[i].wait_s;
        const double called = tw[i].ticket_s + tw[i].wait_s;
        b_called_during += tw[i].wait_s >= 0 && called >= d.from_s && called < d.to_s;
        continue;
      }
      if (tw[i].wait_s < 0 || tw[i].ticket_s >= d.to_s) continue;
      const double called = tw[i].ticket_s + tw[i].wait_s;
      EXPECT_FALSE(called >= d.from_s && called < d.to_s - 1e-9) << "MA called at " << called;
      if (tw[i].ticket_s >= d.from_s) {
        ++a_during;
        a_wait += tw[i].wait_s, a_wait_base += tb[i].wait_s;
        EXPECT_GE(tw[i].wait_s, d.to_s - tw[i].ticket_s - 1e-9);  // waited at least until the end
      }
    }
    EXPECT_GT(b_same, 600);          // about 1.6/min x 8 h = 768 MB tickets, all unchanged
    EXPECT_GT(b_called_during, 30);  // MB's windows worked through the outage
    EXPECT_GT(a_during, 30);         // about 1.6/min x 30 min of MA tickets
    EXPECT_GT(a_wait / a_during, a_wait_base / a_during + 600);  // about 15 min more on average
  }
}

TEST(PlatformOutageTest, TargetByIdOrByKindGivesTheSameDrill) {
  const Hall& h = two_matters();
  drill::DrillOptions o;
  o.day = two_matters_day(3);
  const auto kind = drill::run_drill(h, book(), *h.emergencies.find("extranet-close"), o);
  const auto id = drill::run_drill(h, book(), *h.emergencies.find("extranet-close-by-id"), o);
  ASSERT_EQ(kind.kpis.size(), id.kpis.size());
  for (std::size_t i = 0; i < kind.kpis.size(); ++i) {
    EXPECT_EQ(kind.kpis[i].key, id.kpis[i].key);
    EXPECT_EQ(kind.kpis[i].value, id.kpis[i].value) << kind.kpis[i].key;
  }
  EXPECT_EQ(kind.lines, id.lines);
  EXPECT_DOUBLE_EQ(kpi_of(kind, "affected_matters"), 1.0);
  // MB's tickets (not touched) wait exactly as without the outage; MA's longer.
  EXPECT_EQ(kpi_of(kind, "wait_mean_during_outage_unaffected_s"),
            kpi_of(kind, "wait_mean_during_outage_unaffected_no_outage_s"));
  EXPECT_GT(kpi_of(kind, "wait_mean_during_outage_affected_s"),
            kpi_of(kind, "wait_mean_during_outage_affected_no_outage_s") + 600);
  EXPECT_GT(kpi_of(kind, "wait_p90_during_outage_s"), kpi_of(kind, "wait_p90_during_outage_no_outage_s"));
  EXPECT_EQ(kpi_of(kind, "served"), kpi_of(kind, "served_no_outage"));  // no abandonment: all served by closing
  bool named = false;
  for (const auto& l : kind.lines)
    named = named || l.find("1 of 2 matters make transactions over the extranet (MA)") != std::string::npos;
  EXPECT_TRUE(named) << fmt::format("{}", fmt::join(kind.lines, "\n"));
  // Every service: the LAN closes both rows, so MB's tickets wait too.
  const auto lan = drill::run_drill(h, book(), *h.emergencies.find("lan-close"), o);
  EXPECT_DOUBLE_EQ(kpi_of(lan, "affected_matters"), 2.0);
  EXPECT_GT(kpi_of(lan, "wait_mean_during_outage_s"), kpi_of(kind, "wait_mean_during_outage_s") + 300);
}

TEST(PlatformOutageTest, AKioskOutageReachesNoWindowService) {
  const Hall& h = two_matters();
  drill::DrillOptions o;
  o.day = two_matters_day(2);
  const auto r = drill::run_drill(h, book(), *h.emergencies.find("kiosk-down"), o);
  EXPECT_DOUBLE_EQ(kpi_of(r, "affected_matters"), 0.0);
  EXPECT_EQ(kpi_of(r, "wait_p90_during_outage_s"), kpi_of(r, "wait_p90_during_outage_no_outage_s"));
  EXPECT_EQ(kpi_of(r, "peak_queue"), kpi_of(r, "peak_queue_no_outage"));
  bool said = false;
  for (const auto& l : r.lines) said = said || l.find("no window service's transactions reach KIOSK") != std::string::npos;
  EXPECT_TRUE(said);
}

// Paper intake on the approval host slows MB's services only: MA's tickets wait as without it.
TEST(PlatformOutageTest, PaperIntakeScalesOnlyTheMattersReached) {
  const Hall& h = two_matters();
  const ops::OpsModel model(h);
  const drill::DayOptions o = two_matters_day(1);
  const ops::Disruption d = drill::outage_disruption(h, model, *h.emergencies.find("approval-paper"), o);
  const auto [without, with] = with_and_without(model, d, 1);
  const auto& tw = with.observation->tickets;
  const auto& tb = without.observation->tickets;
  ASSERT_EQ(tw.size(), tb.size());
  double b = 0, b_base = 0;
  for (std::size_t i = 0; i < tw.size(); ++i) {
    if (tw[i].matter == 0) {
      EXPECT_EQ(tw[i].wait_s, tb[i].wait_s) << "MA ticket " << i;
    } else if (tw[i].ticket_s >= d.from_s && tw[i].ticket_s < d.to_s) {
      b += tw[i].wait_s, b_base += tb[i].wait_s;
    }
  }
  EXPECT_GT(b, b_base);
}

TEST(PlatformOutageTest, SameResultWhateverTheThreadCount) {
  const Hall& h = two_matters();
  drill::DrillOptions o;
  o.day = two_matters_day(4);
  o.day.threads = 1;
  const auto one = drill::run_drill(h, book(), *h.emergencies.find("extranet-close"), o);
  o.day.threads = 2;
  const auto two = drill::run_drill(h, book(), *h.emergencies.find("extranet-close"), o);
  ASSERT_EQ(one.kpis.size(), two.kpis.size());
  for (std::size_t i = 0; i < one.kpis.size(); ++i) {
    EXPECT_EQ(one.kpis[i].value, two.kpis[i].value) << one.kpis[i].key;
    EXPECT_EQ(one.kpis[i].ci95_low, two.kpis[i].ci95_low) << one.kpis[i].key;
  }
  EXPECT_EQ(one.lines, two.lines);
}

TEST(PlatformOutageTest, AnUnknownTargetIsRefusedWithLineAndField) {
  const std::string base = text_of(source("tests/drill/two-matters-platform.yaml"));
  for (const char* target : {"mainframe", "datacenter"}) {  // no such id; a kind the platform lacks
    const std::string t = base + fmt::format("  - name: bad\n    kind: it-failure\n    target: {}\n    at: \"10:00\"\n"
                                             "    duration_min: 30\n"
                                             "    promises: [{{promise: service resumes, within_min: 30}}]\n",
                                             target);
    testing::expect_scenario_error(t, fmt::format("target: {}", target),
                                   fmt::format("emergencies[bad].target: '{}' is not an element of the platform "
                                               "section; expected an element id ('TERM', 'QUEUE', 'KIOSK', 'LAN', "
                                               "'EXT', 'PROV', 'APPROVAL') or kind ('terminal', 'queue-server', "
                                               "'kiosk', 'lan', 'extranet', 'provincial-platform', 'approval-host')",
                                               target));
  }
  // Without a platform section (the drill room) the kinds are labels, as before.
  const std::string m = testing::scenario_error(room_with(
      "  - name: bad\n    kind: it-failure\n    target: mainframe\n    at: \"10:00\"\n    duration_min: 30\n"
      "    promises: [{promise: service resumes, within_min: 30}]\n"));
  EXPECT_NE(m.find("emergencies[bad].target: 'mainframe' is not an IT platform element; expected one of "
                   "'queue-server', 'extranet'"),
            std::string::npos)
      << m;
}

}  // namespace
}  // namespace halltwin
