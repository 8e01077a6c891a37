#pragma once
// The hall's IT platform (scenario section `platform`, format 6): the
// queue-calling server, the window terminals, self-service kiosks, the hall
// LAN, the government extranet (政务外网) to the provincial service platform
// and its data center, the back-office approval hosts; each with its capacity
// and availability; and the platform transactions each matter's window
// service makes. Data only: sim/platform/ runs it on SimGrid
// (docs/platform.md).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.hpp"

namespace halltwin {

// The fixed vocabulary of element kinds. Hosts compute; links carry bytes.
enum class PlatformKind {
  queue_server,         // "queue-server": the queue-calling (叫号) server, on the LAN
  terminal,             // "terminal": the window terminals (one element may stand for all)
  kiosk,                // "kiosk": self-service kiosks
  lan,                  // "lan": the hall network (a link)
  extranet,             // "extranet": 政务外网, the hall's link to the province (a link)
  provincial_platform,  // "provincial-platform": the provincial service platform (behind the extranet)
  datacenter,           // "datacenter": the provincial data center (behind the extranet)
  approval_host,        // "approval-host": back-office approval hosts, on the LAN
};
inline constexpr PlatformKind kPlatformKinds[] = {
    PlatformKind::queue_server, PlatformKind::terminal,     PlatformKind::kiosk,
    PlatformKind::lan,          PlatformKind::extranet,     PlatformKind::provincial_platform,
    PlatformKind::datacenter,   PlatformKind::approval_host};
std::string_view platform_kind_name(PlatformKind k);
std::optional<PlatformKind> parse_platform_kind(std::string_view s);
inline bool is_link(PlatformKind k) { return k == PlatformKind::lan || k == PlatformKind::extranet; }
// Hosts reached over the extranet (the LAN and the extranet in their route).
inline bool is_remote(PlatformKind k) {
  return k == PlatformKind::provincial_platform || k == PlatformKind::datacenter;
}

// A window of time when an element is down, seconds since 00:00 of each day
// (a scheduled outage repeats every simulated day).
struct PlatformOutage {
  double from_s = 0.0, to_s = 0.0;
  int line = 0;
};

struct PlatformElement {
  std::string id;
  PlatformKind kind = PlatformKind::lan;
  // Hosts: speed of one core (flop/s) and cores. Links: bandwidth (bytes/s)
  // and latency (s). Only the pair matching the kind is meaningful.
  double speed_flops = 1e9;
  int cores = 1;
  double bandwidth_Bps = 12.5e6;
  double latency_s = 0.0;
  std::vector<PlatformOutage> outages;  // scheduled, every day
  // Random failures: up times exponential with mean mtbf_h hours, repairs
  // exponential with mean mttr_min minutes; absent = never fails at random.
  std::optional<double> mtbf_h;
  double mttr_min = 0.0;
  int line = 0;
};

// One kind of platform transaction a window service makes: `count` times in
// sequence, a request of request_kb kilobytes from the window terminal to
// `to`, compute_mflop Mflop on `to`, a reply of reply_kb back.
struct PlatformTransaction {
  std::size_t to = 0;  // index into Platform::elements (a host)
  int count = 1;
  double request_kb = 0.0;  // 1 kB = 1000 bytes
  double reply_kb = 0.0;
  double compute_mflop = 0.0;  // 1 Mflop = 1e6 flop
  int line = 0;
};

struct MatterTransactions {
  MatterId matter;
  std::vector<PlatformTransaction> transactions;
};

struct Platform {
  bool present = false;
  std::vector<PlatformElement> elements;
  // Per matter (by MatterId); matters absent here use `default_transactions`.
  std::vector<MatterTransactions> by_matter;
  std::vector<PlatformTransaction> default_transactions;

  // The transactions of a window service of `matter`.
  const std::vector<PlatformTransaction>& transactions_of(MatterId matter) const {
    for (const auto& m : by_matter)
      if (m.matter == matter) return m.transactions;
    return default_transactions;
  }
};

// The element with this id, else the first element of this kind (so a drill
// plan may say `target: extranet`); nullptr when neither.
const PlatformElement* find_platform_element(const Platform& p, std::string_view id_or_kind);

}  // namespace halltwin
