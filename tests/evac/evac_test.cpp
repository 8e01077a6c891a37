// The evacuation simulator (sim/evac/): RiMEA verification tests, door flow,
// the hand calculation, the wall and overlap guarantees over many seeds,
// determinism across thread counts, and bad input. docs/validation.md
// ("Evacuation") shows each result.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <map>
#include <numeric>
#include <random>
#include <sstream>

#include "model/geometry/polygon_ops.hpp"
#include "model/geometry/walkable_area.hpp"
#include "model/hall_geometry.hpp"
#include "model/input_error.hpp"
#include "model/rulebook.hpp"
#include "model/scenario_loader.hpp"
#include "sim/evac/building.hpp"
#include "sim/evac/from_operations.hpp"
#include "sim/evac/models/cfsm.hpp"
#include "sim/evac/models/social_force.hpp"
#include "sim/evac/simulation.hpp"
#include "sim/evac/stairs.hpp"
#include "sim/ops/ops_model.hpp"
#include "tests/support/temp_file.hpp"

namespace halltwin::evac {
namespace {

const std::string kDir = std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/verification/evac/";

const Rulebook& book() {
  static const Rulebook b =
      load_rulebook(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/rulebooks/default.yaml");
  return b;
}

EvacOptions with_population(int n) {
  EvacOptions o;
  o.population = n;
  return o;
}

struct Loaded {
  Hall hall;
  std::unique_ptr<EvacModel> model;
};

Loaded load(const std::string& file, EvacOptions o = {}) {
  Loaded l;
  l.hall = load_scenario(file);
  l.model = std::make_unique<EvacModel>(l.hall, book(), o);
  return l;
}

EvacResult run(const EvacModel& m, std::uint64_t seed = 1, int rep = 1) {
  EvacRunOptions o;
  o.seed = seed;
  o.replication = rep;
  return simulate(m, o);
}

TEST(EvacRimea, Test1CorridorTravelTime) {
  auto l = load(kDir + "rimea-01-corridor.yaml");
  const auto r = run(*l.model);
  ASSERT_EQ(r.agents, 1);
  EXPECT_TRUE(r.stuck.empty());
  EXPECT_GE(r.evacuation_time_s, 26.0);
  EXPECT_LE(r.evacuation_time_s, 34.0);
  EXPECT_NEAR(r.evacuation_time_s, 40.0 / 1.33, 0.5);
}

TEST(EvacRimea, Test1RotatedGivesTheSameTime) {
  auto a = load(kDir + "rimea-01-corridor.yaml");
  auto b = load(kDir + "rimea-01r-corridor-45.yaml");
  const auto ra = run(*a.model), rb = run(*b.model);
  EXPECT_GE(rb.evacuation_time_s, 26.0);
  EXPECT_LE(rb.evacuation_time_s, 34.0);
  EXPECT_NEAR(ra.evacuation_time_s, rb.evacuation_time_s, 0.3);
}

TEST(EvacRimea, Test5EveryoneStartsAtTheirOwnTime) {
  auto l = load(kDir + "rimea-05-premovement.yaml");
  const auto r = run(*l.model, 5);
  ASSERT_EQ(r.agents, 10);
  EXPECT_TRUE(r.stuck.empty());
  for (const auto& p : r.persons) {
    EXPECT_GE(p.premovement_s, 10.0);
    EXPECT_LE(p.premovement_s, 100.0);
    EXPECT_GE(p.start_s, p.premovement_s - 1e-9) << p.id;
    EXPECT_LT(p.start_s, p.premovement_s + l.model->dt_s + 1e-9) << p.id;
    EXPECT_GT(p.exit_s, p.premovement_s) << p.id;
  }
}

// RiMEA 6: 20 persons round a left corner; nobody inside the corner's block
// or any wall, nobody stuck, over seeds 1-5 (with either motion model).
void expect_nobody_through_the_corner(EvacOptions options) {
  auto l = load(kDir + "rimea-06-corner.yaml", std::move(options));
  const EvacModel& m = *l.model;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    EvacRunOptions o;
    o.seed = seed;
    int bad = 0;
    o.observer = [&](double, const Agents& a, const Eigen::ArrayXd&, const Eigen::ArrayXd&) {
      for (std::size_t i = 0; i < a.size(); ++i) {
        const Vec2 p = a.position(i);
        // The inner corner is the block x < 10, y > 2.
        if (!m.area().contains(p) || (p.x < 10.0 - 1e-9 && p.y > 2.0 + 1e-9)) ++bad;
      }
    };
    const auto r = simulate(m, o);
    EXPECT_EQ(bad, 0) << "seed " << seed;
    EXPECT_TRUE(r.stuck.empty()) << "seed " << seed;
    EXPECT_EQ(r.agents, 20);
  }
}

TEST(EvacRimea, Test6NobodyPassesThroughTheCornerWall) { expect_nobody_through_the_corner({}); }

TEST(EvacRimea, Test7SpeedsMatchTheAgeTable) {
  auto l = load(kDir + "rimea-07-speeds.yaml");
  const auto r = run(*l.model, 7);
  ASSERT_EQ(r.agents, 50);
  std::map<std::string, std::pair<double, double>> table{
      {"under30", {0.58, 1.61}}, {"30to50", {1.41, 1.54}}, {"over50", {0.68, 1.41}}};
  std::map<std::string, int> n;
  for (const auto& p : r.persons) {
    const auto [lo, hi] = table.at(p.group);
    EXPECT_GE(p.speed_mps, lo) << p.id;
    EXPECT_LE(p.speed_mps, hi) << p.id;
    ++n[p.group];
  }
  for (const auto& [g, c] : n) EXPECT_GE(c, 8) << g;  // shares about 1/3 each
  // Over many persons the drawn speeds are uniform on each range (mean within 3 standard errors).
  EvacOptions many = with_population(600);
  many.time_cap_s = 1.0;  // only the drawn speeds matter here
  auto big = load(kDir + "rimea-07-speeds.yaml", many);
  const auto rb = run(*big.model, 7);
  std::map<std::string, std::vector<double>> v;
  for (const auto& p : rb.persons) v[p.group].push_back(p.speed_mps);
  for (const auto& [g, xs] : v) {
    const auto [lo, hi] = table.at(g);
    const double mean = std::accumulate(xs.begin(), xs.end(), 0.0) / xs.size();
    const double se = (hi - lo) / std::sqrt(12.0 * xs.size());
    EXPECT_NEAR(mean, 0.5 * (lo + hi), 3 * se) << g;
  }
}

// RiMEA 7 as walked: 50 adults side by side, 1 m apart, on a free corridor; 12
// replications (600 persons). Each one's realised speed is the distance they walk
// between x = 5 m and x = 35 m over the time it takes (crossings interpolated
// within the step). It must be the speed drawn (free walking, within 2%), inside
// its age group's range, and the realised speeds of a group must follow the
// table's uniform distribution (Kolmogorov-Smirnov at the 1% level; mean within
// 3 standard errors of the range's centre).
TEST(EvacRimea, Test7RealisedSpeedsOnAFreeCorridor) {
  auto l = load(kDir + "rimea-07-corridor.yaml");
  const EvacModel& m = *l.model;
  const std::map<std::string, std::pair<double, double>> table{
      {"under30", {0.58, 1.61}}, {"30to50", {1.41, 1.54}}, {"over50", {0.68, 1.41}}};
  std::map<std::string, std::vector<double>> realised;
  int measured = 0;
  double worst_rel = 0;
  for (int rep = 1; rep <= 12; ++rep) {
    struct Walk {
      Vec2 prev{-1, -1};
      double t_in = -1, t_out = -1, length = 0;
    };
    std::map<std::uint32_t, Walk> walks;
    constexpr double x_in = 5.0, x_out = 35.0;
    EvacRunOptions o;
    o.seed = 7;
    o.replication = rep;
    o.observer = [&](double t, const Agents& a, const Eigen::ArrayXd&, const Eigen::ArrayXd&) {
      for (std::size_t i = 0; i < a.size(); ++i) {
        Walk& w = walks[a.id[i]];
        const Vec2 p = a.position(i), q = w.prev;
        w.prev = p;
        if (q.x < 0 || p.x == q.x) continue;
        const double step = distance(p, q);
        // The part of this step inside [x_in, x_out], and the crossing times.
        const double f0 = std::clamp((x_in - q.x) / (p.x - q.x), 0.0, 1.0);
        const double f1 = std::clamp((x_out - q.x) / (p.x - q.x), 0.0, 1.0);
        if (q.x < x_in && p.x >= x_in) w.t_in = t - m.dt_s * (1 - f0);
        if (q.x < x_out && p.x >= x_out) w.t_out = t - m.dt_s * (1 - f1);
        if (p.x > x_in && q.x < x_out) w.length += step * (f1 - f0);
      }
    };
    const auto r = simulate(m, o);
    ASSERT_TRUE(r.stuck.empty());
    ASSERT_EQ(r.agents, 50);
    for (std::size_t k = 0; k < r.persons.size(); ++k) {
      const PersonRecord& p = r.persons[k];
      const Walk& w = walks.at(static_cast<std::uint32_t>(k));
      ASSERT_GT(w.t_out, w.t_in) << p.id << " rep " << rep;
      const double v = w.length / (w.t_out - w.t_in);
      const auto [lo, hi] = table.at(p.group);
      EXPECT_GE(v, lo - 0.01) << p.id << " rep " << rep;
      EXPECT_LE(v, hi + 0.01) << p.id << " rep " << rep;
      EXPECT_NEAR(v, p.speed_mps, 0.02 * p.speed_mps) << p.id << " rep " << rep;
      worst_rel = std::max(worst_rel, std::abs(v - p.speed_mps) / p.speed_mps);
      realised[p.group].push_back(v);
      ++measured;
    }
  }
  EXPECT_EQ(measured, 600);
  RecordProperty("worst_relative_difference", std::to_string(worst_rel));
  for (auto& [g, xs] : realised) {
    const auto [lo, hi] = table.at(g);
    const double n = static_cast<double>(xs.size());
    ASSERT_GE(n, 150) << g;  // shares about 1/3 each
    const double mean = std::accumulate(xs.begin(), xs.end(), 0.0) / n;
    EXPECT_NEAR(mean, 0.5 * (lo + hi), 3 * (hi - lo) / std::sqrt(12.0 * n)) << g;
    std::sort(xs.begin(), xs.end());
    double ks = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double cdf = std::clamp((xs[i] - lo) / (hi - lo), 0.0, 1.0);
      ks = std::max({ks, std::abs(cdf - i / n), std::abs((i + 1) / n - cdf)});
    }
    RecordProperty("ks_" + g, std::to_string(ks));
    EXPECT_LT(ks, 1.63 / std::sqrt(n)) << g << ": realised speeds against uniform(" << lo << ", " << hi << ")";
  }
}

// Mean flow from the first to the last exit, persons/s.
double flow(const EvacResult& r) {
  const auto& e = r.exits.at(0);
  return (e.count - 1) / (e.last_s - e.first_s);
}

TEST(EvacDoorFlow, OneMetreDoorPassesAboutOneToOneAndAHalfPersonsPerSecond) {
  auto one = load(kDir + "door-flow-1m.yaml");
  auto two = load(kDir + "door-flow-2m.yaml");
  double f1 = 0, f2 = 0;
  for (std::uint64_t s = 1; s <= 3; ++s) {
    const auto r1 = run(*one.model, s), r2 = run(*two.model, s);
    ASSERT_TRUE(r1.stuck.empty());
    ASSERT_TRUE(r2.stuck.empty());
    EXPECT_EQ(r1.exits[0].count, 100);
    f1 += flow(r1) / 3, f2 += flow(r2) / 3;
  }
  RecordProperty("flow_1m_pps", std::to_string(f1));
  RecordProperty("flow_2m_pps", std::to_string(f2));
  EXPECT_GE(f1, 1.0);
  EXPECT_LE(f1, 1.5);
  EXPECT_GE(f2 / f1, 1.6);  // roughly linear in width
  EXPECT_LE(f2 / f1, 2.4);
}

// An exit in an inner wall (into a protected stair drawn on the floor, or into a
// stair drawn as a solid wall block) counts 0.5 m past its line on the far side, so
// that its flow is a doorway's (docs/evac.md "Door model"), not a line counter's.
TEST(EvacDoorFlow, InnerWallExitCountsPastItsLineAndPassesADoorwaysFlow) {
  for (const std::string file : {"inner-exit-1m.yaml", "inner-exit-1m-solid.yaml"}) {
    auto l = load(kDir + file);
    const EvacModel& m = *l.model;
    ASSERT_EQ(m.exits.size(), 1u) << file;
    const EvacExit& x = m.exits[0];
    EXPECT_FALSE(x.on_boundary) << file;
    EXPECT_TRUE(x.counted_beyond) << file;
    EXPECT_NEAR(x.outward.x, 1.0, 1e-9) << file << ": the exit leads east, into the stair";
    EXPECT_EQ(x.inner_apron, file == "inner-exit-1m-solid.yaml") << file;
    const double line_x = x.door.a.x;
    double f = 0;
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      const auto r = run(m, seed);
      ASSERT_TRUE(r.stuck.empty()) << file << " seed " << seed;
      ASSERT_EQ(r.exits[0].count, 100) << file << " seed " << seed;
      for (const auto& p : r.persons) EXPECT_GE(p.last.x, line_x + kExitDepth_m - 1e-9) << file << " " << p.id;
      f += flow(r) / 3;
    }
    RecordProperty(file + "_flow_pps", std::to_string(f));
    EXPECT_GE(f, 1.0) << file;
    EXPECT_LE(f, 1.5) << file;
  }
}

