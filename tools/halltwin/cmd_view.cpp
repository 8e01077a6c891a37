// `halltwin view`: the 3D view, or a headless screenshot of it.
#include <charconv>
#include <iostream>

#include "model/input_error.hpp"
#include "model/scenario_loader.hpp"
#include "model/trace/playback.hpp"
#include "tools/halltwin/commands.hpp"
#include "tools/halltwin/output_file.hpp"
#ifdef HALLTWIN_HAS_VIEWER
#include "render/viewer.hpp"
#endif

namespace halltwin::cli {

Command add_view_command(CLI::App& app) {
  struct Options {
    std::string scenario, screenshot, size = "1280x720", camera = "top", floor;
    std::string trace, at, record, from, to, capture_last;
    double fps = 25.0, speed = 60.0;
    int frames = 0;
    bool play = false, density = false;
    std::vector<std::string> overlays;
    std::string rulebook = HALLTWIN_DEFAULT_RULEBOOK;
  };
  auto opt = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("view", "Show the hall in 3D, or render one frame to a PNG (--screenshot)");
  cmd->add_option("scenario", opt->scenario, "Scenario file (YAML)")->required();
  auto* screenshot = cmd->add_option("--screenshot", opt->screenshot,
                                     "Render one frame to this PNG and exit (headless: run under xvfb-run)");
  cmd->add_option("--size", opt->size, "Image size WIDTHxHEIGHT in pixels")->capture_default_str();
  cmd->add_option("--camera", opt->camera, "Camera preset: top (plan), entrance, iso (bird's eye from the south-west)")
      ->check(CLI::IsMember({"top", "entrance", "iso"}))
      ->capture_default_str();
  cmd->add_option("--floor", opt->floor,
                  "Floor id to show (default: the lowest floor), or 'all': every floor at its storey height, "
                  "pulled apart, with the stairs between them");
  cmd->add_option("--trace", opt->trace,
                  "Trace to play (halltwin run/evac/import --trace): people coloured by state, queues, density");
  cmd->add_option("--at", opt->at,
                  "Moment to show: HH:MM or HH:MM:SS on the trace's first day, or seconds since 00:00 of day 0 "
                  "(default: the trace's start)");
  cmd->add_flag("--density", opt->density,
                "With --trace: the people-density heatmap (persons/m2 on 1 m cells, yellow to red at 3.5)");
  auto* record = cmd->add_option("--record", opt->record,
                                 "Write a video (MP4, H.264 through Debian's ffmpeg) of --from to --to; headless: "
                                 "run under xvfb-run");
  cmd->add_option("--from", opt->from, "Start of the video (a time as for --at)");
  cmd->add_option("--to", opt->to, "End of the video (a time as for --at)");
  cmd->add_option("--fps", opt->fps, "Video frames per second")->capture_default_str();
  cmd->add_option("--speed", opt->speed, "Simulated seconds per video second (or per second when playing)")
      ->capture_default_str();
  // Scripted runs of the interactive view (tests, benchmarks): close after N
  // frames, optionally writing the last one; --play starts the playback.
  cmd->add_option("--frames", opt->frames)->group("");
  cmd->add_option("--capture-last", opt->capture_last)->group("");
  cmd->add_flag("--play", opt->play)->group("");
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
  return [opt, screenshot, record]() -> int {
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
    const auto probe_record = [&]() -> std::string {
      if (record->count() == 0) return {};
      const OutputTarget t = probe_writable(opt->record, "--record", {opt->scenario, opt->rulebook, opt->trace});
      if (t.write_through)
        throw InputError(InputProblem{opt->record, 0, 0, "--record",
                                      "cannot write output file: a video is written to a regular file, not to a "
                                      "device or FIFO"});
      return t.target;
    };
    const auto time_flag = [&](const std::string& flag, const std::string& text) -> double {
      const std::optional<double> t = parse_view_time(text);
      if (!t)
        throw InputError(InputProblem{"(command line)", 0, 0, flag,
                                      "'" + text + "' is not a time: HH:MM or HH:MM:SS on the trace's first day, "
                                      "or seconds since 00:00 of day 0 (e.g. 09:30, 09:30:15, 34200)"});
      return *t;
    };
    if (record->count() > 0 && screenshot->count() > 0)
      throw InputError(InputProblem{"(command line)", 0, 0, "--record", "give --screenshot or --record, not both"});
    if (record->count() > 0) {
      if (opt->trace.empty())
        throw InputError(InputProblem{"(command line)", 0, 0, "--record", "a video needs a trace to play (--trace FILE)"});
      if (opt->from.empty() || opt->to.empty())
        throw InputError(InputProblem{"(command line)", 0, 0, opt->from.empty() ? "--from" : "--to",
                                      "--record needs --from and --to (times as for --at)"});
      if (!(opt->fps >= 1.0 && opt->fps <= 120.0))
        throw InputError(InputProblem{"(command line)", 0, 0, "--fps", "frames per second from 1 to 120, e.g. 25"});
    }
    if (!(opt->speed > 0.0 && opt->speed <= 1e6))
      throw InputError(InputProblem{"(command line)", 0, 0, "--speed",
                                    "simulated seconds per second, above 0 and at most 1000000, e.g. 60"});
#ifndef HALLTWIN_HAS_VIEWER
    probe_screenshot();  // a bad path is still exit 2, and a stale file is still removed
    probe_record();
    if (!opt->at.empty()) time_flag("--at", opt->at);
    std::cerr << "halltwin view: this build has no 3D view (configured with -DHALLTWIN_VIEWER=OFF); "
                 "rebuild with -DHALLTWIN_VIEWER=ON\n";
    return 2;
#else
    render::ViewOptions vo;
    vo.screenshot = probe_screenshot();
    vo.record = probe_record();
    vo.trace = opt->trace;
    if (!opt->at.empty()) vo.at_s = time_flag("--at", opt->at);
    if (!vo.record.empty()) {
      vo.from_s = time_flag("--from", opt->from);
      vo.to_s = time_flag("--to", opt->to);
      if (vo.to_s <= vo.from_s)
        throw InputError(InputProblem{"(command line)", 0, 0, "--to", "'" + opt->to + "' is not later than --from '" + opt->from + "'"});
    }
    vo.fps = opt->fps;
    vo.speed = opt->speed;
    vo.play_speed = opt->speed;
    vo.max_frames = std::max(opt->frames, 0);
    vo.capture_last_frame = opt->capture_last;
    vo.autoplay = opt->play;
    vo.density = opt->density;
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
    if (!opt->floor.empty() && opt->floor != "all") {
      bool found = false;
      for (const auto& f : hall.floors) found = found || f.id == opt->floor;
      if (!found)
        throw InputError(InputProblem{"(command line)", 0, 0, "--floor",
                                      "'" + opt->floor + "' is not a floor of " + opt->scenario});
    }
    vo.floor = opt->floor;
    return render::run_view(hall, vo);
#endif
  };
}

}  // namespace halltwin::cli
