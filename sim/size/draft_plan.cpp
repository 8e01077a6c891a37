#include "sim/size/draft_plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace halltwin::size {

namespace {

// Geometry constants of the draft (docs/size.md, "The draft plan"). Margins
// are chosen well inside the rules so that the draft also passes a stricter
// rulebook: exit doors 1.80 m clear (5.5.19 asks 1.40 m for a crowded place),
// exits at most 16 m apart along the long walls (the 30 m travel distance of
// 5.5.17 item 4 is then never approached), signs every 8 m (20 m in 10.3.5),
// extinguisher pairs every 12 m (20 m walking distance, GB 50140 medium).
constexpr double kCounterDepth = 0.8;      // counter, metres
constexpr double kServeOffset = 0.7;       // citizen position in front of the counter
constexpr double kCounterGap = 2.4;        // free passage at each end of the counter line
constexpr double kColumnWidth = 4.0;       // fixed zones stacked in columns of this width
constexpr double kGuidanceMinWidth = 6.0;  // holds the 3 m main entrance with margins
constexpr double kMainDoor = 3.0;          // main entrance clear width
constexpr double kExitDoor = 1.8;          // every other safety exit
constexpr double kExitSpacing = 16.0;      // along the long walls, centre to centre at most
constexpr double kSignGrid = 8.0;          // direction signs / emergency lights grid
constexpr double kExtGrid = 12.0;          // extinguisher pairs grid
constexpr double kSeatPitch = 0.55;        // seat centres along a row
constexpr double kRowPitch = 1.2;          // between seat rows
constexpr int kSeatsPerBlock = 12;         // seats between two aisles
constexpr double kAisle = 2.0;             // between seat blocks and at the zone's sides (from the edge: 1.5)

double r2(double v) { return std::round(v * 100.0) / 100.0; }

// Minimum building area for the level from the rulebook's building_area_min rule.
double building_min_m2(const Rulebook& book, AdminLevel level, std::string* clause) {
  for (const auto& r : book.rules) {
    if (r.kind != "building_area_min") continue;
    const Param* m = r.params.find("min_m2");
    const Param* v = m ? m->find(name(level)) : nullptr;
    if (!v) continue;
    try {
      const double x = std::stod(v->scalar);
      *clause = fmt::format("{} ({}, {})", r.clause, r.id, name(r.confidence));
      return x;
    } catch (const std::exception&) {
    }
  }
  return 0.0;
}

// Seats a waiting zone of this width and depth holds (rows from the window
// side, blocks of kSeatsPerBlock with aisles, 1.5 m free at the sides).
int rows_max(double depth) { return std::max(1, static_cast<int>(std::floor((depth - 1.5 - 2.0) / kRowPitch)) + 1); }
int seats_per_row(double width) {
  const double usable = width - 3.0;
  if (usable < 0) return 0;
  const double block_w = (kSeatsPerBlock - 1) * kSeatPitch + kAisle;
  const int full = static_cast<int>(std::floor((usable + kAisle) / block_w));
  const double rest = usable - full * block_w;
  const int extra = rest >= 0 ? std::min(kSeatsPerBlock, static_cast<int>(std::floor(rest / kSeatPitch)) + 1) : 0;
  return full * kSeatsPerBlock + extra;
}
double width_for_seats(int per_row) {
  const int blocks = (per_row + kSeatsPerBlock - 1) / kSeatsPerBlock;
  return 3.0 + (per_row - blocks) * kSeatPitch + (blocks - 1) * kAisle + 0.01;
}

}  // namespace

