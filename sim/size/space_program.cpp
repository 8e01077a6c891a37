#include "sim/size/space_program.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

namespace halltwin::size {

std::string_view name(Origin o) {
  switch (o) {
    case Origin::rule:
      return "rule";
    case Origin::simulation:
      return "simulation";
    case Origin::assumption:
      return "assumption";
  }
  return "?";
}

std::string zone_display_name(ZoneType t) {
  switch (t) {
    case ZoneType::guidance: return "咨询导办区";
    case ZoneType::window_area: return "窗口受理区";
    case ZoneType::waiting: return "等候区";
    case ZoneType::self_service: return "自助服务区";
    case ZoneType::self_service_24h: return "24小时自助服务区";
    case ZoneType::info_disclosure: return "政务公开区";
    case ZoneType::help_desk: return "帮办代办区";
    case ZoneType::result_pickup: return "取件区";
    case ZoneType::form_filling: return "填写区";
    case ZoneType::mother_baby: return "母婴室";
    case ZoneType::accessible_toilet: return "无障碍卫生间";
    case ZoneType::toilets: return "公共卫生间";
    case ZoneType::back_office: return "后台办公区";
    case ZoneType::equipment_room: return "设备间";
    case ZoneType::convenience: return "便民服务区";
    case ZoneType::problem_solving: return "办不成事反映区";
    case ZoneType::corridor: return "走道";
    case ZoneType::lobby: return "门厅";
    case ZoneType::staff_area: return "员工休息区";
    case ZoneType::other: return "其他";
  }
  return "其他";
}

std::vector<PoolSpec> window_pools(const SizeProgram& p) {
  std::vector<PoolSpec> pools;
  PoolSpec acc{"L", WindowKind::accessible_low, "", {}, true};
  PoolSpec comp{"A", WindowKind::comprehensive, "", {}, false};
  std::vector<std::string> departments;  // in first-appearance order
  std::map<std::string, std::vector<std::size_t>> by_dept;
  PoolSpec ps{"P", WindowKind::problem_solving, "", {}, false};
  PoolSpec hd{"H", WindowKind::help_desk, "", {}, false};
  PoolSpec pu{"R", WindowKind::pickup, "", {}, false};
  for (std::size_t i = 0; i < p.matters.size(); ++i) {
    const auto& m = p.matters[i];
    if (m.daily <= 0.0) continue;  // no demand, no window
    switch (m.window) {
      case WindowKind::comprehensive:
        comp.matters.push_back(i);
        acc.matters.push_back(i);
        break;
      case WindowKind::department:
        if (!by_dept.count(m.department)) departments.push_back(m.department);
        by_dept[m.department].push_back(i);
        break;
      case WindowKind::problem_solving: ps.matters.push_back(i); break;
      case WindowKind::help_desk: hd.matters.push_back(i); break;
      case WindowKind::pickup: pu.matters.push_back(i); break;
      default: break;
    }
  }
  pools.push_back(acc);
  pools.push_back(comp);
  for (std::size_t d = 0; d < departments.size(); ++d)
    pools.push_back(PoolSpec{fmt::format("D{}", d + 1), WindowKind::department, departments[d],
                             by_dept[departments[d]], false});
  for (auto* x : {&ps, &hd, &pu})
    if (!x->matters.empty()) pools.push_back(*x);
  return pools;
}

std::vector<std::vector<double>> offered_load(const SizeProgram& p, const std::vector<PoolSpec>& pools) {
  const double len_h = p.block_min / 60.0;
  std::vector<std::vector<double>> a(pools.size(), std::vector<double>(p.blocks(), 0.0));
  for (std::size_t k = 0; k < pools.size(); ++k) {
    if (pools[k].fixed) continue;
    for (std::size_t b = 0; b < p.blocks(); ++b)
      for (std::size_t i : pools[k].matters) {
        const auto& m = p.matters[i];
        a[k][b] += m.daily * p.block_shares[b] / len_h * m.service_time.mean() / 3600.0;
      }
  }
  return a;
}

std::vector<int> starting_windows(const SizeProgram& p, const std::vector<PoolSpec>& pools) {
  const auto a = offered_load(p, pools);
  std::vector<int> w(pools.size(), 1);
  int fixed = 0;
  for (std::size_t k = 0; k < pools.size(); ++k)
    if (pools[k].fixed) fixed += 1;
  const int cap = static_cast<int>(p.assumptions.max_windows.value);
  int total = fixed;
  for (std::size_t k = 0; k < pools.size(); ++k) {
    if (pools[k].fixed) continue;
    const double peak = *std::max_element(a[k].begin(), a[k].end());
    w[k] = std::max(1, static_cast<int>(std::ceil(peak + 2.0 * std::sqrt(peak) + 2.0)));
    total += w[k];
  }
  // Over the cap: take windows where the margin over the peak load is largest
  // (relative to its square root, the scale of the random variation), never
  // below the load itself or one window.
  while (total > cap) {
    std::size_t best = pools.size();
    double best_margin = 0.0;
    for (std::size_t k = 0; k < pools.size(); ++k) {
      if (pools[k].fixed || w[k] <= 1) continue;
      const double peak = *std::max_element(a[k].begin(), a[k].end());
      const double margin = (w[k] - 1 - peak) / std::sqrt(peak + 1.0);
      if (best == pools.size() || margin > best_margin) best = k, best_margin = margin;
    }
    if (best == pools.size()) break;
    --w[best];
    --total;
  }
  return w;
}

std::vector<ZoneType> required_zones(const Rulebook& book, AdminLevel level, std::string* clause) {
  std::vector<ZoneType> out;
  for (const auto& r : book.rules) {
    if (r.kind != "required_zones") continue;
    const Param* by = r.params.find("by_level");
    const Param* l = by ? by->find(name(level)) : nullptr;
    if (!l) continue;
    for (const auto& it : l->items)
      if (auto t = parse<ZoneType>(it.scalar)) out.push_back(*t);
    if (clause) *clause = fmt::format("{} ({}, {})", r.clause, r.id, halltwin::name(r.confidence));
    break;
  }
  return out;
}

double exit_m_per_100(const Rulebook& book, int grade, std::string* clause) {
  for (const auto& r : book.rules) {
    if (r.kind != "exit_width_per_100") continue;
    const Param* m = r.params.find("m_per_100");
    const Param* s = m ? m->find("storeys_1_2") : nullptr;
    if (!s || s->items.size() < static_cast<std::size_t>(grade)) continue;
    try {
      const double v = std::stod(s->items[static_cast<std::size_t>(grade - 1)].scalar);
      if (clause) *clause = fmt::format("{} ({}), storeys 1-2, grade {}", r.clause, r.id, grade);
      return v;
    } catch (const std::exception&) {
      continue;
    }
  }
  // Without the rule in the rulebook: GB 50016-2014 table 5.5.21-1, grades I/II.
  if (clause) *clause = "GB 50016-2014 table 5.5.21-1 (storeys 1-2, grade I/II; not in the rulebook)";
  return 0.65;
}

namespace {

// Planning areas (m2) of the fixed zones by level, province .. village: halltwin
// planning values (no standard found gives them; docs/size.md), scaled from the
// bundled halls' plans.
double default_zone_m2(ZoneType t, AdminLevel level) {
  const int l = static_cast<int>(level);
  auto pick = [&](std::array<double, 5> v) { return v[static_cast<std::size_t>(l)]; };
  switch (t) {
    case ZoneType::guidance: return pick({60, 48, 36, 20, 12});
    case ZoneType::self_service: return pick({64, 48, 36, 20, 12});
    case ZoneType::self_service_24h: return pick({40, 32, 24, 16, 12});
    case ZoneType::info_disclosure: return pick({40, 32, 24, 16, 12});
    case ZoneType::help_desk: return pick({32, 24, 20, 16, 12});
    case ZoneType::result_pickup: return pick({48, 36, 24, 16, 12});
    case ZoneType::form_filling: return pick({40, 32, 24, 16, 12});
    case ZoneType::mother_baby: return pick({16, 12, 12, 10, 10});
    case ZoneType::accessible_toilet: return 8.0;
    case ZoneType::toilets: return pick({64, 48, 40, 24, 12});
    case ZoneType::problem_solving: return pick({24, 20, 16, 12, 12});
    default: return 16.0;
  }
}

}  // namespace

std::vector<ZoneNeed> fixed_zones(const SizeProgram& p, const std::vector<PoolSpec>& pools, const Rulebook& book) {
  std::string clause;
  const auto req = required_zones(book, p.level, &clause);
  std::vector<ZoneType> types;
  std::set<ZoneType> seen;
  auto add = [&](ZoneType t) {
    if (t == ZoneType::window_area || t == ZoneType::waiting || t == ZoneType::back_office) return;
    if (seen.insert(t).second) types.push_back(t);
  };
  for (ZoneType t : req) add(t);
  // Zones the windows imply, and toilets in any staffed public hall above a village service point.
  for (const auto& pool : pools) {
    if (pool.kind == WindowKind::pickup) add(ZoneType::result_pickup);
    if (pool.kind == WindowKind::problem_solving) add(ZoneType::problem_solving);
    if (pool.kind == WindowKind::help_desk) add(ZoneType::help_desk);
  }
  if (p.level != AdminLevel::village) {
    add(ZoneType::accessible_toilet);
    add(ZoneType::toilets);
  }
  for (const auto& [t, a] : p.assumptions.zone_m2) add(t);

  std::vector<ZoneNeed> out;
  for (ZoneType t : types) {
    ZoneNeed z;
    z.type = t;
    z.name = zone_display_name(t);
    z.required = std::find(req.begin(), req.end(), t) != req.end();
    z.m2 = default_zone_m2(t, p.level);
    std::string source = fmt::format("halltwin planning value for a {} hall (no standard gives it)", name(p.level));
    for (const auto& [ot, a] : p.assumptions.zone_m2)
      if (ot == t) {
        z.m2 = a.value;
        source = fmt::format("{}:{}: assumptions.zone_m2.{}", p.source_file, a.loc.line, name(t));
      }
    if (t == ZoneType::accessible_toilet && z.m2 < 4.0) z.m2 = 4.0;
    z.figure = Figure{fmt::format("zone_m2.{}", name(t)),
                      fmt::format("{} {} area{}", name(t), z.name,
                                  z.required ? " (the zone is required for the level: " + clause + ")" : ""),
                      z.m2, "m2", Origin::assumption, source};
    out.push_back(z);
  }
  return out;
}

}  // namespace halltwin::size
