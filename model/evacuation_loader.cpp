#include "model/evacuation_loader.hpp"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "model/geometry/polygon_ops.hpp"
#include "model/scenario_loader.hpp"

namespace halltwin {

EvacDistribution speed_preset(SpeedPreset preset) {
  // RiMEA guideline version 3, table 2 (from Weidmann 1993): uniform ranges.
  EvacDistribution d;
  d.kind = EvacDistribution::Kind::uniform;
  switch (preset) {
    case SpeedPreset::under30:
      d.min = 0.58, d.max = 1.61;
      break;
    case SpeedPreset::from30to50:
      d.min = 1.41, d.max = 1.54;
      break;
    case SpeedPreset::over50:
      d.min = 0.68, d.max = 1.41;
      break;
    case SpeedPreset::limited_mobility:
      d.min = 0.46, d.max = 0.76;
      break;
  }
  return d;
}

namespace {

class EvacReader {
 public:
  EvacReader(YamlInput& in, Hall& hall, int version) : in_(in), hall_(hall), version_(version) {}

  void read(const YAML::Node& n) {
    const std::string f = "evacuation";
    if (!in_.expect_map(n, f)) return;
    in_.check_keys(n,
                   {"population", "groups", "premovement", "premovement_by_zone", "time_cap_s", "blocked",
                    "persons", "hazards", "aset_s", "model"},
                   f);
    Evacuation& e = hall_.evacuation;
    e.present = true;
    if (const auto p = n["population"]) read_population(p, f + ".population");
    if (const auto g = n["groups"]) read_groups(g, f + ".groups");
    if (const auto p = n["premovement"]) e.premovement_s = read_dist(p, f + ".premovement", "s", 3600.0);
    if (const auto p = n["premovement_by_zone"]; p && in_.expect_map(p, f + ".premovement_by_zone")) {
      for (const auto& kv : p) {
        const std::string id = kv.first.Scalar();
        const std::string fz = f + ".premovement_by_zone." + shorten(id);
        if (!zone(id)) {
          in_.problem(kv.first, fz, fmt::format("'{}' is not a zone id", shorten(id)));
          continue;
        }
        if (auto d = read_dist(kv.second, fz, "s", 3600.0)) e.premovement_by_zone[id] = *d;
      }
    }
    e.time_cap_s = in_.number(n, "time_cap_s", f, false, 1.0, 86000.0);
    if (const auto b = n["blocked"]; b && in_.expect_sequence(b, f + ".blocked")) {
      for (std::size_t i = 0; i < b.size(); ++i) {
        const std::string fb = fmt::format("{}.blocked[{}]", f, i);
        EvacBlocked blk;
        blk.line = YamlInput::loc(b[i]).line;
        std::optional<std::string> id;
        if (b[i].IsMap()) {
          // {door: ID, at_s: S}: blocked S seconds after the alarm (format 5).
          if (!part2(b[i], fb, "a door blocked at a time ({door: ID, at_s: S})")) continue;
          in_.check_keys(b[i], {"door", "at_s"}, fb);
          id = in_.string(b[i], "door", fb, true);
          const auto at = in_.number(b[i], "at_s", fb, true, 0.0, 86000.0);
          if (!at) continue;
          blk.at_s = *at;
        } else {
          id = in_.string_value(b[i], fb);
        }
        if (!id) continue;
        if (!door(*id)) {
          in_.problem(b[i], fb, fmt::format("'{}' is not a door id", shorten(*id)));
          continue;
        }
        blk.door = *id;
        e.blocked.push_back(blk);
      }
    }
    if (const auto h = n["hazards"];
        h && part2(h, f + ".hazards", "hazard zones") && in_.expect_sequence(h, f + ".hazards")) {
      for (std::size_t i = 0; i < h.size(); ++i) {
        const std::string fh = fmt::format("{}.hazards[{}]", f, i);
        if (!in_.expect_map(h[i], fh)) continue;
        in_.check_keys(h[i], {"zone", "from_s"}, fh);
        EvacHazard hz;
        hz.line = YamlInput::loc(h[i]).line;
        const auto id = in_.string(h[i], "zone", fh, true);
        const auto from = in_.number(h[i], "from_s", fh, true, 0.0, 86000.0);
        if (!id || !from) continue;
        if (!zone(*id)) {
          in_.problem(h[i]["zone"], fh + ".zone", fmt::format("'{}' is not a zone id", shorten(*id)));
          continue;
        }
        hz.zone = *id, hz.from_s = *from;
        e.hazards.push_back(hz);
      }
    }
    if (n["aset_s"] && part2(n["aset_s"], f + ".aset_s", "the available safe egress time"))
      e.aset_s = in_.number(n, "aset_s", f, false, 1.0, 86000.0);
    if (const auto p = n["persons"]) read_persons(p, f + ".persons");
    if (const auto m = n["model"]) read_model(m, f + ".model");
  }