DraftPlan make_draft(const SizeProgram& prog, const DraftInputs& in, const Rulebook& book) {
  const auto& a = prog.assumptions;
  const double ww = a.window_width_m.value, wd = a.window_depth_m.value, bo = a.back_office_depth_m.value;
  const double P = a.public_depth_m.value;
  int n_windows = 0;
  for (int w : in.windows) n_windows += w;
  if (n_windows <= 0) throw std::invalid_argument("a draft needs at least one window");

  DraftPlan d;
  d.seats = in.seats;

  // ------------------------------------------------ public band: columns
  struct Column {
    double width = 0.0;
    bool big = false;  // one zone filling the depth
    std::vector<std::pair<const ZoneNeed*, double>> stack;  // zone, height
  };
  std::vector<Column> west, east;  // fixed-zone columns west of guidance, east of waiting
  const ZoneNeed* guidance = nullptr;
  auto pack = [&](std::vector<Column>& cols, const ZoneNeed& z) {
    if (z.m2 / kColumnWidth > P) {  // a big zone: a column of its own, full depth
      cols.push_back(Column{z.m2 / P, true, {{&z, P}}});
      return;
    }
    // Keep a zone at least 2 m deep (the accessible toilet's 1.5 m turning circle).
    const double h = std::max(2.0, z.m2 / kColumnWidth);
    if (cols.empty() || cols.back().big) cols.push_back(Column{kColumnWidth, false, {}});
    double used = 0.0;
    for (auto& s : cols.back().stack) used += s.second;
    if (used + h > P + 1e-9) cols.push_back(Column{kColumnWidth, false, {}});
    cols.back().stack.push_back({&z, h});
  };
  for (const auto& z : in.zones) {
    if (z.type == ZoneType::guidance) {
      guidance = &z;
      continue;
    }
    const bool west_side = z.type == ZoneType::self_service || z.type == ZoneType::self_service_24h ||
                           z.type == ZoneType::form_filling || z.type == ZoneType::convenience;
    pack(west_side ? west : east, z);
  }
  // Stretch each column's last zone to the full depth: the band has no gaps.
  for (auto* cols : {&west, &east})
    for (auto& c : *cols) {
      double used = 0.0;
      for (auto& s : c.stack) used += s.second;
      if (!c.stack.empty()) c.stack.back().second += P - used;
    }

  const double guidance_w = std::max(kGuidanceMinWidth, guidance ? guidance->m2 / P : 0.0);
  const int rmax = rows_max(P);
  const int per_row_needed = std::max(1, (in.seats + rmax - 1) / rmax);
  const double wait_area = (in.seats + in.standing) * a.waiting_m2_per_person.value;
  const double waiting_w = std::max(wait_area / P, width_for_seats(per_row_needed));

  double w_public = guidance_w + waiting_w;
  for (const auto* cols : {&west, &east})
    for (const auto& c : *cols) w_public += c.width;
  const double counter_len = n_windows * ww;
  const double D = P + wd + kCounterDepth + bo;
  double W = std::max(w_public, counter_len + 2 * kCounterGap);
  // The level's minimum building area (a placeholder rule): a reserve zone makes up the difference.
  std::string area_clause;
  const double min_area = building_min_m2(book, prog.level, &area_clause);
  // One storey is one fire compartment: 2,500 m2 for a grade I/II building, 5,000 m2 with
  // automatic sprinklers (GB 50016-2014 5.3.1). A larger floor is drafted sprinklered, and the
  // reserve never pushes the floor past the sprinklered compartment (the minimum area, a
  // placeholder, then warns rather than the plan breaking a rule).
  constexpr double kCompartment_m2 = 2500.0, kSprinkleredCompartment_m2 = 5000.0;
  const double target = std::min(min_area, kSprinkleredCompartment_m2);
  double reserve_w = 0.0;
  if (W * D < target) {
    const double w_target = target / D;
    const double w = target == kSprinkleredCompartment_m2 ? std::floor(w_target * 10.0) / 10.0
                                                         : std::ceil(w_target * 10.0) / 10.0;
    reserve_w = std::max(0.0, w - W);
    W = std::max(W, w);
  }
  // A counter line longer than the public zones, and the rounding, widen the waiting zone.
  W = std::ceil(W * 10.0 - 1e-9) / 10.0;
  d.sprinklered = prog.sprinklered || W * D > kCompartment_m2;
  d.width_m = W;
  d.depth_m = D;

  // Lay the columns out west to east.
  double x = 0.0;
  int zone_no = 0;
  auto zone = [&](ZoneType t, std::string nm, Rect r) {
    d.zones.push_back(DraftZone{fmt::format("Z{:02}-{}", ++zone_no, name(t)), t, std::move(nm), r});
  };
  auto lay = [&](const std::vector<Column>& cols) {
    for (const auto& c : cols) {
      double y = 0.0;
      for (const auto& [z, h] : c.stack) {
        zone(z->type, z->name, Rect{x, y, x + c.width, std::min(P, y + h)});
        y += h;
      }
      x += c.width;
    }
  };
  lay(west);
  const Rect guid{x, 0.0, x + guidance_w, P};
  zone(ZoneType::guidance, zone_display_name(ZoneType::guidance), guid);
  x += guidance_w;
  const Rect wait{x, 0.0, W - reserve_w - [&] {
                    double e = 0.0;
                    for (const auto& c : east) e += c.width;
                    return e;
                  }(),
                  P};
  zone(ZoneType::waiting, zone_display_name(ZoneType::waiting), wait);
  x = wait.x1;
  lay(east);
  if (reserve_w > 0.0) zone(ZoneType::other, "预留发展区 (reserve to the level's minimum area)", Rect{x, 0.0, W, P});
  const double y_counter = P + wd;
  zone(ZoneType::window_area, zone_display_name(ZoneType::window_area), Rect{0.0, P, W, y_counter + kCounterDepth});
  zone(ZoneType::back_office, zone_display_name(ZoneType::back_office), Rect{0.0, y_counter + kCounterDepth, W, D});

  // ------------------------------------------------ counters and windows
  const double y_serve = y_counter - kServeOffset;
  double cx = kCounterGap;
  for (std::size_t k = 0; k < in.pools.size(); ++k) {
    const int n = in.windows[k];
    if (n <= 0) continue;
    const auto& pool = in.pools[k];
    DraftWindowRow row{pool.id, pool.kind, {r2(cx + ww / 2), r2(y_serve)}, {r2(cx + (n - 0.5) * ww), r2(y_serve)}, n,
                       pool.matters};
    d.rows.push_back(row);
    cx += n * ww;
  }
  // The low counter (0.75 m high) under the accessible windows, the main counter under the rest.
  const double low_end = in.pools.front().kind == WindowKind::accessible_low ? kCounterGap + in.windows[0] * ww : kCounterGap;
  if (low_end > kCounterGap)
    d.obstacles.push_back({"CTR-LOW", ObstacleKind::counter, Rect{kCounterGap, y_counter, low_end, y_counter + kCounterDepth}, 0.75});
  if (cx > low_end)
    d.obstacles.push_back({"CTR-MAIN", ObstacleKind::counter, Rect{low_end, y_counter, cx, y_counter + kCounterDepth}, 1.1});

  // ------------------------------------------------ seats: blocks of rows facing the windows
  {
    const int per_row = seats_per_row(wait.x1 - wait.x0);
    int left = in.seats, row_no = 0;
    for (int r = 0; r < rmax && left > 0; ++r) {
      const double y = P - 1.5 - r * kRowPitch;
      const int in_row = std::min(left, per_row);
      // the row's seats, block by block from the west side of the zone
      int placed = 0;
      double bx = wait.x0 + 1.5;
      while (placed < in_row) {
        const int n = std::min(kSeatsPerBlock, in_row - placed);
        d.seat_rows.push_back(DraftSeatRow{fmt::format("S{:02}", ++row_no), {r2(bx), r2(y)},
                                           {r2(bx + (n - 1) * kSeatPitch), r2(y)}, n});
        placed += n;
        bx += (kSeatsPerBlock - 1) * kSeatPitch + kAisle;
      }
      left -= in_row;
    }
    d.seats = in.seats - left;
  }

  // ------------------------------------------------ devices
  const Vec2 gc = guid.centre();
  d.devices.push_back({"DEV-GUIDE", "guide_desk", {r2(gc.x), r2(3.0)}, ""});
  d.devices.push_back({"DEV-TICKET", "ticket_machine", {r2(gc.x + 1.5), r2(5.0)}, ""});
  d.devices.push_back({"DEV-CALL", "info_screen", {r2(wait.centre().x), r2(P - 0.5)}, ""});
  int kiosk = 0;
  for (const auto& z : d.zones)
    if (z.type == ZoneType::self_service || z.type == ZoneType::self_service_24h) {
      const int n = std::max(1, std::min(6, static_cast<int>(z.r.area() / 8.0)));
      for (int i = 0; i < n; ++i)
        d.devices.push_back({fmt::format("DEV-K{}", ++kiosk), "self_service_kiosk",
                             {r2(z.r.x0 + 1.0), r2(z.r.y0 + (i + 0.5) * (z.r.y1 - z.r.y0) / n)}, ""});
    } else if (z.type == ZoneType::info_disclosure) {
      d.devices.push_back({"DEV-INFO", "info_screen", {r2(z.r.centre().x), r2(z.r.centre().y)}, ""});
    }

  // ------------------------------------------------ exits
  int door_no = 0;
  auto south_door = [&](double xc, double width, DoorKind kind) {
    d.doors.push_back({kind == DoorKind::entrance_exit ? "D-MAIN" : fmt::format("D-S{}", ++door_no), kind,
                       {r2(xc - width / 2), 0.0}, {r2(xc + width / 2), 0.0}, width});
  };
  const double main_x = gc.x;
  south_door(main_x, kMainDoor, DoorKind::entrance_exit);
  {
    const int n = std::max(1, static_cast<int>(std::ceil(W / kExitSpacing)));
    for (int i = 0; i < n; ++i) {
      const double xc = W * (i + 0.5) / n;
      // clear of the main entrance (5 m between nearest edges, 5.5.2) and of the end walls
      if (std::abs(xc - main_x) < kMainDoor / 2 + kExitDoor / 2 + 6.0) continue;
      if (xc < kExitDoor / 2 + 1.0 || xc > W - kExitDoor / 2 - 1.0) continue;
      south_door(xc, kExitDoor, DoorKind::exit);
    }
  }
  {
    const int n = std::max(1, static_cast<int>(std::ceil(W / kExitSpacing)));
    for (int i = 0; i < n; ++i) {
      const double xc = W * (i + 0.5) / n;
      d.doors.push_back({fmt::format("D-N{}", i + 1), DoorKind::exit, {r2(xc - kExitDoor / 2), D},
                         {r2(xc + kExitDoor / 2), D}, kExitDoor});
    }
  }
  // End-wall exits mid window band: clear of the south exits (5.5.2) and serving the counter ends.
  const double ye = r2(P + wd / 2);
  d.doors.push_back({"D-W", DoorKind::exit, {0.0, r2(ye - kExitDoor / 2)}, {0.0, r2(ye + kExitDoor / 2)}, kExitDoor});
  d.doors.push_back({"D-E", DoorKind::exit, {W, r2(ye - kExitDoor / 2)}, {W, r2(ye + kExitDoor / 2)}, kExitDoor});

  // Adjacent exits at least 5 m apart between nearest edges (5.5.2), with a margin: an end-wall or
  // north exit too close to another exit is dropped (small halls), never the main entrance.
  auto seg_dist = [](const DraftDoor& a, const DraftDoor& b) {
    auto pd = [](Vec2 p, Vec2 s0, Vec2 s1) {
      const Vec2 v = s1 - s0;
      const double l2 = v.x * v.x + v.y * v.y;
      const double t = l2 > 0 ? std::clamp(((p.x - s0.x) * v.x + (p.y - s0.y) * v.y) / l2, 0.0, 1.0) : 0.0;
      return std::hypot(p.x - s0.x - t * v.x, p.y - s0.y - t * v.y);
    };
    return std::min({pd(a.from, b.from, b.to), pd(a.to, b.from, b.to), pd(b.from, a.from, a.to), pd(b.to, a.from, a.to)});
  };
  for (bool removed = true; removed;) {
    removed = false;
    for (std::size_t i = d.doors.size(); i-- > 1 && !removed;)
      for (std::size_t j = 0; j < i && !removed; ++j)
        if (seg_dist(d.doors[i], d.doors[j]) < 7.0 && d.doors.size() > 2) {
          d.doors.erase(d.doors.begin() + static_cast<std::ptrdiff_t>(i));
          removed = true;
        }
  }

  // ------------------------------------------------ occupant load and exit width (GB 50016)
  double by_density = 0.0;
  for (const auto& z : d.zones) {
    auto it = book.density_ppm2.find(z.type);
    by_density += z.r.area() * (it == book.density_ppm2.end() ? 0.0 : it->second);
  }
  const double by_seats = d.seats * book.seat_factor;
  d.occupant_load = std::ceil(std::max(by_density, by_seats));
  std::string width_clause;
  const double m100 = exit_m_per_100(book, prog.fire_resistance_grade, &width_clause);
  d.exit_width_required_m = d.occupant_load / 100.0 * m100;
  // Widen the side exits until the total has a 25% margin over the requirement.
  for (int guard = 0; guard < 20; ++guard) {
    double total = 0.0;
    for (const auto& door : d.doors) total += door.clear_width_m;
    if (total >= 1.25 * d.exit_width_required_m) break;
    for (auto& door : d.doors) {
      if (door.kind == DoorKind::entrance_exit || door.clear_width_m >= 3.0) continue;
      door.clear_width_m += 0.3;
      const bool horizontal = door.from.y == door.to.y;
      if (horizontal) {
        door.from.x = r2(door.from.x - 0.15);
        door.to.x = r2(door.to.x + 0.15);
      } else {
        door.from.y = r2(door.from.y - 0.15);
        door.to.y = r2(door.to.y + 0.15);
      }
    }
  }
  d.exits = static_cast<int>(d.doors.size());
  for (const auto& door : d.doors) d.exit_width_provided_m += door.clear_width_m;

  // ------------------------------------------------ signs, lights, extinguishers
  int fno = 0;
  auto fac = [&](const char* prefix, const char* type, Vec2 at, std::string rating = "") {
    d.facilities.push_back({fmt::format("{}-{}", prefix, ++fno), type, {r2(at.x), r2(at.y)}, std::move(rating)});
  };
  // An exit sign 0.2 m inside every exit (within 0.3 m of the door).
  for (const auto& door : d.doors) {
    Vec2 m{(door.from.x + door.to.x) / 2, (door.from.y + door.to.y) / 2};
    if (m.y <= 0.0) m.y = 0.2;
    else if (m.y >= D) m.y = D - 0.2;
    else if (m.x <= 0.0) m.x = 0.2;
    else m.x = W - 0.2;
    fac("ES", "exit_sign", m);
  }
  // Grid rows: across the public band, mid window band, mid back office (never on the counter).
  auto rows_in = [](double y0, double y1, double step) {
    std::vector<double> ys;
    const int n = std::max(1, static_cast<int>(std::ceil((y1 - y0) / step)));
    for (int i = 0; i < n; ++i) ys.push_back(y0 + (y1 - y0) * (i + 0.5) / n);
    return ys;
  };
  std::vector<double> ys = rows_in(0.0, P, kSignGrid);
  ys.push_back(P + wd / 2);
  ys.push_back(y_counter + kCounterDepth + bo / 2);
  const int nx = std::max(1, static_cast<int>(std::ceil(W / kSignGrid)));
  for (double y : ys)
    for (int i = 0; i < nx; ++i) fac("DS", "exit_sign", {W * (i + 0.5) / nx, y});
  for (double y : ys)
    for (int i = 0; i < nx; ++i) fac("EL", "emergency_light", {W * (i + 0.5) / nx + 0.5, y + 0.5});
  for (const auto& z : d.zones) fac("EL", "emergency_light", z.r.centre());
  std::vector<double> ey = rows_in(0.0, P, kExtGrid);
  ey.push_back(P + wd / 2);
  ey.push_back(y_counter + kCounterDepth + bo / 2);
  const int ex = std::max(1, static_cast<int>(std::ceil(W / kExtGrid)));
  for (double y : ey)
    for (int i = 0; i < ex; ++i) {
      const double xc = W * (i + 0.5) / ex;
      fac("FE", "extinguisher", {xc - 0.2, y - 0.6}, "3A");
      fac("FE", "extinguisher", {xc + 0.2, y - 0.6}, "3A");
    }
  fac("AED", "aed", {main_x + kMainDoor / 2 + 0.6, 0.3});
  fac("FAK", "first_aid_kit", {main_x + kMainDoor / 2 + 1.2, 0.3});

  // ------------------------------------------------ the largest straight-line distance to an exit
  for (double yy = 0.25; yy < D; yy += 0.5)
    for (double xx = 0.25; xx < W; xx += 0.5) {
      double best = 1e18;
      for (const auto& door : d.doors) {
        const Vec2 m{(door.from.x + door.to.x) / 2, (door.from.y + door.to.y) / 2};
        best = std::min(best, std::hypot(xx - m.x, yy - m.y));
      }
      d.max_exit_distance_m = std::max(d.max_exit_distance_m, best);
    }

  // ------------------------------------------------ figures
  const std::string plan_src = "halltwin draft layout (docs/size.md, \"The draft plan\")";
  auto fig = [&](std::string key, std::string label, double v, std::string unit, Origin o, std::string src) {
    d.figures.push_back(Figure{std::move(key), std::move(label), v, std::move(unit), o, std::move(src)});
  };
  fig("hall_width_m", "hall width (east-west)", W, "m", Origin::assumption, plan_src);
  fig("hall_depth_m", "hall depth: public band + window band + counter + back office", D, "m", Origin::assumption,
      fmt::format("{} + {} + {} + {} m (assumptions public_depth_m, window_depth_m, counter, back_office_depth_m)", P,
                  wd, kCounterDepth, bo));
  fig("building_area_m2", "building area", W * D, "m2", Origin::assumption, plan_src);
  if (d.sprinklered && !prog.sprinklered)
    fig("sprinklered", "automatic sprinklers: the floor exceeds the 2,500 m2 compartment", 1.0, "yes", Origin::rule,
        "GB 50016-2014 5.3.1 (5,000 m2 with automatic sprinklers)");
  if (min_area > 0)
    fig("building_area_min_m2", "minimum building area for the level", min_area, "m2", Origin::rule, area_clause);
  if (reserve_w > 0)
    fig("reserve_m2", "reserve zone added to reach the level's minimum area", reserve_w * P, "m2", Origin::rule,
        area_clause);
  for (const auto& z : d.zones) {
    if (z.type != ZoneType::window_area && z.type != ZoneType::waiting && z.type != ZoneType::back_office) continue;
    std::string src;
    if (z.type == ZoneType::window_area)
      src = fmt::format("the counter line ({} windows x {} m, {} m passages at the ends) by {} m window depth + "
                        "{} m counter (assumptions window_width_m, window_depth_m)",
                        n_windows, ww, kCounterGap, wd, kCounterDepth);
    else if (z.type == ZoneType::waiting)
      src = fmt::format("({} seats + {} standing) x {} m2 per person (assumption waiting_m2_per_person), at least the "
                        "seat rows' width, widened to the hall's width",
                        in.seats, in.standing, a.waiting_m2_per_person.value);
    else
      src = fmt::format("hall width x {} m (assumption back_office_depth_m)", bo);
    fig(fmt::format("zone_m2.{}", name(z.type)), fmt::format("{} {} area", name(z.type), z.name), z.r.area(), "m2",
        Origin::assumption, src);
  }
  fig("occupant_load_density", "occupant load by zone density", std::ceil(by_density), "persons", Origin::rule,
      book.density_clause + " (rulebook occupant_density, " + std::string(name(book.density_confidence)) + ")");
  fig("occupant_load_seats", "occupant load by fixed seats", std::ceil(by_seats), "persons", Origin::rule,
      fmt::format("GB 50016-2014 5.5.21: {} persons per fixed seat (rulebook seat_factor)", book.seat_factor));
  fig("occupant_load", "design occupant load (the larger)", d.occupant_load, "persons", Origin::rule,
      "GB 50016-2014 5.5.21 (the larger of the two loads, as halltwin check counts it)");
  fig("exit_width_per_100_m", "exit width per 100 persons", m100, "m", Origin::rule, width_clause);
  fig("exit_width_required_m", "total exit width required", d.exit_width_required_m, "m", Origin::rule, width_clause);
  fig("exit_width_provided_m", "total exit width provided (at least 1.25 x required)", d.exit_width_provided_m, "m",
      Origin::assumption, plan_src);
  fig("exits", "safety exits (main entrance + south, north and end-wall exits)", d.exits, "exits", Origin::rule,
      "GB 50016-2014 5.5.8 (at least 2 per floor); more so that exits are at most 16 m apart along the long walls "
      "(halltwin margin on the 30 m travel distance of 5.5.17 item 4)");
  fig("exit_door_min_m", "clear width of each safety exit door (main entrance 3.0 m)", kExitDoor, "m", Origin::rule,
      "GB 50016-2014 5.5.19: at least 1.40 m for a crowded place; 1.80 m drafted as a margin");
  fig("max_exit_distance_m", "largest straight-line distance from a point to the nearest exit", d.max_exit_distance_m,
      "m", Origin::rule, "GB 50016-2014 5.5.17 item 4: walking distance at most 30 m (open-plan hall, grade I/II)");
  return d;
}

}  // namespace halltwin::size
