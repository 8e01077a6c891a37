#include "tools/halltwin/report_html.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "sim/compare/kpi_direction.hpp"
#include "sim/evac/evac_model.hpp"
#include "tools/halltwin/report_plots.hpp"

namespace halltwin::cli {

using kpi::Kpi;

namespace {

std::string esc(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  return o;
}

std::string base64(std::string_view in) {
  static constexpr char kTable[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kTable[v >> 18], out += kTable[(v >> 12) & 63], out += kTable[(v >> 6) & 63], out += kTable[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kTable[v >> 18], out += kTable[(v >> 12) & 63], out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kTable[v >> 18], out += kTable[(v >> 12) & 63], out += kTable[(v >> 6) & 63], out += '=';
  }
  return out;
}

// An image embedded as a data: URI (SVG plots keep their own glyph ids apart
// this way: inline SVGs would share one id space in the page).
std::string img(const std::string& mime, const std::string& data, const std::string& alt,
                const std::string& cls = "plot") {
  return fmt::format("<img class=\"{}\" alt=\"{}\" src=\"data:{};base64,{}\">", cls, esc(alt), mime, base64(data));
}
std::string svg_img(const std::string& svg, const std::string& alt) { return img("image/svg+xml", svg, alt); }

constexpr const char* kCss = R"(
body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em auto;
       max-width: 1100px; color: #222; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #1f77b4; padding-bottom: 0.2em; margin-top: 1.6em; }
.meta { color: #555; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #eef3f8; } td.num { text-align: right; }
td small { color: #555; white-space: nowrap; }
.pass { color: #1a7f37; } .fail { color: #c62828; font-weight: bold; } .warn { color: #b26a00; font-weight: bold; }
.na { color: #888; } .better { color: #1a7f37; font-weight: bold; } .worse { color: #c62828; font-weight: bold; }
img.plot { max-width: 100%; height: auto; display: block; margin: 0.5em 0; border: 1px solid #eee; }
img.plan { max-width: 100%; height: auto; border: 1px solid #ccc; }
.plots { display: flex; flex-wrap: wrap; gap: 0.5em; } .plots img.plot { max-width: 49%; }
figure { margin: 0; max-width: 49%; } figure img.plot { max-width: 100%; } figcaption { color: #555; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.4em 0.8em; }
.verdict { background: #eef7ee; border-left: 4px solid #1a7f37; padding: 0.4em 0.8em; margin: 0.4em 0; }
section { page-break-inside: auto; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { page-break-after: avoid; } table, img, .verdict, figure { page-break-inside: avoid; }
  .plots img.plot { max-width: 48%; }
}
)";

// Records on <body> whether every image loaded and whether a script error
// happened: what a reader sees is what the headless-browser test checks.
constexpr const char* kSelfCheck = R"(<script>
(function () {
  var errors = 0;
  window.addEventListener('error', function () { errors++; document.body.setAttribute('data-errors', errors); }, true);
  window.addEventListener('load', function () {
    var imgs = document.images, ok = 0;
    for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
    document.body.setAttribute('data-images-total', imgs.length);
    document.body.setAttribute('data-images-loaded', ok);
    document.body.setAttribute('data-errors', errors);
  });
})();
</script>
)";

std::string page(const std::string& title, const std::string& body) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{}</style>\n</head>\n"
      "<body data-images-loaded=\"0\" data-images-total=\"-1\" data-errors=\"0\">\n{}{}\n<p class=\"meta\">"
      "Generated by halltwin " HALLTWIN_VERSION ".</p>\n</body>\n</html>\n",
      esc(title), kCss, kSelfCheck, body);
}

// A status cell, with `extra` (HTML) after the status word.
std::string status_cell(check::Status s, const std::string& extra = "") {
  switch (s) {
    case check::Status::pass: return "<td class=\"pass\">pass" + extra + "</td>";
    case check::Status::fail: return "<td class=\"fail\">FAIL" + extra + "</td>";
    case check::Status::warn: return "<td class=\"warn\">warn" + extra + "</td>";
    default: return "<td class=\"na\">n/a" + extra + "</td>";
  }
}

std::string opt_num(const std::optional<double>& v) {
  if (!v) return "-";
  if (!std::isfinite(*v)) return "inf";
  return std::fabs(*v - std::round(*v)) < 1e-9 ? fmt::format("{:.0f}", *v) : fmt::format("{:.2f}", *v);
}

std::string run_line(const CompareRun& run) {
  return fmt::format("{} replication(s) of {} day(s) from {}, seed {}; rulebook {}", run.replications, run.days,
                     esc(run.start_date), run.seed, esc(run.rulebook));
}

std::string check_table(const compare::ScenarioOutcome& o) {
  if (!o.findings) return "<p class=\"note\">The check failed: " + esc(o.check_error) + "</p>";
  int counts[4] = {0, 0, 0, 0};
  std::string rows;
  for (const auto& f : *o.findings) {
    ++counts[static_cast<int>(f.status)];
    rows += fmt::format(
        "<tr>{}<td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td>{}</td></tr>\n",
        status_cell(f.status), esc(f.rule), esc(f.title), opt_num(f.measured), opt_num(f.required), esc(f.unit),
        esc(std::string(name(f.confidence))), esc(f.clause), f.status == check::Status::pass ? "" : esc(f.message));
  }
  return fmt::format(
      "<p>{} rules: <span class=\"pass\">{} pass</span>, <span class=\"fail\">{} fail</span>, <span "
      "class=\"warn\">{} warn</span>, {} not applicable. Confidence: <em>verified</em> (a published figure), "
      "<em>partial</em>, <em>placeholder</em> (never fails, warns).</p>\n<table><tr><th>status</th><th>rule</th>"
      "<th>title</th><th>measured</th><th>required</th><th>unit</th><th>confidence</th><th>clause</th><th>why</th>"
      "</tr>\n{}</table>\n",
      o.findings->size(), counts[0], counts[1], counts[2], counts[3], rows);
}

std::string kpi_cell(Kpi k, const kpi::Estimate& e) {
  std::string s = compare::format_kpi(k, e.mean);
  if (e.ci95_low)
    s += fmt::format("<br><small>({} .. {})</small>", compare::format_kpi(k, *e.ci95_low),
                     compare::format_kpi(k, *e.ci95_high));
  return s;
}

std::string scorecard_table(const std::vector<compare::Scorecard>& cards, const std::vector<std::string>& heads) {
  std::string out = "<table><tr><th>item</th>";
  for (const auto& h : heads) out += "<th>" + esc(h) + "</th>";
  out += "</tr>\n";
  for (std::size_t it = 0; it < cards[0].items.size(); ++it) {
    out += "<tr><td>" + esc(cards[0].items[it].item) + "</td>";
    for (const auto& c : cards) {
      const auto& x = c.items[it];
      std::string v = "-";
      if (x.value) {
        if (x.item == "wait_mean_s") v = compare::format_kpi(Kpi::wait_mean_s, *x.value);
        else if (x.item == "within_target_rate" || x.item == "abandon_rate") v = fmt::format("{:.1f}%", 100 * *x.value);
        else v = opt_num(x.value);
      }
      std::string lim;
      if (x.limit) {
        if (x.item == "wait_mean_s") lim = compare::format_kpi(Kpi::wait_mean_s, *x.limit);
        else if (x.item == "within_target_rate" || x.item == "abandon_rate") lim = fmt::format("{:.1f}%", 100 * *x.limit);
        else lim = opt_num(x.limit);
      }
      if (x.met)
        out += fmt::format("<td class=\"{}\">{} ({} {}) {}</td>", *x.met ? "pass" : "fail", v, esc(x.op), lim,
                           *x.met ? "met" : "MISSED");
      else
        out += fmt::format("<td>{}{}</td>", x.value ? v + " " : "", esc(x.note));
    }
    out += "</tr>\n";
  }
  out += "<tr><td>compliance warns</td>";
  for (const auto& c : cards) out += fmt::format("<td>{}</td>", c.compliance_warns < 0 ? "-" : std::to_string(c.compliance_warns));
  out += "</tr><tr><th>scorecard</th>";
  for (const auto& c : cards)
    out += fmt::format("<th class=\"{}\">{}</th>", c.passed ? "pass" : "fail", c.passed ? "PASSED" : "NOT PASSED");
  return out + "</tr></table>\n";
}

// Hourly series over the replications: mean wait of the citizens who took a
// ticket in that hour, arrivals and served per day.
struct Hourly {
  std::vector<double> hour, wait_min, arrivals, served, abandoned;
};

Hourly hourly(const Evaluation& ev, int days) {
  Hourly h;
  const double per = static_cast<double>(ev.runs.size()) * days;
  for (int q = 0; q < 24; ++q) {
    double wait = 0, served = 0, arrivals = 0, abandoned = 0;
    for (const auto& r : ev.runs) {
      const auto& t = r.kpis.by_hour[static_cast<std::size_t>(q)];
      wait += t.wait_sum_s, served += static_cast<double>(t.served), arrivals += static_cast<double>(t.arrivals);
      abandoned += static_cast<double>(t.abandoned);
    }
    if (arrivals == 0 && served == 0) continue;
    h.hour.push_back(q + 0.5);
    h.wait_min.push_back(served > 0 ? wait / served / 60.0 : std::nan(""));
    h.arrivals.push_back(arrivals / per);
    h.served.push_back(served / per);
    h.abandoned.push_back(abandoned / per);
  }
  return h;
}

// Busy over rostered time per window row (a row of counters is one group of
// windows for the planner), single windows on their own.
std::pair<std::vector<std::string>, std::vector<double>> utilization_by_group(const Hall& hall, const Evaluation& ev) {
  std::map<std::string, std::pair<double, double>> g;
  std::vector<std::string> order;
  for (std::size_t w = 0; w < hall.windows.size(); ++w) {
    const std::string key = hall.windows[w].row.empty() ? hall.windows[w].id : hall.windows[w].row;
    if (!g.count(key)) order.push_back(key);
    auto& [busy, rostered] = g[key];
    for (const auto& r : ev.runs)
      if (w < r.kpis.by_window.size()) busy += r.kpis.by_window[w].busy_s, rostered += r.kpis.by_window[w].rostered_s;
  }
  std::vector<std::string> names;
  std::vector<double> values;
  for (const auto& k : order)
    if (g[k].second > 0) names.push_back(k), values.push_back(100.0 * g[k].first / g[k].second);
  return {names, values};
}

// The same by hour of the day (busy over rostered time within each hour, over
// all replications and days): one line per group, broken where nobody is rostered.
std::vector<PlotSeries> utilization_by_group_and_hour(const Hall& hall, const Evaluation& ev) {
  std::map<std::string, std::pair<std::array<double, 24>, std::array<double, 24>>> g;
  std::vector<std::string> order;
  for (std::size_t w = 0; w < hall.windows.size(); ++w) {
    const std::string key = hall.windows[w].row.empty() ? hall.windows[w].id : hall.windows[w].row;
    if (!g.count(key)) order.push_back(key);
    auto& [busy, rostered] = g[key];
    for (const auto& r : ev.runs) {
      if (w >= r.kpis.by_window.size()) continue;
      for (std::size_t h = 0; h < 24; ++h)
        busy[h] += r.kpis.by_window[w].busy_by_hour_s[h], rostered[h] += r.kpis.by_window[w].rostered_by_hour_s[h];
    }
  }
  std::size_t first = 24, last = 0;
  for (const auto& [key, v] : g)
    for (std::size_t h = 0; h < 24; ++h)
      if (v.second[h] > 0) first = std::min(first, h), last = std::max(last, h);
  std::vector<PlotSeries> series;
  if (first > last) return series;
  for (const auto& key : order) {
    const auto& [busy, rostered] = g[key];
    PlotSeries s{key, {}, {}};
    bool any = false;
    for (std::size_t h = first; h <= last; ++h) {
      s.x.push_back(static_cast<double>(h) + 0.5);  // the middle of the hour
      s.y.push_back(rostered[h] > 0 ? 100.0 * busy[h] / rostered[h] : std::nan(""));
      any = any || rostered[h] > 0;
    }
    if (any) series.push_back(std::move(s));
  }
  return series;
}

std::string evacuation_section(const Hall& hall, const Evaluation& ev) {
  const auto& o = ev.outcome;
  if (!o.has_evacuation)
    return "<p>The scenario has no <code>evacuation</code> section: no evacuation was simulated "
           "(<code>halltwin evac</code> uses defaults).</p>\n";
  if (o.evacuation_skipped) return "<p>The evacuation was not run (--no-evac).</p>\n";
  if (!o.evacuation) return "<p class=\"note\">The evacuation failed: " + esc(o.evacuation_error) + "</p>\n";
  const auto& e = *o.evacuation;
  std::string out = fmt::format(
      "<p>One run (seed as above, docs/evac.md): <b>{:.1f} s</b>{} for {} persons; congestion (cells above {:.0f} "
      "persons/m²) {:.1f} s; peak density {:.2f} persons/m². Safety margin: {}.</p>\n",
      e.time_s, e.capped ? fmt::format(" (time cap reached, {} still inside)", e.stuck) : "", e.agents,
      evac::kCongestionDensity_ppm2, e.congestion_s, e.max_density_ppm2,
      e.margin_s() ? fmt::format("{:.0f} s", *e.margin_s()) : "no ASET stated in the scenario");
  out += "<table><tr><th>exit</th><th>persons</th></tr>";
  for (const auto& x : e.exits) out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>", esc(x.id), x.count);
  out += "</table>\n";
  if (ev.evac) {
    PlotSeries s{"inside", {}, {}};
    for (const auto& [t, n] : ev.evac->curve) s.x.push_back(t), s.y.push_back(n);
    out += "<div class=\"plots\">";
    out += svg_img(line_plot_svg("疏散曲线 persons inside", "time (s)", "persons", {s}), "evacuation curve");
    std::vector<Polygon> outlines;
    FloorId fid{0};
    for (std::uint32_t f = 0; f < hall.floors.size(); ++f)
      if (hall.floors[f].storey == 1) { fid = FloorId{f}; break; }
    outlines.push_back(hall.floors[fid.value].boundary);
    for (const auto& ob : hall.obstacles)
      if (ob.floor == fid) outlines.push_back(ob.polygon);
    out += svg_img(density_map_svg("峰值密度 peak density (persons/m², 2 m cells)", ev.density_origin,
                                   evac::kDensityCell_m, ev.density_nx, ev.density_ny, ev.evac->peak_density_ppm2,
                                   outlines),
                   "peak density map");
    out += "</div>\n<p class=\"meta\">Density map: grey below 0.5, green to 2, yellow to 3, orange to 4, red to "
           "5.4, magenta above (persons/m²), the peak of each 2 m cell over the run.</p>\n";
  }
  return out;
}

std::string operations_plots(const Hall& hall, const Evaluation& ev, const CompareRun& run) {
  if (ev.runs.empty()) return "";
  const Hourly h = hourly(ev, run.days);
  std::string out = "<div class=\"plots\">";
  out += svg_img(line_plot_svg("等待 mean wait by hour of the ticket", "hour", "minutes", {{"wait", h.hour, h.wait_min}}),
                 "waits by hour");
  out += svg_img(line_plot_svg("到达与服务 per day by hour", "hour", "citizens",
                               {{"arrivals", h.hour, h.arrivals}, {"served", h.hour, h.served},
                                {"abandoned", h.hour, h.abandoned}}),
                 "arrivals and served by hour");
  if (!ev.occupancy.empty()) {
    PlotSeries inside{"inside", {}, {}}, waiting{"waiting", {}, {}}, standing{"standing", {}, {}};
    for (const auto& s : ev.occupancy) {
      inside.x.push_back(s.hour), inside.y.push_back(s.inside);
      waiting.x.push_back(s.hour), waiting.y.push_back(s.waiting);
      standing.x.push_back(s.hour), standing.y.push_back(s.standing);
    }
    out += svg_img(line_plot_svg("排队与在厅人数 queue and people inside (first day, at the hour)", "hour",
                                 "citizens", {inside, waiting, standing}),
                   "queue and people inside");
  }
  if (const auto by_hour = utilization_by_group_and_hour(hall, ev); !by_hour.empty())
    out += svg_img(line_plot_svg("窗口利用率 utilization per window group by hour", "hour", "% of rostered time",
                                 by_hour),
                   "utilization per window group by hour");
  const auto [groups, util] = utilization_by_group(hall, ev);
  out += svg_img(bar_plot_svg("窗口利用率 utilization per window group", "% of rostered time", groups, util),
                 "utilization per window group");
  return out + "</div>\n";
}

std::string kpi_summary(const Evaluation& ev) {
  const auto est = compare::estimates(ev.outcome.replications);
  std::string out = "<table><tr><th>KPI</th><th>mean (95% CI)</th></tr>\n";
  for (std::size_t k = 0; k < kpi::kKpiCount; ++k)
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td></tr>\n", kpi::name(Kpi(k)), kpi_cell(Kpi(k), est[k]));
  return out + "</table>\n";
}

}  // namespace

std::string plan_screenshot_png(const std::string& scenario_file, const std::string& rulebook_file,
                                std::string& note) {
#ifndef HALLTWIN_HAS_VIEWER
  (void)scenario_file, (void)rulebook_file;
  note = "This build has no 3D viewer (-DHALLTWIN_VIEWER=OFF): the plan screenshot is omitted.";
  return "";
#else
  char tmpl[] = "/tmp/halltwin-plan-XXXXXX.png";
  const int fd = ::mkstemps(tmpl, 4);
  if (fd < 0) {
    note = "The plan screenshot could not be taken (no temporary file).";
    return "";
  }
  ::close(fd);
  const std::string png = tmpl;
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  const bool display = std::getenv("DISPLAY") && *std::getenv("DISPLAY");
  // coreutils' timeout: a wedged X server must not hang the report.
  const std::string cmd = fmt::format(
      "timeout 180 {}{} view {} --rulebook {} --camera top --overlay findings --size 1200x800 --screenshot {} "
      ">/dev/null 2>&1",
      display ? "" : "xvfb-run -a -s '-screen 0 1280x1024x24' ", quote(self), quote(scenario_file),
      quote(rulebook_file), quote(png));
  const int rc = ec ? -1 : std::system(cmd.c_str());
  std::ifstream in(png, std::ios::binary);
  std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::filesystem::remove(png, ec);
  if (rc != 0 || data.size() < 8) {
    note = "The plan screenshot could not be taken (halltwin view --screenshot failed; is xvfb-run installed?).";
    return "";
  }
  note.clear();
  return data;
#endif
}

std::string scenario_report_html(const Hall& hall, const Evaluation& ev, const CompareRun& run,
                                 const std::string& screenshot_png, const std::string& screenshot_note) {
  const auto& o = ev.outcome;
  std::string b = fmt::format(
      "<h1>{}</h1>\n<p class=\"meta\">{} · {} · {} floor(s), {} windows, {} seats · population served {} · fire "
      "resistance grade {}, {}</p>\n",
      esc(hall.name), esc(o.level), esc(o.file), hall.floors.size(), hall.windows.size(), hall.seats.size(),
      hall.population_served, hall.fire_resistance_grade, hall.sprinklered ? "sprinklered" : "not sprinklered");
  b += "<section><h2>平面 Plan</h2>\n";
  b += screenshot_png.empty()
           ? "<p class=\"note\">" + esc(screenshot_note) + "</p>\n"
           : img("image/png", screenshot_png, "top view of the hall with the findings", "plan") +
                 "<p class=\"meta\">Top view; red markers: failing rules, orange: warnings, labelled with the rule "
                 "id.</p>\n";
  b += "</section>\n<section><h2>合规检查 Compliance check</h2>\n" + check_table(o) + "</section>\n";
  b += "<section><h2>服务指标 Service KPIs</h2>\n<p class=\"meta\">" + run_line(run) + "</p>\n";
  if (!o.ran())
    b += "<p class=\"note\">The operations run failed: " + esc(o.run_error) + "</p>\n";
  else {
    b += kpi_summary(ev);
    b += "<h3>Scorecard against the scenario's targets</h3>\n" +
         scorecard_table({compare::make_scorecard(o)}, {hall.name});
    b += operations_plots(hall, ev, run);
  }
  b += "</section>\n<section><h2>疏散 Evacuation</h2>\n" + evacuation_section(hall, ev) + "</section>\n";
  return page(hall.name + " — halltwin report", b);
}

std::string compare_report_html(const std::vector<Hall>& halls, const std::vector<Evaluation>& evals,
                                const std::vector<std::string>& labels, const compare::Comparison& c,
                                const CompareRun& run, const std::vector<std::string>& plans,
                                const std::vector<std::string>& plan_notes) {
  const std::size_t n = halls.size();
  std::string b = "<h1>方案比较 Comparison</h1>\n<p class=\"meta\">" + run_line(run) +
                  "; common random numbers (replication r of every scenario uses the random streams of r).</p>\n";
  b += "<table><tr><th>scenario</th><th>hall</th><th>level</th><th>file</th></tr>\n";
  for (std::size_t i = 0; i < n; ++i)
    b += fmt::format("<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(labels[i]),
                     i == 0 ? " (baseline)" : "", esc(halls[i].name), esc(evals[i].outcome.level),
                     esc(evals[i].outcome.file));
  b += "</table>\n";
  if (!c.same_hall) b += "<p class=\"note\">These scenarios describe different halls (name or level differ).</p>\n";
  for (std::size_t i = 0; i < n; ++i)
    if (!evals[i].outcome.run_error.empty())
      b += "<p class=\"note\">The operations run of " + esc(labels[i]) + " failed: " + esc(evals[i].outcome.run_error) + "</p>\n";

  b += "<section><h2>结论 Verdict</h2>\n";
  for (const auto& d : c.differences) b += "<p class=\"verdict\">" + esc(d.verdict) + "</p>\n";
  if (c.differences.empty()) b += "<p class=\"note\">No pair could be compared (a run failed).</p>\n";
  b += "</section>\n<section><h2>服务指标 KPIs side by side</h2>\n<table><tr><th>KPI</th>";
  for (std::size_t i = 0; i < n; ++i) b += "<th>" + esc(labels[i]) + "</th>";
  for (const auto& d : c.differences) b += fmt::format("<th>[{}] − [{}]</th>", d.scenario + 1, d.against + 1);
  b += "</tr>\n";
  for (std::size_t k = 0; k < kpi::kKpiCount; ++k) {
    b += fmt::format("<tr><td>{}</td>", kpi::name(Kpi(k)));
    for (std::size_t i = 0; i < n; ++i)
      b += "<td class=\"num\">" + (evals[i].outcome.ran() ? kpi_cell(Kpi(k), c.estimates[i][k]) : "-") + "</td>";
    for (const auto& d : c.differences) {
      const auto& x = d.kpis[k];
      const int sign = x.significant ? compare::improvement_sign(Kpi(k), x.mean) : 0;
      std::string cell = compare::format_kpi(Kpi(k), x.mean, true);
      if (x.ci95_low)
        cell += fmt::format("<br><small>({} .. {})</small>", compare::format_kpi(Kpi(k), *x.ci95_low, true),
                            compare::format_kpi(Kpi(k), *x.ci95_high, true));
      b += fmt::format("<td class=\"num {}\">{}{}</td>", sign > 0 ? "better" : sign < 0 ? "worse" : "", cell,
                       x.significant ? " *" : "");
    }
    b += "</tr>\n";
  }
  b += "</table>\n<p class=\"meta\">95% confidence intervals; differences are paired by replication; * the "
       "interval excludes 0 (green: better, red: worse; arrivals, self-service, pickups and utilisation are "
       "neutral).</p>\n";

  // Difference plots: the scorecard's KPIs, each variant against the baseline.
  if (!c.differences.empty()) {
    b += "<div class=\"plots\">";
    const std::pair<Kpi, const char*> shown[] = {{Kpi::wait_mean_s, "min"},
                                                 {Kpi::within_target_rate, "percentage points"},
                                                 {Kpi::abandon_rate, "percentage points"},
                                                 {Kpi::served, "citizens per day"},
                                                 {Kpi::max_waiting_standing, "persons"},
                                                 {Kpi::wait_p90_s, "min"}};
    for (const auto& [k, unit] : shown) {
      const double scale = (k == Kpi::wait_mean_s || k == Kpi::wait_p90_s) ? 1.0 / 60.0
                           : (k == Kpi::within_target_rate || k == Kpi::abandon_rate) ? 100.0
                                                                                         : 1.0;
      std::vector<std::string> cats;
      std::vector<double> m, lo, hi;
      for (const auto& d : c.differences) {
        const auto& x = d.kpis[static_cast<std::size_t>(k)];
        cats.push_back(fmt::format("[{}]−[{}]", d.scenario + 1, d.against + 1));
        m.push_back(x.mean * scale);
        lo.push_back(x.ci95_low ? *x.ci95_low * scale : std::nan(""));
        hi.push_back(x.ci95_high ? *x.ci95_high * scale : std::nan(""));
      }
      b += svg_img(interval_plot_svg(std::string(kpi::name(k)) + " difference", unit, cats, m, lo, hi),
                   std::string(kpi::name(k)) + " difference");
    }
    b += "</div>\n";
    // The waits by hour of every scenario on one plot.
    std::vector<PlotSeries> waits;
    for (std::size_t i = 0; i < n; ++i) {
      if (evals[i].runs.empty()) continue;
      const Hourly h = hourly(evals[i], run.days);
      waits.push_back({fmt::format("[{}]", i + 1), h.hour, h.wait_min});
    }
    if (!waits.empty())
      b += svg_img(line_plot_svg("等待 mean wait by hour of the ticket", "hour", "minutes", waits), "waits by hour");
  }
  b += "</section>\n";

  b += "<section><h2>合规差异 Compliance diff</h2>\n";
  std::string rows;
  int changed = 0;
  for (const auto& r : c.compliance) {
    if (r.changed.empty()) continue;
    ++changed;
    rows += fmt::format("<tr><td>{}<br><small>{}</small></td><td>{}</td>", esc(r.rule), esc(r.title), esc(r.clause));
    for (const auto& x : r.by_scenario)
      rows += x.status ? status_cell(*x.status, fmt::format(" <small>{} {} (required {})</small>", opt_num(x.measured),
                                                          esc(r.unit), opt_num(x.required)))
                    : std::string("<td class=\"na\">absent</td>");
    rows += "</tr>\n";
  }
  if (changed) {
    b += "<table><tr><th>rule</th><th>clause</th>";
    for (std::size_t i = 0; i < n; ++i) b += "<th>" + esc(labels[i]) + "</th>";
    b += "</tr>\n" + rows + "</table>\n";
  }
  b += changed ? fmt::format("<p class=\"meta\">{} rule(s) change status; every other rule has the same status in "
                             "all scenarios.</p>\n", changed)
               : "<p>No rule changes status between the scenarios.</p>\n";
  for (std::size_t i = 0; i < n; ++i)
    if (!evals[i].outcome.check_error.empty())
      b += "<p class=\"note\">The check of " + esc(labels[i]) + " failed: " + esc(evals[i].outcome.check_error) + "</p>\n";
  b += "</section>\n";

  bool any_evac = false;
  for (const auto& e : evals) any_evac = any_evac || e.outcome.has_evacuation;
  if (any_evac) {
    b += "<section><h2>疏散 Evacuation side by side</h2>\n<table><tr><th></th>";
    for (std::size_t i = 0; i < n; ++i) b += "<th>" + esc(labels[i]) + "</th>";
    b += "</tr>\n";
    auto row = [&](const char* title, auto cell) {
      b += fmt::format("<tr><td>{}</td>", title);
      for (const auto& e : evals) {
        const auto& o = e.outcome;
        b += "<td class=\"num\">" +
             (!o.has_evacuation       ? std::string("no section")
              : o.evacuation_skipped ? std::string("not run (--no-evac)")
              : !o.evacuation        ? "failed: " + esc(o.evacuation_error)
                                     : cell(*o.evacuation)) +
             "</td>";
      }
      b += "</tr>\n";
    };
    row("evacuation time", [](const compare::EvacOutcome& e) {
      return fmt::format("{:.1f} s{}", e.time_s, e.capped ? " (capped)" : "");
    });
    row("persons", [](const compare::EvacOutcome& e) { return std::to_string(e.agents); });
    row("congestion", [](const compare::EvacOutcome& e) { return fmt::format("{:.1f} s", e.congestion_s); });
    row("peak density", [](const compare::EvacOutcome& e) { return fmt::format("{:.2f} p/m²", e.max_density_ppm2); });
    row("margin (ASET − RSET)", [](const compare::EvacOutcome& e) {
      return e.margin_s() ? fmt::format("{:.0f} s", *e.margin_s()) : std::string("no ASET stated");
    });
    row("per exit", [](const compare::EvacOutcome& e) {
      std::string s;
      for (const auto& x : e.exits) s += fmt::format("{}{}: {}", s.empty() ? "" : "<br>", esc(x.id), x.count);
      return s;
    });
    b += "</table>\n";
    std::vector<PlotSeries> curves;
    for (std::size_t i = 0; i < n; ++i)
      if (evals[i].evac) {
        PlotSeries s{fmt::format("[{}]", i + 1), {}, {}};
        for (const auto& [t, k] : evals[i].evac->curve) s.x.push_back(t), s.y.push_back(k);
        curves.push_back(std::move(s));
      }
    if (!curves.empty())
      b += svg_img(line_plot_svg("疏散曲线 persons inside", "time (s)", "persons", curves), "evacuation curves");
    b += "</section>\n";
  }

  std::vector<std::string> heads(labels.begin(), labels.end());
  b += "<section><h2>评分 Scorecards</h2>\n" + scorecard_table(c.scorecards, heads) + "</section>\n";

  b += "<section><h2>平面 Plans</h2>\n<div class=\"plots\">";
  for (std::size_t i = 0; i < n; ++i)
    b += plans[i].empty() ? "<p class=\"note\">" + esc(labels[i]) + ": " + esc(plan_notes[i]) + "</p>"
                          : "<figure>" + img("image/png", plans[i], labels[i] + " top view", "plot") +
                                "<figcaption>" + esc(labels[i]) + "</figcaption></figure>";
  b += "</div>\n<p class=\"meta\">Top views; red markers: failing rules, orange: warnings.</p></section>\n";
  return page("halltwin comparison: " + halls.front().name, b);
}

}  // namespace halltwin::cli
