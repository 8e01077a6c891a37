#pragma once
// The report's plots, drawn by PLplot (Debian's libplplot with its cairo
// driver) as SVG documents: text (Chinese included, through fontconfig's
// WenQuanYi fallback) is turned into glyph outlines by cairo, so a plot shows
// the same in any browser and in print without fonts.
//
// PLplot keeps global state: call these from one thread at a time (the CLI's
// main thread).
#include <string>
#include <vector>

#include "model/geometry/vec2.hpp"

namespace halltwin::cli {

struct PlotSeries {
  std::string label;
  std::vector<double> x, y;  // NaN y values break the line
};

// Lines over a shared x axis, with a legend.
std::string line_plot_svg(const std::string& title, const std::string& x_label, const std::string& y_label,
                          const std::vector<PlotSeries>& series);

// One bar per category (one colour).
std::string bar_plot_svg(const std::string& title, const std::string& y_label,
                         const std::vector<std::string>& categories, const std::vector<double>& values);

// A difference with its 95% interval per category (the variants against the
// baseline), with the zero line: an interval that crosses it is not significant.
std::string interval_plot_svg(const std::string& title, const std::string& y_label,
                              const std::vector<std::string>& categories, const std::vector<double>& mean,
                              const std::vector<double>& low, const std::vector<double>& high);

// A map of cell values (row-major, ny rows of nx cells from `origin`, square
// cells of `cell_m`): the evacuation's peak density, persons/m²; `outlines`
// (the floor and its walls and obstacles) drawn over it.
std::string density_map_svg(const std::string& title, Vec2 origin, double cell_m, int nx, int ny,
                            const std::vector<float>& values, const std::vector<Polygon>& outlines);

}  // namespace halltwin::cli