 private:
  // Whether the file's format reads a part-2 field; records the problem if not.
  bool part2(const YAML::Node& n, const std::string& f, const char* what) {
    if (version_ >= kEvacuationPart2FormatVersion) return true;
    in_.problem(n, f,
                fmt::format("{} needs format: halltwin-scenario/{} (this file says {})", what,
                            kEvacuationPart2FormatVersion, hall_.format));
    return false;
  }
  // evacuation.model (format 9): the motion model, "cfsm" or "social_force".
  void read_model(const YAML::Node& m, const std::string& f) {
    if (version_ < kEvacuationModelFormatVersion) {
      in_.problem(m, f,
                  fmt::format("needs format: halltwin-scenario/{} (this file says {}); remove it or raise the "
                              "format",
                              kEvacuationModelFormatVersion, hall_.format));
      return;
    }
    const auto v = in_.string_value(m, f);
    if (!v) return;
    for (const EvacMotionModel k : {EvacMotionModel::cfsm, EvacMotionModel::social_force})
      if (*v == scenario_name(k)) {
        hall_.evacuation.model = k;
        hall_.evacuation.model_line = YamlInput::loc(m).line;
        return;
      }
    in_.problem(m, f, fmt::format("'{}' is not a motion model; expected cfsm or social_force", shorten(*v)));
  }
  const Zone* zone(const std::string& id) const {
    for (const auto& z : hall_.zones)
      if (z.id == id) return &z;
    return nullptr;
  }
  const Door* door(const std::string& id) const {
    for (const auto& d : hall_.doors)
      if (d.id == id) return &d;
    return nullptr;
  }

  void read_population(const YAML::Node& n, const std::string& f) {
    if (!in_.expect_map(n, f)) return;
    Evacuation& e = hall_.evacuation;
    if (n["total"]) {
      in_.check_keys(n, {"total"}, f);
      if (auto t = in_.integer(n, "total", f, true, 0, 1000000)) e.population_total = static_cast<int>(*t);
      return;
    }
    for (const auto& kv : n) {
      const std::string id = kv.first.Scalar();
      const std::string fz = f + "." + shorten(id);
      if (!zone(id)) {
        in_.problem(kv.first, fz,
                    fmt::format("'{}' is not a zone id; expected zone ids or 'total'", shorten(id)));
        continue;
      }
      if (auto v = in_.number_value(kv.second, fz, 0, 1000000)) {
        if (*v != std::floor(*v))
          in_.problem(kv.second, fz, "expected a whole number of persons");
        else
          e.population_by_zone[id] = static_cast<int>(*v);
      }
    }
  }

