#include "tools/halltwin/size_scenario.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

#include "model/yaml_safe_load.hpp"

namespace halltwin::cli {

namespace {
std::string hhmm(double s) {
  const long m = std::lround(s / 60.0);
  return fmt::format("{:02}:{:02}", m / 60, m % 60);
}
}  // namespace

std::string size_scenario_text(const Hall& source, const Hall& staffed, const size::SizingResult& result,
                               const std::string& command_line) {
  YAML::Node root = load_yaml_file(source.source_file);
  const Roster& ro = staffed.operations.roster;
  YAML::Node shifts(YAML::NodeType::Sequence), staff(YAML::NodeType::Sequence);
  for (const Shift& s : ro.shifts) {
    YAML::Node n(YAML::NodeType::Map);
    n.SetStyle(YAML::EmitterStyle::Flow);
    n["id"] = s.id;
    n["start"] = hhmm(s.span.start_s);
    n["end"] = hhmm(s.span.end_s);
    if (!s.breaks.empty()) {
      YAML::Node br(YAML::NodeType::Sequence);
      for (const TimeSpan& b : s.breaks) {
        YAML::Node x(YAML::NodeType::Map);
        x["start"] = hhmm(b.start_s);
        x["end"] = hhmm(b.end_s);
        br.push_back(x);
      }
      n["breaks"] = br;
    }
    shifts.push_back(n);
  }
  for (const StaffMember& m : ro.staff) {
    YAML::Node n(YAML::NodeType::Map);
    n.SetStyle(YAML::EmitterStyle::Flow);
    n["id"] = m.id;
    n["window"] = staffed.windows[m.window.value].id;
    n["shift"] = ro.shifts[m.shift].id;
    YAML::Node days(YAML::NodeType::Sequence);
    for (int d = 0; d < kWeekdays; ++d)
      if (m.days[static_cast<std::size_t>(d)]) days.push_back(std::string(name(Weekday(d))));
    n["days"] = days;
    if (!m.skills.empty()) {
      YAML::Node sk(YAML::NodeType::Sequence);
      for (MatterId id : m.skills) sk.push_back(staffed.matters[id.value].id);
      n["skills"] = sk;
    }
    if (m.extended_only) n["extended_only"] = true;
    staff.push_back(n);
  }
  root["roster"]["shifts"] = shifts;
  root["roster"]["staff"] = staff;
  YAML::Emitter out;
  out << root;
  std::string text = fmt::format(
      "# Staffed by `{}` from {}:\n"
      "# roster.shifts and roster.staff sized by simulation ({} staff-hours a day, targets {} at 95% "
      "confidence);\n# the rest is the hall as given (docs/size.md).\n",
      command_line, source.source_file, fmt::format("{:.1f}", result.plan.staff_hours()),
      result.met ? "met" : "NOT met");
  text += out.c_str();
  text += "\n";
  return text;
}

}  // namespace halltwin::cli