TEST(EvacHydraulic, SimpleRoomWithinTheBandOfTheHandCalculation) {
  auto l = load(kDir + "hydraulic-room.yaml");
  // t = pre-movement + longest walk / speed + N / (Fs W) with Fs = 1.3 persons/(m s).
  const double hand = 10.0 + 21.5 / 1.34 + 200.0 / (1.3 * 2.0);
  std::vector<double> t;
  for (int rep = 1; rep <= 3; ++rep) t.push_back(run(*l.model, 1, rep).evacuation_time_s);
  const double mean = std::accumulate(t.begin(), t.end(), 0.0) / t.size();
  RecordProperty("simulated_s", std::to_string(mean));
  // The hand calculation adds walking and queueing, which overlap: the simulation lands at or
  // below it, and not far below (band 0.65-1.05).
  EXPECT_GE(mean, 0.65 * hand) << mean << " vs " << hand;
  EXPECT_LE(mean, 1.05 * hand) << mean << " vs " << hand;
}

double weidmann(double rho) {
  const double v = 1.34 * (1 - std::exp(-1.913 * (1 / rho - 1 / 5.4)));
  return std::max(0.0, v);
}

// The fundamental diagram as a small SVG: Weidmann's curve and the simulated points.
std::string fundamental_diagram_svg(const std::vector<double>& rhos, const std::vector<double>& speeds) {
  const double w = 520, h = 340, l = 60, r = 20, t = 40, b = 50;  // canvas and margins, px
  const double xmax = 6.5, ymax = 1.5;
  auto X = [&](double rho) { return l + (w - l - r) * rho / xmax; };
  auto Y = [&](double v) { return h - b - (h - t - b) * v / ymax; };
  std::ostringstream s;
  s << std::fixed << std::setprecision(1);
  s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << w << "\" height=\"" << h
    << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
    << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << "<text x=\"" << w / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">"
    << "RiMEA test 4: fundamental diagram (collision-free speed model, dt 0.05 s)</text>\n";
  for (int k = 0; k <= 6; ++k)
    s << "<line x1=\"" << X(k) << "\" y1=\"" << Y(0) << "\" x2=\"" << X(k) << "\" y2=\"" << Y(ymax)
      << "\" stroke=\"#e0e0e0\"/><text x=\"" << X(k) << "\" y=\"" << Y(0) + 16 << "\" text-anchor=\"middle\">"
      << k << "</text>\n";
  for (int k = 0; k <= 6; ++k) {
    const double v = 0.25 * k;
    s << "<line x1=\"" << X(0) << "\" y1=\"" << Y(v) << "\" x2=\"" << X(xmax) << "\" y2=\"" << Y(v)
      << "\" stroke=\"#e0e0e0\"/><text x=\"" << X(0) - 6 << "\" y=\"" << Y(v) + 4 << "\" text-anchor=\"end\">"
      << std::setprecision(2) << v << std::setprecision(1) << "</text>\n";
  }
  s << "<path d=\"M" << X(0) << " " << Y(ymax) << " V" << Y(0) << " H" << X(xmax)
    << "\" fill=\"none\" stroke=\"black\"/>\n"
    << "<text x=\"" << (X(0) + X(xmax)) / 2 << "\" y=\"" << h - 12
    << "\" text-anchor=\"middle\">density (persons/m²)</text>\n"
    << "<text transform=\"translate(16 " << (Y(0) + Y(ymax)) / 2
    << ") rotate(-90)\" text-anchor=\"middle\">speed (m/s)</text>\n";
  s << "<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" points=\"";
  for (double rho = 0.2; rho <= 6.0 + 1e-9; rho += 0.05) s << X(rho) << "," << Y(weidmann(rho)) << " ";
  s << "\"/>\n";
  for (std::size_t i = 0; i < rhos.size(); ++i)
    s << "<circle cx=\"" << X(rhos[i]) << "\" cy=\"" << Y(speeds[i])
      << "\" r=\"5\" fill=\"#d9480f\" stroke=\"black\"/>\n";
  const double lx = X(3.6), ly = Y(1.38);
  s << "<line x1=\"" << lx << "\" y1=\"" << ly << "\" x2=\"" << lx + 24 << "\" y2=\"" << ly
    << "\" stroke=\"#1f5fbf\" stroke-width=\"2\"/><text x=\"" << lx + 30 << "\" y=\"" << ly + 4
    << "\">Weidmann (1993)</text>\n"
    << "<circle cx=\"" << lx + 12 << "\" cy=\"" << ly + 20 << "\" r=\"5\" fill=\"#d9480f\" stroke=\"black\"/>"
    << "<text x=\"" << lx + 30 << "\" y=\"" << ly + 24 << "\">simulated (2 m × 2 m area, 10-70 s)</text>\n"
    << "</svg>\n";
  return s.str();
}

