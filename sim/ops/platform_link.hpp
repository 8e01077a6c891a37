#pragma once
// The operations engine's hook into the hall's IT platform (sim/platform/,
// docs/platform.md). The engine stays the master of the citizens; the
// platform supplies when a window service's transactions are done. With no
// link (RunOptions::platform == nullptr) the engine runs exactly as before.
// An interface, so that sim/ops never includes SimGrid.
#include <cstdint>
#include <optional>

namespace halltwin::ops {

class PlatformLink {
 public:
  virtual ~PlatformLink() = default;

  // Whether a window service of this matter (index into hall.matters) makes
  // platform transactions; when not, the engine never tells the link.
  virtual bool involves(std::uint32_t matter) const = 0;

  // A window service starts now: its transactions start at once, beside the
  // clerk's own work, which ends at staff_end_s. The service ends when both
  // are done. `token` names the service in advance()'s answer (the engine
  // uses the staff index: one service per member at a time).
  virtual void service_started(double now_s, std::uint32_t matter, double staff_end_s,
                               std::uint32_t token) = 0;

  struct Done {
    std::uint32_t token = 0;
    double time_s = 0.0;  // when the service's last transaction completed
  };
  // Runs the platform up to until_s (the engine's next event; +inf when it
  // has none). Returns early, at the completion time, with a service whose
  // transactions are all done; nullopt once the platform reached until_s.
  virtual std::optional<Done> advance(double until_s) = 0;
};

}  // namespace halltwin::ops