  std::optional<EvacDistribution> read_dist(const YAML::Node& n, const std::string& f, const char* unit,
                                            double max_value) {
    if (!in_.expect_map(n, f)) return std::nullopt;
    const std::string u = unit;
    const std::string kmin = "min_" + u, kmax = "max_" + u, kmean = "mean_" + u, ksd = "sd_" + u,
                      kval = "value_" + u;
    auto dist = in_.string(n, "dist", f, true);
    if (!dist) return std::nullopt;
    EvacDistribution d;
    auto num = [&](const std::string& key, bool required) {
      return in_.number(n, key.c_str(), f, required, 0.0, max_value);
    };
    if (*dist == "uniform") {
      in_.check_keys(n, {"dist", kmin, kmax}, f);
      d.kind = EvacDistribution::Kind::uniform;
      auto lo = num(kmin, true), hi = num(kmax, true);
      if (!lo || !hi) return std::nullopt;
      if (*hi < *lo) {
        in_.problem(n[kmax], f + "." + kmax, fmt::format("must be at least {} ({})", kmin, *lo));
        return std::nullopt;
      }
      d.min = *lo, d.max = *hi;
    } else if (*dist == "normal" || *dist == "lognormal") {
      in_.check_keys(n, {"dist", kmean, ksd, kmin, kmax}, f);
      d.kind = *dist == "normal" ? EvacDistribution::Kind::normal : EvacDistribution::Kind::lognormal;
      auto m = num(kmean, true), s = num(ksd, true);
      if (!m || !s) return std::nullopt;
      if (d.kind == EvacDistribution::Kind::lognormal && *m <= 0) {
        in_.problem(n[kmean], f + "." + kmean, "must be greater than 0 for a log-normal distribution");
        return std::nullopt;
      }
      d.mean = *m, d.sd = *s;
      d.min = num(kmin, false).value_or(0.0);
      d.max = num(kmax, false).value_or(0.0);
      if (d.max > 0 && d.max < d.min) {
        in_.problem(n[kmax], f + "." + kmax, fmt::format("must be at least {} ({})", kmin, d.min));
        return std::nullopt;
      }
    } else if (*dist == "deterministic") {
      in_.check_keys(n, {"dist", kval}, f);
      d.kind = EvacDistribution::Kind::deterministic;
      auto v = num(kval, true);
      if (!v) return std::nullopt;
      d.mean = *v;
    } else {
      in_.problem(
          n["dist"], f + ".dist",
          fmt::format("'{}' is not one of: uniform, normal, lognormal, deterministic", shorten(*dist)));
      return std::nullopt;
    }
    return d;
  }

  void read_groups(const YAML::Node& n, const std::string& f) {
    if (!in_.expect_sequence(n, f)) return;
    if (n.size() == 0)
      in_.problem(n, f, "expected at least one group (or remove the key for the default mix)");
    double share_sum = 0.0;
    std::set<std::string> ids;
    bool all_shares = true;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const YAML::Node g = n[i];
      std::string fg = fmt::format("{}[{}]", f, i);
      if (!in_.expect_map(g, fg)) continue;
      in_.check_keys(g, {"id", "share", "preset", "speed", "radius_m", "premovement", "exit"}, fg);
      EvacGroup grp;
      grp.line = YamlInput::loc(g).line;
      if (auto id = in_.string(g, "id", fg, true)) {
        grp.id = *id;
        if (!ids.insert(*id).second)
          in_.problem(g, "id", fg + ".id", fmt::format("duplicate group id '{}'", shorten(*id)));
      }
      if (auto s = in_.number(g, "share", fg, true, 0.0, 1.0))
        grp.share = *s, share_sum += *s;
      else
        all_shares = false;
      const bool has_preset = static_cast<bool>(g["preset"]), has_speed = static_cast<bool>(g["speed"]);
      if (has_preset == has_speed) {
        in_.problem(
            g, fg, "expected exactly one of 'preset' (under30, 30to50, over50, limited_mobility) or 'speed'");
      } else if (has_preset) {
        auto p = in_.string(g, "preset", fg, true);
        if (p) {
          if (*p == "under30")
            grp.speed_mps = speed_preset(SpeedPreset::under30);
          else if (*p == "30to50")
            grp.speed_mps = speed_preset(SpeedPreset::from30to50);
          else if (*p == "over50")
            grp.speed_mps = speed_preset(SpeedPreset::over50);
          else if (*p == "limited_mobility")
            grp.speed_mps = speed_preset(SpeedPreset::limited_mobility);
          else
            in_.problem(
                g["preset"], fg + ".preset",
                fmt::format("'{}' is not one of: under30, 30to50, over50, limited_mobility", shorten(*p)));
        }
      } else if (auto d = read_dist(g["speed"], fg + ".speed", "mps", 3.0)) {
        grp.speed_mps = *d;
        const double top = d->kind == EvacDistribution::Kind::uniform ? d->max : d->mean;
        if (top < 0.1) in_.problem(g, "speed", fg + ".speed", "a walking speed must be at least 0.1 m/s");
      }
      if (auto r = in_.number(g, "radius_m", fg, false, 0.1, 0.5)) grp.radius_m = *r;
      if (g["premovement"]) grp.premovement_s = read_dist(g["premovement"], fg + ".premovement", "s", 3600.0);
      if (g["exit"] && part2(g["exit"], fg + ".exit", "an assigned exit")) {
        if (auto x = in_.string(g, "exit", fg, true)) {
          const Door* d = door(*x);
          if (!d || !d->is_safety_exit())
            in_.problem(g, "exit", fg + ".exit",
                        fmt::format("'{}' is not {}; expected the id of a safety exit", shorten(*x),
                                    d ? "a safety exit" : "a door id"));
          else
            grp.exit = *x;
        }
      }
      hall_.evacuation.groups.push_back(grp);
    }
    if (all_shares && n.size() > 0 && std::abs(share_sum - 1.0) > 1e-3)
      in_.problem(n, f, fmt::format("the shares sum to {:.3f}; expected 1", share_sum));
  }

