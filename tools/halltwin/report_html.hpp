#pragma once
// The HTML pages of `halltwin report` and `compare --report`: one
// self-contained file a hall manager can mail (inline CSS, the plan
// screenshot as a PNG data: URI, every plot a PLplot SVG as a data: URI, a
// print stylesheet). A small inline script records on the page how many
// images loaded and any script error (data-images-loaded, data-images-total,
// data-errors on <body>), which the headless-browser test reads.
#include <string>
#include <vector>

#include "model/hall.hpp"
#include "sim/compare/comparison.hpp"
#include "tools/halltwin/compare_output.hpp"
#include "tools/halltwin/scenario_evaluation.hpp"

namespace halltwin::cli {

// The top view of the hall with the findings overlay, taken by running this
// program's own `view --screenshot` (under `xvfb-run -a` when there is no
// DISPLAY). Empty, with `note` saying why, when the build has no viewer or
// the screenshot fails (the report is still written).
std::string plan_screenshot_png(const std::string& scenario_file, const std::string& rulebook_file,
                                std::string& note);

std::string scenario_report_html(const Hall& hall, const Evaluation& ev, const CompareRun& run,
                                 const std::string& screenshot_png, const std::string& screenshot_note);

// `plans[i]`: scenario i's plan screenshot (PNG) or empty, with `plan_notes[i]` saying why.
std::string compare_report_html(const std::vector<Hall>& halls, const std::vector<Evaluation>& evals,
                                const std::vector<std::string>& labels, const compare::Comparison& c,
                                const CompareRun& run, const std::vector<std::string>& plans,
                                const std::vector<std::string>& plan_notes);

}  // namespace halltwin::cli
