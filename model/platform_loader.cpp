#include "model/platform_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace halltwin {

namespace {

constexpr std::array<std::string_view, 8> kKindNames = {"queue-server", "terminal",     "kiosk",
                                                        "lan",          "extranet",     "provincial-platform",
                                                        "datacenter",   "approval-host"};

std::string kind_list() {
  std::string s;
  for (auto k : kKindNames) s += fmt::format("{}{}", s.empty() ? "" : ", ", k);
  return s;
}

// "HH:MM" (00:00 to 24:00) -> seconds since 00:00.
std::optional<double> parse_hhmm(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 3600.0 + m * 60.0;
}

std::string hhmm(double t_s) {
  const int m = static_cast<int>(std::lround(t_s / 60.0));
  return fmt::format("{:02d}:{:02d}", m / 60, m % 60);
}

class PlatformReader {
 public:
  PlatformReader(YamlInput& in, Hall& hall) : in_(in), hall_(hall) {}

  void read(const YAML::Node& n) {
    const std::string f = "platform";
    if (!in_.expect_map(n, f)) return;
    in_.check_keys(n, {"elements", "transactions"}, f);
    Platform& p = hall_.platform;
    p.present = true;
    const YAML::Node el = n["elements"];
    if (!el) {
      in_.problem(n, f + ".elements", "missing; expected a list of platform elements {id, kind, ...}");
      return;
    }
    if (!in_.expect_sequence(el, f + ".elements")) return;
    for (std::size_t i = 0; i < el.size(); ++i) read_element(el[i], fmt::format("{}.elements[{}]", f, i));
    check_topology(el, f + ".elements");
    if (const YAML::Node t = n["transactions"]) read_transactions(t, f + ".transactions");
  }

 private:
  void read_element(const YAML::Node& e, const std::string& f0) {
    if (!in_.expect_map(e, f0)) return;
    std::string f = f0;
    if (e["id"] && e["id"].IsScalar()) f = fmt::format("platform.elements[{}]", shorten(e["id"].Scalar()));
    PlatformElement pe;
    pe.line = YamlInput::loc(e).line;
    auto id = in_.string(e, "id", f, true);
    auto kind_s = in_.string(e, "kind", f, true);
    if (!id || !kind_s) return;
    auto kind = parse_platform_kind(*kind_s);
    if (!kind) {
      in_.problem(e, "kind", f + ".kind",
                  fmt::format("'{}' is not one of: {}", shorten(*kind_s), kind_list()));
      return;
    }
    if (find_platform_element(hall_.platform, *id) && find_platform_element(hall_.platform, *id)->id == *id) {
      in_.problem(e, "id", f + ".id", fmt::format("duplicate platform element id '{}'", shorten(*id)));
      return;
    }
    pe.id = *id;
    pe.kind = *kind;
    if (is_link(*kind)) {
      in_.check_keys(e, {"id", "kind", "bandwidth_mbps", "latency_ms", "outages", "mtbf_h", "mttr_min"}, f);
      // 1 Mbit/s = 125000 bytes/s.
      if (auto b = in_.number(e, "bandwidth_mbps", f, true, 0.001, 1e6)) pe.bandwidth_Bps = *b * 125000.0;
      if (auto l = in_.number(e, "latency_ms", f, true, 0.0, 10000.0)) pe.latency_s = *l / 1000.0;
    } else {
      in_.check_keys(e, {"id", "kind", "speed_gflops", "cores", "outages", "mtbf_h", "mttr_min"}, f);
      if (auto s = in_.number(e, "speed_gflops", f, true, 1e-6, 1e6)) pe.speed_flops = *s * 1e9;
      if (auto c = in_.integer(e, "cores", f, false, 1, 4096)) pe.cores = static_cast<int>(*c);
    }
    if (const YAML::Node o = e["outages"]; o && in_.expect_sequence(o, f + ".outages")) {
      for (std::size_t i = 0; i < o.size(); ++i) read_outage(o[i], fmt::format("{}.outages[{}]", f, i), pe);
    }
    pe.mtbf_h = in_.number(e, "mtbf_h", f, false, 0.01, 1e7);
    auto mttr = in_.number(e, "mttr_min", f, false, 0.01, 1e6);
    if (pe.mtbf_h.has_value() != mttr.has_value()) {
      in_.problem(e, f,
                  "random failures need both mtbf_h (mean hours between failures) and mttr_min (mean "
                  "minutes to repair)");
    } else if (mttr) {
      pe.mttr_min = *mttr;
    }
    hall_.platform.elements.push_back(std::move(pe));
  }