// The simulated row of the RiMEA 4 table in docs/validation.md.
std::vector<double> documented_fundamental_diagram() {
  std::ifstream in(std::string(HALLTWIN_SOURCE_DIR) + "/docs/validation.md");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("| simulated (m/s) |", 0) == 0) {
      std::vector<double> v;
      std::istringstream row(line.substr(std::string("| simulated (m/s) |").size()));
      std::string cell;
      while (std::getline(row, cell, '|'))
        if (cell.find_first_not_of(' ') != std::string::npos) v.push_back(std::stod(cell));
      return v;
    }
  return {};
}

// RiMEA 4: the mean speed in a 2 m x 2 m area in the middle of a periodic
// corridor (16 m x 10 m), from 10 s to 70 s, at each density; the persons start
// on a square lattice at the density, 0.25 m off the side walls. `realised`: the
// velocity kept after the wall and overlap guards (what a second-order model
// carries on with), else the model's proposal (the documented CFSM table).
std::vector<double> fundamental_diagram(const std::vector<double>& rhos, const EvacOptions& options,
                                        bool realised = false) {
  std::vector<double> speeds;
  for (double rho : rhos) {
    Hall hall = load_scenario(kDir + "rimea-04-corridor.yaml");
    const double a = 1.0 / std::sqrt(rho);
    int k = 0;
    for (double y = 0.25 + a / 2; y < 10 - 0.25; y += a)
      for (double x = a / 2; x < 16; x += a) {
        EvacPerson p;
        p.id = "P" + std::to_string(++k);
        p.floor = FloorId{0};
        p.position = {x, std::min(y, 9.75)};
        hall.evacuation.persons.push_back(p);
      }
    EvacModel m(hall, book(), options);
    EvacRunOptions o;
    o.periodic_length = 16.0;
    double sum = 0;
    long samples = 0;
    o.observer = [&](double t, const Agents& ag, const Eigen::ArrayXd& vx, const Eigen::ArrayXd& vy) {
      if (t < 10.0 || t > 70.0) return;
      for (std::size_t i = 0; i < ag.size(); ++i) {
        const Vec2 p = ag.position(i);
        if (p.x >= 7 && p.x < 9 && p.y >= 4 && p.y < 6) {
          const auto e = static_cast<Eigen::Index>(i);
          sum += realised ? std::hypot(ag.vx[e], ag.vy[e]) : std::hypot(vx[e], vy[e]);
          ++samples;
        }
      }
    };
    m.time_cap_s = 70.0;
    simulate(m, o);
    speeds.push_back(samples ? sum / samples : 0.0);
  }
  return speeds;
}

// Writes docs/img/rimea4-fundamental-diagram.svg as well when HALLTWIN_WRITE_DOC_PLOTS=1
// (docs/validation.md gives the command); always into the test temporary directory.
TEST(EvacRimea, Test4FundamentalDiagram) {
  const std::vector<double> rhos{0.5, 1, 2, 3, 4, 5, 6};
  const std::vector<double> speeds = fundamental_diagram(rhos, {});
  std::ofstream csv(::testing::TempDir() + "halltwin-evac-fundamental-diagram.csv");
  csv << "density_ppm2,speed_mps,weidmann_mps\n";
  for (std::size_t i = 0; i < rhos.size(); ++i) csv << rhos[i] << "," << speeds[i] << "," << weidmann(rhos[i]) << "\n";
  // The calibrated model (sim/evac/models/cfsm.hpp) against Weidmann: decreasing
  // with density, within 0.12 m/s of his curve at every density and within 0.07 m/s
  // on average (the published T = 1 s walked 0.60 m/s where he gives 1.06 at 1/m²).
  double dev = 0;
  for (std::size_t i = 0; i < rhos.size(); ++i) {
    if (i > 0) {
      EXPECT_LE(speeds[i], speeds[i - 1] + 0.05) << rhos[i];
    }
    EXPECT_NEAR(speeds[i], weidmann(rhos[i]), 0.12) << "at " << rhos[i] << " persons/m²";
    dev += std::abs(speeds[i] - weidmann(rhos[i])) / rhos.size();
  }
  RecordProperty("mean_abs_deviation_mps", std::to_string(dev));
  EXPECT_LT(dev, 0.07);

  const std::string svg = fundamental_diagram_svg(rhos, speeds);
  std::ofstream(::testing::TempDir() + "rimea4-fundamental-diagram.svg") << svg;
  if (const char* w = std::getenv("HALLTWIN_WRITE_DOC_PLOTS"); w && std::string(w) == "1")
    std::ofstream(std::string(HALLTWIN_SOURCE_DIR) + "/docs/img/rimea4-fundamental-diagram.svg") << svg;
  // The table in docs/validation.md is this run (to its two decimals).
  const std::vector<double> documented = documented_fundamental_diagram();
  ASSERT_EQ(documented.size(), speeds.size()) << "docs/validation.md: the RiMEA 4 table's simulated row";
  for (std::size_t i = 0; i < speeds.size(); ++i)
    EXPECT_NEAR(documented[i], speeds[i], 0.0051) << "docs/validation.md, RiMEA 4 at " << rhos[i] << "/m²";
}

