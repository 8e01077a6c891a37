#include "tools/halltwin/report_plots.hpp"

#include <plplot/plplot.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

// Under AddressSanitizer (CI's sanitizer build): fontconfig, which cairo uses
// to find fonts, keeps its font caches to the end of the process, and
// libltdl, which PLplot loads its drivers with, keeps its handles; LeakSanitizer
// would report both as leaks of this program. They are neither ours nor
// growing (one cache per process), so they are suppressed here, by library,
// and every leak in halltwin's own code is still reported.
#if defined(__SANITIZE_ADDRESS__)
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libltdl.so\nleak:libpango\nleak:libcairo.so\nleak:libglib\n";
}
#endif

namespace halltwin::cli {

namespace {

// Plot size in points (the SVG's width and height).
constexpr int kWidth = 640, kHeight = 320;

// Colour map 0: index 0 background white, 1 axes/text black, 2.. series.
constexpr int kPalette[][3] = {{255, 255, 255}, {30, 30, 30},  {31, 119, 180}, {214, 39, 40},
                               {44, 160, 44},   {255, 127, 14}, {148, 103, 189}, {140, 86, 75},
                               {227, 119, 194}, {127, 127, 127}};
constexpr int kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);

// One plot into a temporary SVG file, read back and removed. PLplot writes
// through its own file name only, hence the file.
class SvgPlot {
 public:
  explicit SvgPlot(int width = kWidth, int height = kHeight) {
    char tmpl[] = "/tmp/halltwin-plot-XXXXXX";
    const int fd = ::mkstemp(tmpl);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file for a plot");
    ::close(fd);
    path_ = tmpl;
    plsdev("svgcairo");
    plsfnam(path_.c_str());
    plspage(0, 0, width, height, 0, 0);
    plscmap0n(kPaletteSize);
    for (int i = 0; i < kPaletteSize; ++i) plscol0(i, kPalette[i][0], kPalette[i][1], kPalette[i][2]);
    plinit();
    plcol0(1);
    plschr(0, 0.85);
  }
  ~SvgPlot() {
    if (!ended_) plend();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  SvgPlot(const SvgPlot&) = delete;
  SvgPlot& operator=(const SvgPlot&) = delete;

  std::string finish() {
    plend();
    ended_ = true;
    std::ifstream in(path_, std::ios::binary);
    std::string svg{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (svg.find("<svg") == std::string::npos) throw std::runtime_error("PLplot wrote no SVG");
    return svg;
  }

 private:
  std::string path_;
  bool ended_ = false;
};

std::pair<double, double> padded(double lo, double hi, bool from_zero) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (from_zero) lo = std::min(lo, 0.0), hi = std::max(hi, 0.0);
  if (hi - lo < 1e-9) hi = lo + 1;
  const double pad = 0.06 * (hi - lo);
  return {from_zero && lo >= 0 ? lo : lo - pad, hi + pad};
}

}  // namespace

std::string line_plot_svg(const std::string& title, const std::string& x_label, const std::string& y_label,
                          const std::vector<PlotSeries>& series) {
  double x0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
  for (const auto& s : series)
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      x0 = std::min(x0, s.x[i]), x1 = std::max(x1, s.x[i]);
      if (std::isfinite(s.y[i])) y1 = std::max(y1, s.y[i]);
    }
  if (!std::isfinite(x0)) x0 = 0, x1 = 1;
  if (x1 <= x0) x1 = x0 + 1;
  const auto [ylo, yhi] = padded(0.0, std::isfinite(y1) ? y1 : 1.0, true);
  SvgPlot p;
  plenv(x0, x1, ylo, yhi, 0, 0);
  pllab(x_label.c_str(), y_label.c_str(), title.c_str());
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& s = series[k];
    plcol0(2 + static_cast<int>(k) % (kPaletteSize - 2));
    plwidth(2.0);
    std::vector<PLFLT> xs, ys;
    auto flush = [&] {
      if (xs.size() >= 2) plline(static_cast<PLINT>(xs.size()), xs.data(), ys.data());
      if (xs.size() == 1) plpoin(1, xs.data(), ys.data(), 17);
      xs.clear(), ys.clear();
    };
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.y[i])) {
        flush();
        continue;
      }
      xs.push_back(s.x[i]), ys.push_back(s.y[i]);
    }
    flush();
    // Legend entry: a short line and the label, stacked at the top right.
    const double lx = x1 - 0.30 * (x1 - x0), ly = yhi - (0.07 + 0.07 * k) * (yhi - ylo);
    PLFLT lxs[2] = {lx, lx + 0.05 * (x1 - x0)}, lys[2] = {ly, ly};
    plline(2, lxs, lys);
    plwidth(1.0);
    plcol0(1);
    plptex(lx + 0.06 * (x1 - x0), ly, 1, 0, 0, s.label.c_str());
  }
  return p.finish();
}

