#include "tools/connect/what_if.hpp"

#include <algorithm>
#include <numeric>

#include "model/trace/trace_header.hpp"

namespace halltwin::connect {

WhatIfCollector::WhatIfCollector(const Hall& hall, std::set<std::string> days, bool infer)
    : hall_(hall), days_(std::move(days)), infer_(infer) {
  for (std::uint32_t m = 0; m < hall.matters.size(); ++m) matter_of_[hall.matters[m].id] = m;
  for (std::uint32_t w = 0; w < hall.windows.size(); ++w) window_of_[hall.windows[w].id] = w;
}

void WhatIfCollector::day(const Catalog& c, int date_day, std::span<const Visit> visits) {
  if (start_date.empty()) start_date = c.start_date;
  if (!days_.empty() && !days_.count(date_of_day(c.start_date, date_day))) return;
  last_day_ = std::max(last_day_, date_day);
  for (const Visit& v : visits) {
    if (v.pickup || (v.outcome != Outcome::served && v.outcome != Outcome::abandoned)) continue;
    const double ticket = happened(v.ticket) ? v.ticket : v.called;  // never queued: waited 0
    if (!happened(ticket)) continue;
    auto m = v.matter == kNoId ? matter_of_.end() : matter_of_.find(c.matters.text(v.matter));
    if (m == matter_of_.end()) {
      ++skipped["matter_not_in_scenario"];
      continue;
    }
    ops::ExternalVisit x;
    x.ticket_s = ticket;
    x.matter = m->second;
    x.priority = v.priority > 0;
    double observed = std::nan("");
    if (v.outcome == Outcome::served) {
      x.service_s = happened(v.start) && happened(v.end) ? v.end - v.start : -1.0;
      observed = happened(v.called) ? v.called - ticket : 0.0;
    } else {
      // Abandoned: the citizen gave up after the wait observed.
      x.patience_s = happened(v.called) ? std::max(0.0, v.called - ticket) : 0.0;
    }
    visits_.push_back(x);
    observed_.push_back(observed);
  }
  if (infer_) {
    pieces_.clear();
    infer_presence(visits, kPresenceGap_s, pieces_);
    for (const PresencePiece& p : pieces_) {
      auto w = window_of_.find(c.windows.text(p.window));
      if (w == window_of_.end()) {
        ++skipped["presence_of_window_not_in_scenario"];
        continue;
      }
      presence_.push_back({w->second, p.start, p.end});
    }
  }
}

void WhatIfCollector::shift(const std::string& window, double start_s, double end_s) {
  auto w = window_of_.find(window);
  if (w == window_of_.end()) {
    ++skipped["presence_of_window_not_in_scenario"];
    return;
  }
  presence_.push_back({w->second, start_s, end_s});
}

void WhatIfCollector::finish(const Catalog&) {
  // Sorted by ticket time (stable: the log's order for equal times), the
  // observed waits in the same order.
  std::vector<std::size_t> order(visits_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return visits_[a].ticket_s < visits_[b].ticket_s; });
  std::vector<ops::ExternalVisit> v;
  std::vector<double> o;
  for (std::size_t i : order) v.push_back(visits_[i]), o.push_back(observed_[i]);
  visits_ = std::move(v);
  observed_ = std::move(o);
}

ops::ExternalInput WhatIfCollector::input() const {
  ops::ExternalInput in;
  in.visits = visits_;
  in.presence = presence_;
  std::stable_sort(in.presence.begin(), in.presence.end(),
                   [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  return in;
}

}  // namespace halltwin::connect