  void read_outage(const YAML::Node& o, const std::string& f, PlatformElement& pe) {
    if (!in_.expect_map(o, f)) return;
    in_.check_keys(o, {"from", "to"}, f);
    auto from = time(o, "from", f), to = time(o, "to", f);
    if (!from || !to) return;
    if (*to <= *from) {
      in_.problem(o, f,
                  fmt::format("the outage ends ({}) before it starts ({}); expected from < to", hhmm(*to),
                              hhmm(*from)));
      return;
    }
    // An outage nobody can notice is a mistake in the plan: it must overlap
    // the opening hours (the latest close of any extended day included).
    if (hall_.operations.present) {
      const Roster& r = hall_.operations.roster;
      double close = r.close_s;
      for (const auto& x : r.extended_hours) close = std::max(close, x.close_s);
      if (*to <= r.open_s || *from >= close) {
        in_.problem(o, f,
                    fmt::format("the outage {}-{} is outside the day; expected it to overlap the opening "
                                "hours {}-{}",
                                hhmm(*from), hhmm(*to), hhmm(r.open_s), hhmm(close)));
        return;
      }
    }
    pe.outages.push_back({*from, *to, YamlInput::loc(o).line});
  }

  std::optional<double> time(const YAML::Node& m, const char* key, const std::string& f) {
    auto s = in_.string(m, key, f, true);
    if (!s) return std::nullopt;
    auto t = parse_hhmm(*s);
    if (!t)
      in_.problem(
          m[key], f + "." + key,
          fmt::format("'{}' is not a time of day; expected \"HH:MM\" from 00:00 to 24:00", shorten(*s)));
    return t;
  }

  // The routes are fixed by the kinds (docs/platform.md): every host hangs on
  // the one LAN, the remote hosts behind the extranet; the window terminal
  // starts every transaction.
  void check_topology(const YAML::Node& el, const std::string& f) {
    std::map<PlatformKind, int> n;
    for (const auto& e : hall_.platform.elements) ++n[e.kind];
    if (hall_.platform.elements.size() != el.size()) return;  // counts of a half-read list would mislead
    if (n[PlatformKind::lan] != 1)
      in_.problem(el, f,
                  fmt::format("{} elements of kind lan; expected exactly one (the hall network)",
                              n[PlatformKind::lan]));
    if (n[PlatformKind::terminal] != 1)
      in_.problem(el, f,
                  fmt::format("{} elements of kind terminal; expected exactly one (standing for the window "
                              "terminals, where every transaction starts)",
                              n[PlatformKind::terminal]));
    if (n[PlatformKind::extranet] > 1)
      in_.problem(
          el, f,
          fmt::format("{} elements of kind extranet; expected at most one", n[PlatformKind::extranet]));
    if (n[PlatformKind::extranet] == 0 &&
        n[PlatformKind::provincial_platform] + n[PlatformKind::datacenter] > 0)
      in_.problem(el, f, "a provincial-platform or datacenter element needs an extranet element to reach it");
  }