TEST(EvacProperties, NobodyInAWallNorOverlappingWhateverTheSeed) {
  auto l = load(kDir + "door-flow-1m.yaml");
  auto c = load(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/village.yaml", with_population(60));
  for (const EvacModel* m : {l.model.get(), c.model.get()}) {
    for (std::uint64_t seed = 1; seed <= 12; ++seed) {
      EvacRunOptions o;
      o.seed = seed;
      int walls = 0, overlaps = 0;
      double worst = 0;
      o.observer = [&](double, const Agents& a, const Eigen::ArrayXd&, const Eigen::ArrayXd&) {
        for (std::size_t i = 0; i < a.size(); ++i) {
          const Vec2 p = a.position(i);
          const double ri = a.radius[static_cast<Eigen::Index>(i)];
          if (!m->area().contains(p) || m->area().clearance(p) < ri - kWallTolerance_m - 1e-9) ++walls;
          for (std::size_t j = i + 1; j < a.size(); ++j) {
            const double gap = distance(p, a.position(j)) - ri - a.radius[static_cast<Eigen::Index>(j)];
            worst = std::min(worst, gap);
            if (gap < -kOverlapTolerance_m - 1e-9) ++overlaps;
          }
        }
      };
      const auto r = simulate(*m, o);
      EXPECT_EQ(walls, 0) << "seed " << seed;
      EXPECT_EQ(overlaps, 0) << "seed " << seed << " worst " << worst;
      EXPECT_TRUE(r.stuck.empty()) << "seed " << seed;
    }
  }
}

// ------------------------------------------------------------ generated halls

// A hall drawn at random (docs/validation.md, "generated halls"): a room W x H split
// by a 0.2 m wall with an internal door, one or two exits on the outer walls, and
// 4-9 counters, furniture and columns (some rotated) anywhere at least 1.5 m from
// the doors, so that some passages are narrower than a body and some pockets are
// closed off. Placement only uses cells from which an exit can be reached.
std::string generated_hall(std::uint64_t which) {
  std::mt19937_64 rng(0x5eed0000 + which);
  auto u = [&](double lo, double hi) { return lo + (hi - lo) * static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  const double w = std::round(u(14, 24)), h = std::round(u(9, 15));
  const double wx = std::round(u(0.35, 0.65) * w * 10) / 10;  // the inner wall's west face
  std::ostringstream y;
  y << std::fixed << std::setprecision(3);
  y << "format: halltwin-scenario/7\nhall: {name: generated " << which
    << ", level: village, population_served: 1000, fire_resistance_grade: 2, fire_hazard: medium, "
       "sprinklered: false, fresh_air_m3h: 2000}\nfloors:\n  - id: F1\n    storey: 1\n"
    << "    boundary: [[0, 0], [" << w << ", 0], [" << w << ", " << h << "], [0, " << h << "]]\n"
    << "    walls:\n      - {id: W1, polygon: [[" << wx << ", 0], [" << wx + 0.2 << ", 0], [" << wx + 0.2 << ", "
    << h << "], [" << wx << ", " << h << "]]}\n";
  std::vector<Vec2> doors;
  y << "    doors:\n";
  const double dy = std::round(u(1.5, h - 2.5) * 10) / 10, dw = std::round(u(0.9, 1.6) * 10) / 10;
  y << "      - {id: D-IN, kind: internal, from: [" << wx + 0.1 << ", " << dy << "], to: [" << wx + 0.1 << ", "
    << dy + dw << "]}\n";
  doors.push_back({wx + 0.1, dy + dw / 2});
  // Exit 1 on the west, south or north wall of the west room; exit 2 (half the
  // halls) on the east wall.
  const double ew = std::round(u(1.0, 2.0) * 10) / 10;
  const int side = static_cast<int>(u(0, 3));
  if (side == 0) {
    const double ey = std::round(u(1.0, h - 1.0 - ew) * 10) / 10;
    y << "      - {id: EX1, kind: exit, from: [0, " << ey << "], to: [0, " << ey + ew << "]}\n";
    doors.push_back({0, ey + ew / 2});
  } else {
    const double ex = std::round(u(1.0, wx - 1.0 - ew) * 10) / 10, ey = side == 1 ? 0.0 : h;
    y << "      - {id: EX1, kind: exit, from: [" << ex << ", " << ey << "], to: [" << ex + ew << ", " << ey << "]}\n";
    doors.push_back({ex + ew / 2, ey});
  }
  if (which % 2 == 1) {
    const double ey = std::round(u(1.0, h - 2.5) * 10) / 10;
    y << "      - {id: EX2, kind: exit, from: [" << w << ", " << ey << "], to: [" << w << ", " << ey + 1.2 << "]}\n";
    doors.push_back({w, ey + 0.6});
  }
  y << "    obstacles:\n";
  const int count = 4 + static_cast<int>(u(0, 6));
  std::vector<std::pair<Vec2, double>> placed;  // centre, circumradius
  static const char* kinds[] = {"counter", "furniture", "column"};
  for (int k = 0, tries = 0; k < count && tries < 400; ++tries) {
    const double a = u(0.4, 3.0), b = u(0.4, 1.2), ang = u(0, 1) < 0.4 ? u(0, 3.14159) : 0.0;
    const double rr = 0.5 * std::hypot(a, b);
    const Vec2 c{u(0.3 + rr, w - 0.3 - rr), u(0.3 + rr, h - 0.3 - rr)};
    bool ok = c.x + rr < wx - 0.1 || c.x - rr > wx + 0.3;
    for (Vec2 d : doors) ok = ok && distance(c, d) > rr + 1.5;
    for (const auto& [pc, pr] : placed) ok = ok && distance(c, pc) > rr + pr;
    if (!ok) continue;
    placed.push_back({c, rr});
    const double cs = std::cos(ang), sn = std::sin(ang);
    ++k;
    y << "      - {id: OB" << k << ", kind: " << kinds[k % 3] << ", polygon: [";
    const double px[4] = {-a / 2, a / 2, a / 2, -a / 2}, py[4] = {-b / 2, -b / 2, b / 2, b / 2};
    for (int v = 0; v < 4; ++v)
      y << (v ? ", " : "") << "[" << c.x + cs * px[v] - sn * py[v] << ", " << c.y + sn * px[v] + cs * py[v] << "]";
    y << "]}\n";
  }
  y << "    zones:\n      - {id: WEST, type: waiting, polygon: [[0, 0], [" << wx << ", 0], [" << wx << ", " << h
    << "], [0, " << h << "]]}\n      - {id: EAST, type: waiting, polygon: [[" << wx + 0.2 << ", 0], [" << w
    << ", 0], [" << w << ", " << h << "], [" << wx + 0.2 << ", " << h << "]]}\n";
  y << "evacuation:\n  population: {total: 50}\n  premovement: {dist: uniform, min_s: 0, max_s: 5}\n";
  return y.str();
}

TEST(EvacProperties, GeneratedHallsNobodyStuckThroughWallsOrOverlapping) {
  int agents = 0, narrow = 0;
  for (std::uint64_t which = 1; which <= 10; ++which) {
    const std::string text = generated_hall(which);
    testing::TempFile f(text);
    Hall hall;
    ASSERT_NO_THROW(hall = load_scenario(f.path())) << text;
    const EvacModel m(hall, book(), {});
    for (const auto& n : m.notes) narrow += n.find("are closed to walkers") != std::string::npos;
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
      EvacRunOptions o;
      o.seed = seed;
      int walls = 0, crossings = 0, overlaps = 0;
      std::map<std::uint32_t, Vec2> before;
      o.observer = [&](double, const Agents& a, const Eigen::ArrayXd&, const Eigen::ArrayXd&) {
        for (std::size_t i = 0; i < a.size(); ++i) {
          const Vec2 p = a.position(i);
          const double ri = a.radius[static_cast<Eigen::Index>(i)];
          if (!m.area().contains(p) || m.area().clearance(p) < ri - kWallTolerance_m - 1e-9) ++walls;
          // The step itself stays in the walkable area (nobody jumps a wall or a corner).
          if (auto it = before.find(a.id[i]); it != before.end() && !m.area().visible(it->second, p)) ++crossings;
          before[a.id[i]] = p;
          for (std::size_t j = i + 1; j < a.size(); ++j) {
            const double gap = distance(p, a.position(j)) - ri - a.radius[static_cast<Eigen::Index>(j)];
            if (gap < -kOverlapTolerance_m - 1e-9) ++overlaps;
          }
        }
      };
      const auto r = simulate(m, o);
      EXPECT_EQ(walls, 0) << "hall " << which << " seed " << seed << "\n" << text;
      EXPECT_EQ(crossings, 0) << "hall " << which << " seed " << seed << "\n" << text;
      EXPECT_EQ(overlaps, 0) << "hall " << which << " seed " << seed << "\n" << text;
      EXPECT_TRUE(r.stuck.empty()) << "hall " << which << " seed " << seed << ": " << r.stuck.size()
                                   << " stuck, first at (" << (r.stuck.empty() ? 0.0 : r.persons[r.stuck[0]].last.x) << ", "
                                   << (r.stuck.empty() ? 0.0 : r.persons[r.stuck[0]].last.y) << ")\n"
                                   << text;
      EXPECT_EQ(r.agents, 50);
      agents += r.agents;
    }
  }
  RecordProperty("agents", std::to_string(agents));
  RecordProperty("halls_with_narrow_gaps", std::to_string(narrow));
  EXPECT_GE(narrow, 1) << "the generated halls should include gaps narrower than a body";
}

// The same seed gives the same replications, person by person, with 1 and 2 threads.
void expect_same_with_one_and_two_threads(EvacOptions options) {
  auto l = load(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/village.yaml", std::move(options));
  EvacPlan p;
  p.base.seed = 11;
  p.replications = 4;
  p.threads = 1;
  const auto a = run_replications(*l.model, p);
  p.threads = 2;
  const auto b = run_replications(*l.model, p);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].evacuation_time_s, b[i].evacuation_time_s);
    EXPECT_EQ(a[i].agent_steps, b[i].agent_steps);
    for (std::size_t k = 0; k < a[i].persons.size(); ++k) {
      EXPECT_EQ(a[i].persons[k].exit_s, b[i].persons[k].exit_s);
      EXPECT_EQ(a[i].persons[k].last.x, b[i].persons[k].last.x);
    }
  }
  EXPECT_NE(a[0].evacuation_time_s, a[1].evacuation_time_s);  // replications differ
}

TEST(EvacDeterminism, SameSeedSameResultWithOneAndTwoThreads) { expect_same_with_one_and_two_threads(with_population(40)); }

TEST(EvacAccounting, ExitsPlusStuckIsEveryoneAndBlockedExitsAreNotUsed) {
  auto l = load(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/county.yaml", [] {
    EvacOptions o = with_population(30);
    o.blocked = {{"E1"}};
    return o;
  }());
  const auto r = run(*l.model);
  int out = 0;
  for (const auto& e : r.exits) {
    EXPECT_NE(e.id, "E1");
    out += e.count;
  }
  EXPECT_EQ(out + static_cast<int>(r.stuck.size()), r.agents);
}