std::string bar_plot_svg(const std::string& title, const std::string& y_label,
                         const std::vector<std::string>& categories, const std::vector<double>& values) {
  double y1 = 0;
  for (double v : values)
    if (std::isfinite(v)) y1 = std::max(y1, v);
  const auto [ylo, yhi] = padded(0.0, y1, true);
  const double n = static_cast<double>(std::max<std::size_t>(1, categories.size()));
  SvgPlot p;
  plenv(0, n, ylo, yhi, 0, -2);
  plbox("bc", 0, 0, "bcnstv", 0, 0);
  pllab("", y_label.c_str(), title.c_str());
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const double v = std::isfinite(values[i]) ? values[i] : 0.0;
    PLFLT xs[4] = {i + 0.15, i + 0.15, i + 0.85, i + 0.85}, ys[4] = {0, v, v, 0};
    plcol0(2);
    plfill(4, xs, ys);
    plcol0(1);
    plmtex("b", 1.2, (i + 0.5) / n, 0.5, categories[i].c_str());
  }
  return p.finish();
}

std::string interval_plot_svg(const std::string& title, const std::string& y_label,
                              const std::vector<std::string>& categories, const std::vector<double>& mean,
                              const std::vector<double>& low, const std::vector<double>& high) {
  double lo = 0, hi = 0;
  for (std::size_t i = 0; i < mean.size(); ++i)
    for (double v : {mean[i], low[i], high[i]})
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  const auto [ylo, yhi] = padded(lo, hi, true);
  const double n = static_cast<double>(std::max<std::size_t>(1, categories.size()));
  SvgPlot p(kWidth / 2, kHeight);
  plenv(0, n, ylo, yhi, 0, -2);
  plbox("bc", 0, 0, "bcnstv", 0, 0);
  pllab("", y_label.c_str(), title.c_str());
  PLFLT zx[2] = {0, n}, zy[2] = {0, 0};
  plcol0(9);
  plline(2, zx, zy);
  for (std::size_t i = 0; i < categories.size(); ++i) {
    PLFLT x = i + 0.5, m = mean[i], l = std::isfinite(low[i]) ? low[i] : m, h = std::isfinite(high[i]) ? high[i] : m;
    const bool significant = l > 0 || h < 0;
    plcol0(significant ? 3 : 2);
    plwidth(2.0);
    plerry(1, &x, &l, &h);
    plpoin(1, &x, &m, 17);
    plwidth(1.0);
    plcol0(1);
    plmtex("b", 1.2, (i + 0.5) / n, 0.5, categories[i].c_str());
  }
  return p.finish();
}

std::string density_map_svg(const std::string& title, Vec2 origin, double cell_m, int nx, int ny,
                            const std::vector<float>& values, const std::vector<Polygon>& outlines) {
  const double w = std::max(1, nx) * cell_m, h = std::max(1, ny) * cell_m;
  // Keep the floor's aspect ratio: width fixed, height from the map.
  const int height = std::clamp(static_cast<int>(kWidth * h / w) + 60, 200, 900);
  SvgPlot p(kWidth, height);
  plenv(origin.x, origin.x + w, origin.y, origin.y + h, 1, 0);
  pllab("x (m)", "y (m)", title.c_str());
  // Bands of peak density, persons/m² (docs/evac.md): light below 2, green,
  // yellow, orange to 4 (congestion), red to 5.4, magenta above.
  struct Band {
    double lo, hi;
    int r, g, b;
  };
  constexpr Band kBands[] = {{0.0, 0.5, 235, 235, 235}, {0.5, 2.0, 120, 200, 90}, {2.0, 3.0, 240, 220, 60},
                             {3.0, 4.0, 245, 150, 40},  {4.0, 5.4, 220, 40, 30},  {5.4, 1e9, 200, 0, 200}};
  plscmap0n(kPaletteSize + 6);
  for (int b = 0; b < 6; ++b) plscol0(kPaletteSize + b, kBands[b].r, kBands[b].g, kBands[b].b);
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const double v = values[static_cast<std::size_t>(j) * nx + i];
      if (!(v > 0)) continue;
      int b = 0;
      while (b < 5 && v >= kBands[b].hi) ++b;
      plcol0(kPaletteSize + b);
      const double x = origin.x + i * cell_m, y = origin.y + j * cell_m;
      PLFLT xs[4] = {x, x, x + cell_m, x + cell_m}, ys[4] = {y, y + cell_m, y + cell_m, y};
      plfill(4, xs, ys);
    }
  plcol0(1);
  for (const auto& poly : outlines) {
    std::vector<PLFLT> xs, ys;
    for (const auto& v : poly) xs.push_back(v.x), ys.push_back(v.y);
    if (!poly.empty()) xs.push_back(poly.front().x), ys.push_back(poly.front().y);
    if (xs.size() >= 2) plline(static_cast<PLINT>(xs.size()), xs.data(), ys.data());
  }
  plbox("bcnst", 0, 0, "bcnstv", 0, 0);
  return p.finish();
}

}  // namespace halltwin::cli