  void read_transactions(const YAML::Node& t, const std::string& f) {
    if (!in_.expect_map(t, f)) return;
    Platform& p = hall_.platform;
    for (const auto& kv : t) {
      const std::string key = kv.first.Scalar();
      const std::string fk = f + "." + shorten(key);
      std::vector<PlatformTransaction> list;
      if (!in_.expect_sequence(kv.second, fk)) continue;
      for (std::size_t i = 0; i < kv.second.size(); ++i) {
        if (auto tr = read_transaction(kv.second[i], fmt::format("{}[{}]", fk, i))) list.push_back(*tr);
      }
      if (key == "default") {
        p.default_transactions = std::move(list);
        continue;
      }
      const auto it = std::find_if(hall_.matters.begin(), hall_.matters.end(),
                                   [&](const Matter& m) { return m.id == key; });
      if (it == hall_.matters.end()) {
        in_.problem(kv.first, fk, fmt::format("'{}' is not a matter id (or 'default')", shorten(key)));
        continue;
      }
      p.by_matter.push_back(
          {MatterId{static_cast<std::uint32_t>(it - hall_.matters.begin())}, std::move(list)});
    }
  }

  std::optional<PlatformTransaction> read_transaction(const YAML::Node& n, const std::string& f) {
    if (!in_.expect_map(n, f)) return std::nullopt;
    in_.check_keys(n, {"to", "count", "request_kb", "reply_kb", "compute_mflop"}, f);
    PlatformTransaction tr;
    tr.line = YamlInput::loc(n).line;
    auto to = in_.string(n, "to", f, true);
    auto count = in_.integer(n, "count", f, false, 1, 10000);
    auto req = in_.number(n, "request_kb", f, false, 0.0, 1e7);
    auto rep = in_.number(n, "reply_kb", f, false, 0.0, 1e7);
    auto comp = in_.number(n, "compute_mflop", f, false, 0.0, 1e9);
    if (!to) return std::nullopt;
    const Platform& p = hall_.platform;
    const PlatformElement* e = find_platform_element(p, *to);
    if (!e) {
      std::string ids;
      for (const auto& x : p.elements) ids += fmt::format("{}{}", ids.empty() ? "" : ", ", x.id);
      in_.problem(
          n["to"], f + ".to",
          fmt::format("'{}' is not a platform element id or kind; expected one of: {}", shorten(*to), ids));
      return std::nullopt;
    }
    if (is_link(e->kind) || e->kind == PlatformKind::terminal) {
      in_.problem(
          n["to"], f + ".to",
          fmt::format("'{}' is a {}; expected a host the window terminal talks to (queue-server, kiosk, "
                      "provincial-platform, datacenter or approval-host)",
                      shorten(*to), platform_kind_name(e->kind)));
      return std::nullopt;
    }
    if (req.value_or(0.0) <= 0.0 && rep.value_or(0.0) <= 0.0 && comp.value_or(0.0) <= 0.0) {
      in_.problem(n, f,
                  "the transaction does nothing; expected request_kb, reply_kb or compute_mflop above 0");
      return std::nullopt;
    }
    tr.to = static_cast<std::size_t>(e - p.elements.data());
    tr.count = static_cast<int>(count.value_or(1));
    tr.request_kb = req.value_or(0.0);
    tr.reply_kb = rep.value_or(0.0);
    tr.compute_mflop = comp.value_or(0.0);
    return tr;
  }

  YamlInput& in_;
  Hall& hall_;
};

}  // namespace

std::string_view platform_kind_name(PlatformKind k) { return kKindNames[static_cast<std::size_t>(k)]; }

std::optional<PlatformKind> parse_platform_kind(std::string_view s) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i)
    if (kKindNames[i] == s) return static_cast<PlatformKind>(i);
  return std::nullopt;
}

const PlatformElement* find_platform_element(const Platform& p, std::string_view id_or_kind) {
  for (const auto& e : p.elements)
    if (e.id == id_or_kind) return &e;
  const auto kind = parse_platform_kind(id_or_kind);
  if (!kind) return nullptr;
  for (const auto& e : p.elements)
    if (e.kind == *kind) return &e;
  return nullptr;
}

void read_platform(YamlInput& in, const YAML::Node& node, Hall& hall) { PlatformReader(in, hall).read(node); }

}  // namespace halltwin