TEST(EvacCap, TheTimeCapStopsTheRunAndReportsTheStuck) {
  auto l = load(kDir + "door-flow-1m.yaml", [] {
    EvacOptions o;
    o.time_cap_s = 5.0;
    return o;
  }());
  const auto r = run(*l.model);
  EXPECT_TRUE(r.capped);
  EXPECT_NEAR(r.evacuation_time_s, 5.0, 1e-9);
  EXPECT_GT(r.stuck.size(), 50u);
}

// ------------------------------------------------------------ bad input

std::string room(const std::string& doors, const std::string& evac) {
  return R"(format: halltwin-scenario/3
hall: {name: T, level: village, population_served: 1000, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false, fresh_air_m3h: 500}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[10,0],[10,6],[0,6]]
    walls:
      - {id: WALL, polygon: [[5,0],[5.2,0],[5.2,6],[5,6]]}
    doors:
)" + doors +
         R"(
    zones:
      - {id: ZA, type: waiting, polygon: [[0,0],[5,0],[5,6],[0,6]]}
      - {id: ZB, type: waiting, polygon: [[5.2,0],[10,0],[10,6],[5.2,6]]}
)" + evac;
}

std::string message_of(const std::string& text, EvacOptions o = {}) {
  testing::TempFile f(text);
  try {
    Hall h = load_scenario(f.path());
    EvacModel m(h, book(), o);
    simulate(m, {});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(EvacBadInput, PersonInsideAWall) {
  const auto msg = message_of(room("      - {id: EX, kind: exit, from: [0,2], to: [0,3]}",
                                   "evacuation:\n  persons:\n    - {id: P9, position: [5.1, 3]}\n"));
  EXPECT_NE(msg.find("inside wall 'WALL'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("evacuation.persons[0].position"), std::string::npos) << msg;
  EXPECT_NE(msg.find(".yaml:"), std::string::npos) << msg;  // file:line:column
}

TEST(EvacBadInput, ExitOfZeroWidth) {
  const auto msg =
      message_of(room("      - {id: EX, kind: exit, from: [0,2], to: [0,3], clear_width_m: 0}", ""));
  EXPECT_NE(msg.find("EX"), std::string::npos) << msg;
  EXPECT_NE(msg.find("greater than 0"), std::string::npos) << msg;
}

TEST(EvacBadInput, NoReachableExit) {
  // The only exit is west of the wall; zone ZB (east) cannot reach it.
  const auto msg = message_of(room("      - {id: EX, kind: exit, from: [0,2], to: [0,3]}",
                                   "evacuation:\n  population: {ZA: 5, ZB: 5}\n"));
  EXPECT_NE(msg.find("no reachable exit"), std::string::npos) << msg;
  EXPECT_NE(msg.find("ZB"), std::string::npos) << msg;
  const auto all = message_of(room("      - {id: EX, kind: exit, from: [0,2], to: [0,3]}", ""), [] {
    EvacOptions o;
    o.blocked = {{"EX"}};
    return o;
  }());
  EXPECT_NE(all.find("every safety exit of floor F1 is blocked (EX)"), std::string::npos) << all;
}

TEST(EvacBadInput, UnknownDoorToBlock) {
  const auto msg = message_of(room("      - {id: EX, kind: exit, from: [0,2], to: [0,3]}", ""), [] {
    EvacOptions o;
    o.blocked = {{"NOPE"}};
    return o;
  }());
  EXPECT_NE(msg.find("'NOPE' is not a door"), std::string::npos) << msg;
  const auto in_file = message_of(
      room("      - {id: EX, kind: exit, from: [0,2], to: [0,3]}", "evacuation:\n  blocked: [NOPE]\n"));
  EXPECT_NE(in_file.find("evacuation.blocked[0]"), std::string::npos) << in_file;
}

TEST(EvacBadInput, PopulationLargerThanTheFloorHolds) {
  const auto msg = message_of(
      room("      - {id: EX, kind: exit, from: [0,2], to: [0,3]}", "evacuation:\n  population: {ZA: 500}\n"));
  EXPECT_NE(msg.find("larger than the floor can hold"), std::string::npos) << msg;
  EXPECT_NE(msg.find("zone ZA"), std::string::npos) << msg;
}

TEST(EvacBadInput, SectionErrorsNameLineAndField) {
  const auto msg = message_of(room("      - {id: EX, kind: exit, from: [0,2], to: [0,3]}",
                                   "evacuation:\n  groups:\n    - {id: a, share: 0.5, preset: teenager}\n"));
  EXPECT_NE(msg.find("evacuation.groups[0].preset"), std::string::npos) << msg;
  EXPECT_NE(msg.find("shares sum to 0.500"), std::string::npos) << msg;
  // Format 2 keeps the section reserved.
  std::string v2 =
      room("      - {id: EX, kind: exit, from: [0,2], to: [0,3]}", "evacuation:\n  time_cap_s: 100\n");
  v2.replace(v2.find("/3"), 2, "/2");
  const auto old = message_of(v2);
  EXPECT_NE(old.find("needs format: halltwin-scenario/3"), std::string::npos) << old;
}

// The evacuation from a simulated day: everybody the operations simulator has on the
// floor at 10:30 is placed where they are, or at the nearest free spot: inside the
// walkable area, a body's radius off every wall, two radii from everybody else.
TEST(EvacFromOperations, EveryoneInsideTheHallPlacedOnAFreeSpot) {
  const Hall hall = load_scenario(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/county.yaml");
  const ops::OpsModel om(hall);
  ops::RunOptions ro;
  ro.start_date = hall.start_date;
  ro.stop_at_s = 10.5 * 3600;
  const auto day = ops::simulate(om, ro);
  ASSERT_TRUE(day.snapshot);
  const auto placed = place_snapshot(hall, FloorId{0}, *day.snapshot, 0.25);
  EXPECT_EQ(placed.persons.size() + placed.dropped + placed.on_other_floors, day.snapshot->persons.size());
  EXPECT_EQ(placed.dropped, 0);
  const geom::WalkableArea area(walkable_input(hall, FloorId{0}));
  for (std::size_t a = 0; a < placed.persons.size(); ++a) {
    const Vec2 p = placed.persons[a].position;
    EXPECT_TRUE(area.contains(p)) << placed.persons[a].id;
    EXPECT_GE(area.clearance(p), 0.25 - 1e-9) << placed.persons[a].id;
    for (std::size_t b = 0; b < a; ++b) EXPECT_GE(distance(p, placed.persons[b].position), 0.5 - 1e-9);
  }
}

// The default population is the checker's occupant load, spread over the zones
// by each zone's persons in that load: on storey 4 the public zones count 0.42
// persons/m2 (table 5.5.21-2 by analogy) and the back office 0.25, so a waiting
// room and an office of 200 m2 each hold 84 and 50 (not 95 and 39, the split
// the storeys 1-2 density 0.60 would give).
TEST(EvacPopulation, TheDefaultLoadIsSpreadWithTheStoreysOwnDensities) {
  const testing::TempFile f(R"(format: halltwin-scenario/9
hall: {name: storey four, level: county, population_served: 1000, fire_resistance_grade: 2,
       fire_hazard: medium, sprinklered: false, fresh_air_m3h: 9000}
floors:
  - id: F4
    storey: 4
    boundary: [[0, 0], [40, 0], [40, 10], [0, 10]]
    doors:
      - {id: W, kind: exit, from: [0, 6], to: [0, 4], clear_width_m: 2.0}
      - {id: E, kind: exit, from: [40, 4], to: [40, 6], clear_width_m: 2.0}
    zones:
      - {id: WAIT, type: waiting, polygon: [[0, 0], [20, 0], [20, 10], [0, 10]]}
      - {id: OFF, type: back_office, polygon: [[20, 0], [40, 0], [40, 10], [20, 10]]}
)");
  const auto l = load(f.path());
  std::map<std::string, int> count;
  for (const auto& z : l.model->zones) count[z.id] = z.count;
  EXPECT_EQ(count["WAIT"], 84);
  EXPECT_EQ(count["OFF"], 50);
  EXPECT_EQ(l.model->population, 134);
}

// ------------------------------------------------------------ part 2: closures, hazards, exit choice

// A blocked exit at t = 60 s: nobody goes out through it afterwards, the ones
// walking to it turn round (exit changes), and nobody is left inside.
TEST(EvacClosure, ExitBlockedAtSixtySecondsReroutesEveryoneWithNoOneStuck) {
  auto l = load(kDir + "closure-two-exits.yaml");
  ASSERT_EQ(l.model->blocked_later.size(), 1u);
  EXPECT_EQ(l.model->blocked_later[0].first, "EAST");
  EXPECT_DOUBLE_EQ(l.model->blocked_later[0].second, 60.0);
  // Seed 2 here; seed 1 below, from the command-line form (two runs: a few seconds).
  for (std::uint64_t seed : {2}) {
    const auto r = run(*l.model, seed);
    EXPECT_TRUE(r.stuck.empty()) << "seed " << seed;
    int east = 0, west_after = 0;
    for (const auto& p : r.persons) {
      if (p.exit == "EAST") {
        ++east;
        EXPECT_LE(p.exit_s, 60.0 + 1e-9) << p.id;
      }
      if (p.exit == "WEST" && p.exit_s > 60.0) ++west_after;
    }
    EXPECT_GT(east, 30);         // the east exit was used before the closure
    EXPECT_GT(west_after, 100);  // the rest went west after it
    EXPECT_GT(r.exit_changes, 30u);
  }
  // The same closure from the command-line form gives the same run.
  Hall h = load_scenario(kDir + "closure-two-exits.yaml");
  h.evacuation.blocked.clear();
  EvacOptions o;
  o.blocked = {{"EAST", 60.0}};
  const EvacModel m(h, book(), o);
  // The same closure in the model (so the same run, by determinism), and seed 1 runs clean.
  EXPECT_EQ(m.blocked_later, l.model->blocked_later);
  for (std::size_t k = 0; k < m.exits.size(); ++k)
    EXPECT_EQ(m.exits[k].closes_at_s, l.model->exits[k].closes_at_s);
  const auto r1 = run(m);
  EXPECT_TRUE(r1.stuck.empty());
  int east_late = 0;
  for (const auto& p : r1.persons) east_late += p.exit == "EAST" && p.exit_s > 60.0;
  EXPECT_EQ(east_late, 0);
}

// A hazard zone from t = 20 s: nobody outside it ever steps in (checked on
// every step by an observer, independent of the simulator's own counter);
// those caught inside leave it; nobody is stuck.
TEST(EvacHazard, AnActiveHazardZoneIsNeverEntered) {
  auto l = load(kDir + "hazard-zone.yaml");
  ASSERT_EQ(l.model->hazards.size(), 1u);
  const HazardZone& fire = l.model->hazards[0];
  for (std::uint64_t seed : {1, 2, 3}) {
    EvacRunOptions o;
    o.seed = seed;
    std::vector<int> state;  // per person: 0 unseen, 1 inside at activation, 2 seen outside after it
    int entries = 0, caught = 0;
    o.observer = [&](double t, const Agents& a, const Eigen::ArrayXd&, const Eigen::ArrayXd&) {
      if (t < fire.from_s + 0.05) return;  // the first step with the zone active ends at from_s + dt
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (a.id[i] >= state.size()) state.resize(a.id[i] + 1, 0);
        int& s = state[a.id[i]];
        const bool in = fire.contains(a.position(i));
        if (s == 0)
          s = in ? 1 : 2, caught += in;
        else if (in && s == 2)
          ++entries;
        else if (!in)
          s = 2;
      }
    };
    const auto r = simulate(*l.model, o);
    EXPECT_EQ(entries, 0) << "seed " << seed;
    EXPECT_EQ(r.hazard_entries, 0) << "seed " << seed;
    EXPECT_GT(caught, 5) << "seed " << seed;
    EXPECT_TRUE(r.stuck.empty()) << "seed " << seed;
    for (const auto& p : r.persons) EXPECT_FALSE(fire.contains(p.last)) << p.id;
  }
}

// RiMEA test 10 (allocation of escape routes): everyone leaves through the
// exit assigned to their group, also those standing nearer the other one.
TEST(EvacRimea, Test10AssignedExitsAreRespected) {
  auto l = load(kDir + "rimea-10-assigned-exits.yaml");
  for (std::uint64_t seed : {1, 2}) {
    const auto r = run(*l.model, seed);
    EXPECT_TRUE(r.stuck.empty());
    int nearer_other = 0;
    for (const auto& p : r.persons) {
      const std::string want = p.group == "to_west" ? "WEST" : "EAST";
      EXPECT_EQ(p.exit, want) << p.id;
      nearer_other += (want == "WEST") == (p.start.x > 10.0);
    }
    EXPECT_GT(nearer_other, 20);  // the assignment, not the distance, decided
  }
}

// RiMEA test 11 (choice of escape route): with everybody nearer NEAR, most use
// it, but the queue in front of it sends a clear share to FAR; and choosing
// by estimated time beats everybody walking to the nearest exit.
TEST(EvacRimea, Test11TheQueueSendsSomeToTheFartherExit) {
  auto l = load(kDir + "rimea-11-exit-choice.yaml");
  const auto r = run(*l.model);
  int near = 0, far = 0;
  for (const auto& p : r.persons) (p.exit == "NEAR" ? near : far) += 1;
  RecordProperty("near", near);
  RecordProperty("far", far);
  EXPECT_TRUE(r.stuck.empty());
  EXPECT_GE(near, far);
  EXPECT_GE(far, 60);  // at least a fifth
  // Nearest exit only (FAR assigned to nobody, NEAR to everybody): slower.
  Hall h = load_scenario(kDir + "rimea-11-exit-choice.yaml");
  h.evacuation.groups[0].exit = "NEAR";
  const EvacModel nearest(h, book(), {});
  const auto n = run(nearest);
  EXPECT_LT(r.evacuation_time_s, 0.8 * n.evacuation_time_s)
      << r.evacuation_time_s << " vs " << n.evacuation_time_s;
}

TEST(EvacBadInput, Part2SectionErrorsNameLineAndField) {
  const std::string ex =
      "      - {id: EX, kind: exit, from: [0,2], to: [0,3]}\n      - {id: D2, kind: internal, "
      "from: [5,2], to: [5,3]}";
  auto v5 = [&](const std::string& evac) {
    std::string t = room(ex, evac);
    t.replace(t.find("/3"), 2, "/5");
    return t;
  };
  auto m = message_of(v5("evacuation:\n  blocked:\n    - {door: NOPE, at_s: 60}\n"));
  EXPECT_NE(m.find("evacuation.blocked[0]: 'NOPE' is not a door id"), std::string::npos) << m;
  m = message_of(v5("evacuation:\n  blocked:\n    - {door: EX, at_s: -3}\n"));
  EXPECT_NE(m.find("evacuation.blocked[0].at_s"), std::string::npos) << m;
  m = message_of(v5("evacuation:\n  hazards:\n    - {zone: ZQ, from_s: 10}\n"));
  EXPECT_NE(m.find("evacuation.hazards[0].zone: 'ZQ' is not a zone id"), std::string::npos) << m;
  m = message_of(v5("evacuation:\n  groups:\n    - {id: a, share: 1, preset: under30, exit: D2}\n"));
  EXPECT_NE(m.find("evacuation.groups[0].exit: 'D2' is not a safety exit"), std::string::npos) << m;
  m = message_of(v5("evacuation:\n  aset_s: 0\n"));
  EXPECT_NE(m.find("evacuation.aset_s"), std::string::npos) << m;
  EXPECT_NE(m.find(".yaml:"), std::string::npos) << m;  // file:line:column
  // Format 4 does not know them.
  std::string v4 = room(ex, "evacuation:\n  aset_s: 300\n  hazards: []\n");
  v4.replace(v4.find("/3"), 2, "/4");
  m = message_of(v4);
  EXPECT_NE(m.find("evacuation.aset_s: the available safe egress time needs format: halltwin-scenario/5"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("evacuation.hazards: hazard zones needs format: halltwin-scenario/5"), std::string::npos)
      << m;
}

// Two floors and one protected stair against the hand calculation (the
// scenario's header): pre-movement + longest walk + stair length at the stair
// speed + N / (1.1 x width). Walking and queueing overlap, so the simulation
// lands at or below it: band 0.75-1.05. The stair's queue keeps its flow.
TEST(EvacStairs, TwoFloorsAndAStairWithinTheBandOfTheHandCalculation) {
  const Hall h = load_scenario(kDir + "two-floor-stair.yaml");
  const StairPlan plan = plan_stairs(h);
  ASSERT_EQ(plan.legs.size(), 1u);
  EXPECT_EQ(plan.legs[0].upper_door, "F2-ST");
  EvacOptions o1, o2;
  o1.floor = "F1", o2.floor = "F2";
  o1.one_of_several = o2.one_of_several = true;
  const EvacModel f1(h, book(), o1), f2(h, book(), o2);
  EXPECT_EQ(f1.population, 0);
  EXPECT_EQ(f2.population, 100);
  const double stair_s = 12.0 / (1.34 * kStairSpeedFactor);
  const double hand = 10.0 + std::hypot(20.0, 5.0) / 1.34 + stair_s + 100.0 / (1.1 * 1.2);
  std::vector<double> t;
  for (int rep = 1; rep <= 3; ++rep) {
    EvacRunOptions o;
    o.replication = rep;
    o.stream_tag = "F1";
    const EvacResult r1 = simulate(f1, o);
    o.stream_tag = "F2";
    const EvacResult r2 = simulate(f2, o);
    const BuildingResult b = descend_stairs(h, plan, {{"F1", &r1}, {"F2", &r2}}, 600.0);
    ASSERT_FALSE(b.capped);
    ASSERT_EQ(b.stairs[0].count, 100);
    EXPECT_EQ(b.out, 100);
    // The first down walks the stair freely; the last waited for the 99 before him at 1.32 persons/s.
    double first_door = 1e9;
    for (const auto& p : r2.persons) first_door = std::min(first_door, p.exit_s);
    EXPECT_NEAR(b.stairs[0].first_out_s, first_door + stair_s, 1e-9);
    EXPECT_GE(b.stairs[0].last_out_s - b.stairs[0].first_out_s, 99.0 / (1.1 * 1.2) - 1e-9);
    t.push_back(b.evacuation_time_s);
  }
  const double mean = std::accumulate(t.begin(), t.end(), 0.0) / t.size();
  RecordProperty("simulated_s", std::to_string(mean));
  RecordProperty("hand_s", std::to_string(hand));
  EXPECT_GE(mean, 0.75 * hand) << mean << " vs " << hand;
  EXPECT_LE(mean, 1.05 * hand) << mean << " vs " << hand;
}

TEST(EvacStairs, AStairLandingInsideTheLowerFloorIsRefusedPlainly) {
  Hall h = load_scenario(kDir + "two-floor-stair.yaml");
  h.stairs[0].is_protected = false;
  try {
    plan_stairs(h);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("stairs[ST]"), std::string::npos) << m;
    EXPECT_NE(m.find("--floor"), std::string::npos) << m;
  }
}


// ------------------------------------------------------------ the social force model
// The same verification cases with `--model social-force` (Helbing, Farkas,
// Vicsek 2000, published parameters, dt 0.05 s; docs/evac.md "Motion models").

EvacOptions social_force(EvacOptions o = {}) {
  o.motion_model = EvacMotionModel::social_force;
  return o;
}

TEST(EvacSocialForce, Rimea1FreeSpeedWithinTheBand) {
  auto l = load(kDir + "rimea-01-corridor.yaml", social_force());
  ASSERT_EQ(l.model->motion_model, EvacMotionModel::social_force);
  const auto r = run(*l.model);
  ASSERT_EQ(r.agents, 1);
  EXPECT_TRUE(r.stuck.empty());
  RecordProperty("travel_time_s", std::to_string(r.evacuation_time_s));
  // RiMEA 1: 40 m at 1.33 m/s in 26-34 s. The walker starts at rest and reaches v0
  // within a few tau (0.5 s): about tau later than the first-order model; the
  // fluctuation, its speed capped at v0, costs another 0.3 s (30.8 s).
  EXPECT_GE(r.evacuation_time_s, 26.0);
  EXPECT_LE(r.evacuation_time_s, 34.0);
  EXPECT_NEAR(r.evacuation_time_s, 40.0 / 1.33 + 0.5, 0.6);
}

TEST(EvacSocialForce, Rimea6NobodyPassesThroughTheCornerWall) { expect_nobody_through_the_corner(social_force()); }

TEST(EvacSocialForce, NobodyInAWallNorOverlappingWhateverTheSeed) {
  auto l = load(kDir + "door-flow-1m.yaml", social_force());
  auto c = load(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/village.yaml", social_force(with_population(60)));
  for (const EvacModel* m : {l.model.get(), c.model.get()}) {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      EvacRunOptions o;
      o.seed = seed;
      int walls = 0, overlaps = 0;
      o.observer = [&](double, const Agents& a, const Eigen::ArrayXd&, const Eigen::ArrayXd&) {
        for (std::size_t i = 0; i < a.size(); ++i) {
          const Vec2 p = a.position(i);
          const double ri = a.radius[static_cast<Eigen::Index>(i)];
          if (!m->area().contains(p) || m->area().clearance(p) < ri - kWallTolerance_m - 1e-9) ++walls;
          for (std::size_t j = i + 1; j < a.size(); ++j)
            if (distance(p, a.position(j)) - ri - a.radius[static_cast<Eigen::Index>(j)] <
                -kOverlapTolerance_m - 1e-9)
              ++overlaps;
        }
      };
      const auto r = simulate(*m, o);
      EXPECT_EQ(walls, 0) << "seed " << seed;
      EXPECT_EQ(overlaps, 0) << "seed " << seed;
      EXPECT_TRUE(r.stuck.empty()) << "seed " << seed;
    }
  }
}

TEST(EvacSocialForce, DoorFlowOfThePublishedParameters) {
  auto one = load(kDir + "door-flow-1m.yaml", social_force());
  auto two = load(kDir + "door-flow-2m.yaml", social_force());
  double f1 = 0, f2 = 0;
  for (std::uint64_t s = 1; s <= 3; ++s) {
    const auto r1 = run(*one.model, s), r2 = run(*two.model, s);
    ASSERT_TRUE(r1.stuck.empty());
    ASSERT_TRUE(r2.stuck.empty());
    EXPECT_EQ(r1.exits[0].count, 100);
    f1 += flow(r1) / 3, f2 += flow(r2) / 3;
  }
  RecordProperty("flow_1m_pps", std::to_string(f1));
  RecordProperty("flow_2m_pps", std::to_string(f2));
  // Not calibrated: the published parameters (with the fluctuation term, 0.02
  // m/s) let 1.66 persons/s through 1 m and 4.26 through 2 m (mean of seeds 1-3;
  // 1.76 and 4.39 without the fluctuation), above the 1.0-1.5 of measured
  // doorways (docs/validation.md). The band is around what the published
  // parameters give, so that a change of the model shows.
  EXPECT_GE(f1, 1.5) << "published-parameter band";
  EXPECT_LE(f1, 1.9) << "published-parameter band";
  EXPECT_GE(f2 / f1, 2.0);
  EXPECT_LE(f2 / f1, 2.9);
}

TEST(EvacSocialForce, FundamentalDiagramOfThePublishedParameters) {
  const std::vector<double> rhos{0.5, 1, 2, 3, 4, 5, 6};
  const std::vector<double> speeds = fundamental_diagram(rhos, social_force(), true);
  double dev = 0;
  for (std::size_t i = 0; i < rhos.size(); ++i) {
    dev += std::abs(speeds[i] - weidmann(rhos[i])) / rhos.size();
  }
  RecordProperty("mean_abs_deviation_mps", std::to_string(dev));
  std::string listed;
  for (double v : speeds) listed += fmt::format("{}{:.2f}", listed.empty() ? "" : " ", v);
  RecordProperty("speeds_mps", listed);
  // Not calibrated, and far from Weidmann: with the published parameters (and
  // no anisotropy, as in the 2000 paper) a lattice of walkers of one desired
  // speed is an equilibrium: every push is balanced, and the crowd translates
  // at v0 = 1.34 m/s up to 5 persons/m²; only at 6/m² (0.41 m apart, bodies of
  // 0.4 m) does it slow (0.56 m/s). Mean absolute deviation 0.73 m/s. The band
  // is around what the published parameters give (docs/validation.md).
  for (std::size_t i = 0; i + 1 < rhos.size(); ++i)
    EXPECT_NEAR(speeds[i], 1.34, 0.05) << "published-parameter band at " << rhos[i] << " persons/m²";
  EXPECT_LT(speeds.back(), 1.0) << "at 6 persons/m² the bodies touch";
  EXPECT_GT(dev, 0.6);
  EXPECT_LT(dev, 0.85);
}

TEST(EvacSocialForce, SameSeedSameResultWithOneAndTwoThreads) {
  expect_same_with_one_and_two_threads(social_force(with_population(40)));
}

// A corridor 12 m x 4 m crossed at x = 6 by a wall 0.5 m thick with a gap of w
// in its middle; one walker of desired speed v0 starts from rest at (x0, 2).
std::string gap_corridor(double w, double x0, double v0) {
  return fmt::format(R"(format: halltwin-scenario/3
hall: {{name: T, level: village, population_served: 1000, fire_resistance_grade: 2, fire_hazard: medium, sprinklered: false, fresh_air_m3h: 500}}
floors:
  - id: F1
    storey: 1
    boundary: [[0,0],[12,0],[12,4],[0,4]]
    walls:
      - {{id: W1, polygon: [[6,0],[6.5,0],[6.5,{0}],[6,{0}]]}}
      - {{id: W2, polygon: [[6,{1}],[6.5,{1}],[6.5,4],[6,4]]}}
    doors:
      - {{id: EXIT, kind: exit, from: [12, 0], to: [12, 4]}}
evacuation:
  premovement: {{dist: deterministic, value_s: 0}}
  time_cap_s: 60
  persons:
    - {{id: P1, position: [{2}, 2], speed_mps: {3}}}
)",
                     2.0 - w / 2, 2.0 + w / 2, x0, v0);
}

// The passable width of the social force model (docs/evac.md "Narrow gaps"):
// the corners' push against a walker at rest in front of a gap, at its worst,
// must stay below the drive m v0 / tau. With the slowest default group
// (limited mobility, 0.46 m/s) that is 0.82 m; the collision-free speed model
// keeps the widest body + 0.1 m. Measured: a lone walker at 0.46 m/s starting
// from rest 0.25 m before the wall passes 0.82 m (seeds 1-3) and stalls at 0.80
// m (the gap's bars of the default model, 0.5 m, leave it open for the check).
TEST(EvacSocialForce, PassableGapIsTheOneALoneSlowWalkerPasses) {
  const SocialForceModel sfm;
  const CollisionFreeSpeedModel cfsm;
  EXPECT_DOUBLE_EQ(cfsm.passable_gap_m(0.2, 0.46), 0.5);
  EXPECT_NEAR(sfm.passable_gap_m(0.2, 0.46), 0.82, 1e-9);
  EXPECT_NEAR(sfm.passable_gap_m(0.2, 1.34), 0.67, 1e-9);
  EXPECT_GT(sfm.passable_gap_m(0.2, 0.3), 0.82);
  for (const auto& [w, passes] : {std::pair{0.82, true}, std::pair{0.80, false}}) {
    testing::TempFile f(gap_corridor(w, 5.75, 0.46));
    const Hall h = load_scenario(f.path());
    const EvacModel m(h, book(), {});  // the default model's bars: the gap stays open
    for (std::uint64_t s = 1; s <= 3; ++s) {
      EvacRunOptions o;
      o.seed = s;
      EXPECT_EQ(simulate(m, sfm, o).stuck.empty(), passes) << "gap " << w << " seed " << s;
    }
  }
  // With the social force model the 0.80 m gap is closed: the walker behind it
  // has no way out (refused before the run), the one at 0.82 m gets out.
  EXPECT_NE(message_of(gap_corridor(0.80, 2.0, 0.46), social_force()).find("no reachable exit"), std::string::npos)
      << message_of(gap_corridor(0.80, 2.0, 0.46), social_force());
  testing::TempFile f(gap_corridor(0.82, 2.0, 0.46));
  const Hall h = load_scenario(f.path());
  const EvacModel m(h, book(), social_force());
  EXPECT_TRUE(run(m).stuck.empty());
}

// "Nobody is stuck where an exit is reachable": the bundled county and city
// halls (a 0.6 m gap between two ticket kiosks stranded one walker each at seed
// 1 before the passable width) and the benchmark hall (replication 3 stalled a
// walker head-on against a column face before the fluctuation term).
TEST(EvacSocialForce, CountyHallNobodyStuckSeeds1To3) {
  auto l = load(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/county.yaml", social_force());
  for (std::uint64_t s = 1; s <= 3; ++s) {
    const auto r = run(*l.model, s);
    EXPECT_TRUE(r.stuck.empty()) << "seed " << s << ": " << r.stuck.size() << " stuck";
    EXPECT_EQ(static_cast<int>(r.persons.size()), l.model->population);
  }
}

TEST(EvacSocialForce, CityHallNobodyStuckSeeds1To3) {
  // Every floor together, as `halltwin evac` runs it (the upper floor down its stairs).
  const Hall hall = load_scenario(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/city.yaml");
  BuildingOptions bo;
  bo.evac = social_force();
  const BuildingEvacuation b(hall, book(), bo);
  for (std::uint64_t s = 1; s <= 3; ++s) {
    EvacPlan plan;
    plan.base.seed = s;
    const BuildingRuns runs = run_building(b, plan);
    for (std::size_t f = 0; f < runs.floors.size(); ++f)
      EXPECT_TRUE(runs.floors[f][0].stuck.empty())
          << "floor " << f << " seed " << s << ": " << runs.floors[f][0].stuck.size() << " stuck";
    if (!runs.building.empty()) {
      EXPECT_EQ(runs.building[0].out, runs.building[0].agents) << "seed " << s;
    }
  }
}

TEST(EvacSocialForce, BenchmarkHallNobodyStuckReplications1To3) {
  auto l = load(std::string(HALLTWIN_SOURCE_DIR) + "/scenarios/benchmarks/evac/hall-100x60.yaml",
                social_force(with_population(1000)));
  for (int rep = 1; rep <= 3; ++rep) {
    const auto r = run(*l.model, 1, rep);
    EXPECT_TRUE(r.stuck.empty()) << "replication " << rep << ": " << r.stuck.size() << " stuck";
    EXPECT_LT(r.evacuation_time_s, 150.0) << "replication " << rep;
  }
}

// evacuation.model (format 9): read, and refused in older files or with a bad value.
TEST(EvacSocialForce, ScenarioKeyNeedsVersion9AndAKnownModel) {
  const std::string ex =
      "      - {id: EX, kind: exit, from: [0,2], to: [0,3]}\n      - {id: D2, kind: internal, "
      "from: [5,2], to: [5,3]}";
  auto v = [&](const std::string& version, const std::string& evac) {
    std::string t = room(ex, evac);
    t.replace(t.find("/3"), 2, "/" + version);
    return t;
  };
  {
    testing::TempFile f(v("9", "evacuation:\n  model: social_force\n"));
    const Hall h = load_scenario(f.path());
    ASSERT_TRUE(h.evacuation.model.has_value());
    EXPECT_EQ(*h.evacuation.model, EvacMotionModel::social_force);
    EXPECT_EQ(EvacModel(h, book(), {}).motion_model, EvacMotionModel::social_force);
    // The command line's choice wins over the scenario's.
    EvacOptions o;
    o.motion_model = EvacMotionModel::cfsm;
    EXPECT_EQ(EvacModel(h, book(), o).motion_model, EvacMotionModel::cfsm);
  }
  auto m = message_of(v("9", "evacuation:\n  model: helbing\n"));
  EXPECT_NE(m.find("evacuation.model: 'helbing' is not a motion model; expected cfsm or social_force"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find(".yaml:"), std::string::npos) << m;
  m = message_of(v("8", "evacuation:\n  model: cfsm\n"));
  EXPECT_NE(m.find("evacuation.model: needs format: halltwin-scenario/9 (this file says halltwin-scenario/8)"),
            std::string::npos)
      << m;
}

// ------------------------------------------------------------ narrow necks of one outline

// A wall stub from the south wall stops 0.4 m short of the north wall: the pocket
// east of it is reached only through that neck, which a 0.4 m body cannot pass.
// The neck is closed (nobody placed in the pocket or led into the slot) and the
// summary counts it; a 0.9 m neck stays open.
TEST(EvacNarrowGaps, ANeckOfOneOutlineNarrowerThanABodyIsClosed) {
  auto narrow = load(kDir + "neck-0.4m.yaml");
  auto wide = load(kDir + "neck-0.9m.yaml");
  auto gap_note = [](const EvacModel& m) {
    for (const auto& n : m.notes)
      if (n.find("gap(s) narrower than") != std::string::npos) return n;
    return std::string();
  };
  const std::string note = gap_note(*narrow.model);
  EXPECT_NE(note.find("1 gap(s)"), std::string::npos) << note;
  EXPECT_EQ(gap_note(*wide.model), "");
  EXPECT_FALSE(narrow.model->reachable({13, 5}));
  EXPECT_TRUE(wide.model->reachable({13, 5}));
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const auto rn = run(*narrow.model, seed), rw = run(*wide.model, seed);
    int in_pocket_n = 0, in_pocket_w = 0;
    for (const auto& p : rn.persons) in_pocket_n += p.start.x > 10.2;
    for (const auto& p : rw.persons) in_pocket_w += p.start.x > 10.2;
    EXPECT_EQ(in_pocket_n, 0) << "seed " << seed;
    EXPECT_GT(in_pocket_w, 5) << "seed " << seed;  // about 58/158 of 60 by area
    EXPECT_TRUE(rn.stuck.empty()) << "seed " << seed;
    EXPECT_TRUE(rw.stuck.empty()) << "seed " << seed;
    EXPECT_EQ(rn.exits[0].count, 60);
    EXPECT_EQ(rw.exits[0].count, 60);
  }
}


}  // namespace
}  // namespace halltwin::evac