  void read_persons(const YAML::Node& n, const std::string& f) {
    if (!in_.expect_sequence(n, f)) return;
    for (std::size_t i = 0; i < n.size(); ++i) {
      const YAML::Node p = n[i];
      const std::string fp = fmt::format("{}[{}]", f, i);
      if (!in_.expect_map(p, fp)) continue;
      in_.check_keys(p, {"id", "floor", "position", "group", "premovement_s", "speed_mps"}, fp);
      EvacPerson person;
      person.line = YamlInput::loc(p).line;
      person.id = in_.string(p, "id", fp, false).value_or("");
      // Floor: by id, default the storey-1 floor (or the first).
      std::optional<std::uint32_t> floor;
      if (auto fl = in_.string(p, "floor", fp, false)) {
        for (std::uint32_t k = 0; k < hall_.floors.size(); ++k)
          if (hall_.floors[k].id == *fl) floor = k;
        if (!floor) {
          in_.problem(p, "floor", fp + ".floor", fmt::format("'{}' is not a floor id", shorten(*fl)));
          continue;
        }
      } else {
        floor = 0;
        for (std::uint32_t k = 0; k < hall_.floors.size(); ++k)
          if (hall_.floors[k].storey == 1) floor = k;
      }
      if (hall_.floors.empty()) continue;
      person.floor = FloorId{*floor};
      auto pos = in_.point_field(p, "position", fp, "[x, y] in metres");
      if (!pos) continue;
      person.position = *pos;
      const Floor& fl = hall_.floors[*floor];
      if (!geom::contains(fl.boundary, *pos)) {
        in_.problem(
            p["position"], fp + ".position",
            fmt::format("({:.2f}, {:.2f}) lies outside the boundary of floor '{}'", pos->x, pos->y, fl.id));
        continue;
      }
      for (const auto& ob : hall_.obstacles)
        if (ob.floor == person.floor && geom::contains(ob.polygon, *pos)) {
          in_.problem(p, "position", fp + ".position",
                      fmt::format("({:.2f}, {:.2f}) lies inside {} '{}'", pos->x, pos->y,
                                  ob.kind == ObstacleKind::wall ? "wall" : "obstacle", ob.id));
          break;
        }
      if (auto g = in_.string(p, "group", fp, false)) {
        bool known = false;
        for (const auto& grp : hall_.evacuation.groups) known = known || grp.id == *g;
        if (!known)
          in_.problem(p, "group", fp + ".group",
                      fmt::format("'{}' is not a group id of evacuation.groups", shorten(*g)));
        person.group = *g;
      }
      person.premovement_s = in_.number(p, "premovement_s", fp, false, 0.0, 3600.0);
      person.speed_mps = in_.number(p, "speed_mps", fp, false, 0.1, 3.0);
      hall_.evacuation.persons.push_back(person);
    }
  }

  YamlInput& in_;
  Hall& hall_;
  int version_;
};

}  // namespace

void read_evacuation(YamlInput& in, const YAML::Node& node, Hall& hall, int version) {
  EvacReader(in, hall, version).read(node);
}

}  // namespace halltwin
