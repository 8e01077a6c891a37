// `halltwin view`: the 3D view, or a headless screenshot of it.
#include <charconv>
#include <iostream>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#ifdef HALLTWIN_HAS_VIEWER
#include "render/viewer.hpp"
#endif

namespace halltwin::cli {

Command add_view_command(CLI::App& app) {
  struct Options {
    std::string scenario, screenshot, size = "1280x720", camera = "top", floor;
    std::vector<std::string> overlays;
    std::string rulebook = HALLTWIN_DEFAULT_RULEBOOK;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("view", "Show the hall in 3D, or render one frame to a PNG (--screenshot)");
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML)")->required();
  auto* screenshot = cmd->add_option("--screenshot", opt->screenshot,
                                     "Render one frame to this PNG and exit (headless: run under xvfb-run)");
  cmd->add_option("--size", opt->size, "Image size WIDTHxHEIGHT in pixels")->capture_default_str();
  cmd->add_option("--camera", opt->camera, "Camera preset")
      ->check(CLI::IsMember({"top", "entrance"}))
      ->capture_default_str();
  cmd->add_option("--floor", opt->floor, "Floor id to show (default: the lowest floor)");
  // Names are checked by render::parse_overlays (not CLI11's IsMember) so that
  // the message and exit code match the other input errors.
  cmd->add_option(
         "--overlay", opt->overlays,
         "Draw what `halltwin check` measures: exit-distance, extinguisher-distance (heatmaps, one at a "
         "time), findings (markers at failing and warning rules); repeat the flag or give a comma list")
      ->allow_extra_args(
          false)  // one value a flag: `--overlay findings hall.yaml` must leave the scenario alone
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--rulebook", opt->rulebook,
                  "Rulebook the overlays are measured against (YAML, docs/rules.md)")
      ->capture_default_str();
  return [opt, screenshot]() -> int {
    // The PNG writer (render/) renames a temporary file onto the path: it gets the
    // final target of a symlink, and a device or FIFO is refused rather than replaced.
    const auto probe_screenshot = [&]() -> std::string {
      if (screenshot->count() == 0) return {};
      const OutputTarget t = probe_writable(opt->screenshot, "--screenshot", {opt->scenario, opt->rulebook});
      if (t.write_through)
        throw InputError(
            InputProblem{opt->screenshot, 0, 0, "--screenshot",
                         "cannot write output file: a PNG is written to a regular file, not to a "
                         "device or FIFO"});
      return t.target;
    };
#ifndef HALLTWIN_HAS_VIEWER
    probe_screenshot();  // a bad path is still exit 2, and a stale file is still removed
    std::cerr << "halltwin view: this build has no 3D view (configured with -DHALLTWIN_VIEWER=OFF); "
                 "rebuild with -DHALLTWIN_VIEWER=ON\n";
    return 2;
#else
    render::ViewOptions vo;
    vo.screenshot = probe_screenshot();
    {
      const std::string& s = opt->size;
      const char* end = s.data() + s.size();
      auto [p1, e1] = std::from_chars(s.data(), end, vo.width);
      bool ok = e1 == std::errc() && p1 < end && *p1 == 'x';
      if (ok) {
        auto [p2, e2] = std::from_chars(p1 + 1, end, vo.height);
        ok = e2 == std::errc() && p2 == end;
      }
      if (!ok || vo.width < 16 || vo.height < 16 || vo.width > 8192 || vo.height > 8192)
        throw InputError(
            InputProblem{"(command line)", 0, 0, "--size",
                         "'" + s + "' is not WIDTHxHEIGHT with 16 to 8192 pixels each, e.g. 1280x720"});
    }
    if (auto error = render::parse_overlays(opt->overlays, vo.overlays))
      throw InputError(InputProblem{"(command line)", 0, 0, "", *error});  // the message names the flag
    vo.rulebook = opt->rulebook;
    vo.camera = opt->camera;

    const Hall hall = load_scenario(opt->scenario);
    if (!opt->floor.empty()) {
      bool found = false;
      for (const auto& f : hall.floors) found = found || f.id == opt->floor;
      if (!found)
        throw InputError(InputProblem{"(command line)", 0, 0, "--floor",
                                      "'" + opt->floor + "' is not a floor of " + opt->scenario});
      vo.floor = opt->floor;
    }
    return render::run_view(hall, vo);
#endif
  };
}

}  // namespace halltwin::cli
