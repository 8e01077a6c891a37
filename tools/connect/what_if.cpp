#include "tools/connect/what_if.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

#include "model/trace/trace_event.hpp"
#include "model/trace/trace_header.hpp"

namespace halltwin::connect {

// ------------------------------------------------------------ QuantileCounts
void QuantileCounts::add(double v) {
  max_ = n_ == 0 ? v : std::max(max_, v);
  ++n_;
  ++counts_[std::llround(v / res_s_)];
  while (counts_.size() > kMaxKeys) {
    // Twice the resolution: neighbouring counts merge.
    std::map<std::int64_t, std::uint64_t> coarser;
    for (const auto& [k, n] : counts_) coarser[std::llround(static_cast<double>(k) / 2.0)] += n;
    counts_ = std::move(coarser);
    res_s_ *= 2.0;
  }
}

double QuantileCounts::at_rank(std::uint64_t r) const {
  std::uint64_t seen = 0;
  for (const auto& [k, n] : counts_) {
    seen += n;
    if (seen > r) return std::min(static_cast<double>(k) * res_s_, max_);
  }
  return max_;
}

// ------------------------------------------------------------ WhatIfCollector
WhatIfCollector::WhatIfCollector(const Hall& hall, std::set<std::string> days, bool infer)
    : hall_(hall), days_(std::move(days)), infer_(infer) {
  for (std::uint32_t m = 0; m < hall.matters.size(); ++m) matter_of_[hall.matters[m].id] = m;
  for (std::uint32_t w = 0; w < hall.windows.size(); ++w) window_of_[hall.windows[w].id] = w;
  known_window_.assign(hall.windows.size(), 0);
  staffed_.assign(hall.windows.size(), 0);
  for (const auto& m : hall.operations.roster.staff) staffed_[m.window.value] = 1;
}

WhatIfCollector::~WhatIfCollector() {
  chunk_model_.reset();  // it refers to chunk_hall_
  chunk_hall_.reset();
}

// The roster member who works a presence piece of `window` (kNone: the
// window's first member), added to the replay's roster when new.
std::uint32_t WhatIfCollector::member_for(std::uint32_t window, std::uint64_t mask, std::uint32_t lane) {
  const auto& roster = hall_.operations.roster.staff;
  const bool can_add = !hall_.operations.roster.shifts.empty();  // a member needs a shift (shift 0, no days)
  const auto index_of_new = [&] { return static_cast<std::uint32_t>(roster.size() + added_.size() - 1); };
  const auto add_member = [&](std::string suffix, std::vector<MatterId> skills) {
    StaffMember m;
    m.id = "S-" + hall_.windows[window].id + "-" + suffix;
    m.window = WindowId{window};
    m.shift = 0;  // no days: only the observed presence puts them to work
    m.skills = std::move(skills);
    added_.push_back(std::move(m));
    return index_of_new();
  };
  if (logged_skills && mask != 0 && can_add) {
    auto [it, fresh] = member_of_.emplace(std::make_tuple(window, mask, lane), 0u);
    if (fresh) {
      std::vector<MatterId> skills;
      std::string ids;
      for (std::uint32_t m = 0; m < hall_.matters.size() && m < 64; ++m)
        if (mask >> m & 1) {
          skills.push_back(MatterId{m});
          ids += (ids.empty() ? "" : "+") + hall_.matters[m].id;
        }
      it->second = add_member("log-" + ids + (lane > 0 ? "-" + std::to_string(lane + 1) : ""), std::move(skills));
    }
    return it->second;
  }
  if (!staffed_[window] && can_add) {
    staffed_[window] = 1;
    add_member("observed", {});
  }
  if (lane == 0 || !can_add) return ops::kNone;
  // A second person for the log's overlapping services: the person who works
  // lane 0 (the window's first member), once more.
  auto [it, fresh] = member_of_.emplace(std::make_tuple(window, std::uint64_t{0}, lane), 0u);
  if (fresh) {
    const StaffMember* first = nullptr;
    for (const auto& m : roster)
      if (!first && m.window.value == window) first = &m;
    for (const auto& m : added_)
      if (!first && m.window.value == window) first = &m;
    if (first) {
      StaffMember twin = *first;
      twin.id += "-" + std::to_string(lane + 1);
      added_.push_back(std::move(twin));
      it->second = index_of_new();
    } else {
      it->second = ops::kNone;
    }
  }
  return it->second;
}

void WhatIfCollector::add_piece(std::uint32_t window, double start, double end, std::uint64_t mask,
                                std::uint32_t lane, std::uint64_t visit_seq) {
  PendingPiece k{ops::PresenceInterval{window, start, end}, visit_seq};
  k.p.staff = member_for(window, mask, lane);
  pieces_.push_back(k);
}

void WhatIfCollector::note_windows(const Catalog& c) {
  for (; catalog_windows_seen_ < c.windows.size(); ++catalog_windows_seen_)
    if (auto w = window_of_.find(c.windows.text(static_cast<std::uint32_t>(catalog_windows_seen_)));
        w != window_of_.end())
      known_window_[w->second] = 1;
}

void WhatIfCollector::windows_of_log(const std::vector<std::string>& ids) {
  for (const auto& id : ids)
    if (auto w = window_of_.find(id); w != window_of_.end()) known_window_[w->second] = 1;
}

void WhatIfCollector::day(const Catalog& c, int date_day, std::span<const Visit> visits) {
  if (start_date.empty()) start_date = c.start_date;
  note_windows(c);
  seen_day_ = std::max(seen_day_, date_day);
  if (days_.empty() || days_.count(date_of_day(c.start_date, date_day))) {
    last_day_ = std::max(last_day_, date_day);
    if (first_day_ < 0) first_day_ = chunk_day_ = next_try_ = date_day;
    // The matters each server served on this date (the export's skills of the day).
    std::map<std::uint32_t, std::uint64_t> served_matters;
    for (const Visit& v : visits) {
      if (v.outcome != Outcome::served || v.window == kNoId || v.matter == kNoId) continue;
      auto m = matter_of_.find(c.matters.text(v.matter));
      if (m != matter_of_.end() && m->second < 64) served_matters[v.window] |= std::uint64_t{1} << m->second;
    }
    const auto skills_of = [&](std::uint32_t catalog_window) {
      auto sm = served_matters.find(catalog_window);
      return sm == served_matters.end() ? std::uint64_t{0} : sm->second;
    };
    // Logged pickups (Presence::pickups): (window of the catalog, start, visit).
    struct Pickup {
      std::uint32_t window;
      double start;
      std::uint64_t seq;
      double service_s;
    };
    std::vector<Pickup> pickups;
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
      const std::uint64_t seq = next_seq_++;
      if (presence == Presence::pickups && v.outcome == Outcome::served && v.window != kNoId && happened(v.start))
        pickups.push_back({v.window, v.start, seq, x.service_s});
      visits_.push_back({x, observed, seq});
    }
    if (infer_ && presence == Presence::pickups) {
      // Each logged service start is a moment the server was ready, for
      // pickup_window_s at most: up to its next logged start, so that one
      // person's intervals never overlap. The log sometimes has a server start
      // a service while still serving another (two at once; 106 times in the
      // bank log): the later one goes to a second person at the window (lane 1,
      // and so on), so that every call is still taken at its logged moment
      // rather than delaying it and everything the server did after it.
      std::stable_sort(pickups.begin(), pickups.end(), [](const Pickup& a, const Pickup& b) {
        return a.window != b.window ? a.window < b.window : a.start < b.start;
      });
      std::vector<double> lane_busy_until;  // of the current window
      std::vector<std::uint32_t> lane(pickups.size(), 0);
      for (std::size_t i = 0; i < pickups.size(); ++i) {
        if (i == 0 || pickups[i - 1].window != pickups[i].window) lane_busy_until.clear();
        std::uint32_t l = 0;
        while (l < lane_busy_until.size() && pickups[i].start < lane_busy_until[l]) ++l;
        if (l == lane_busy_until.size()) lane_busy_until.push_back(0.0);
        lane_busy_until[l] = pickups[i].start + std::max(0.0, pickups[i].service_s);
        lane[i] = l;
        if (l > 0) ++skipped["pickup_overlapping_a_service_of_its_server"];  // counted, taken by lane l
      }
      for (std::size_t i = 0; i < pickups.size(); ++i) {
        const Pickup& k = pickups[i];
        double end = k.start + pickup_window_s;
        for (std::size_t j = i + 1; j < pickups.size() && pickups[j].window == k.window; ++j)
          if (lane[j] == lane[i]) {
            end = std::min(end, pickups[j].start);
            break;
          }
        if (end <= k.start) end = k.start + 1e-3;  // cannot happen within a lane; kept positive
        auto w = window_of_.find(c.windows.text(k.window));
        if (w == window_of_.end()) {
          ++skipped["presence_of_window_not_in_scenario"];
          continue;
        }
        add_piece(w->second, k.start, end, skills_of(k.window), lane[i], k.seq);
      }
    } else if (infer_) {
      inferred_.clear();
      if (presence == Presence::available)
        infer_availability(visits, presence_gap_s, kAvailabilityGrace_s, inferred_);
      else
        infer_presence(visits, presence_gap_s, inferred_);
      for (const PresencePiece& p : inferred_) {
        auto w = window_of_.find(c.windows.text(p.window));
        if (w == window_of_.end()) {
          ++skipped["presence_of_window_not_in_scenario"];
          continue;
        }
        add_piece(w->second, p.start, p.end, skills_of(p.window), 0, kNoSeq);
      }
    }
  }
  if (streaming) try_close();
}

void WhatIfCollector::shift(const std::string& window, double start_s, double end_s) {
  auto w = window_of_.find(window);
  if (w == window_of_.end()) {
    ++skipped["presence_of_window_not_in_scenario"];
    return;
  }
  add_piece(w->second, start_s, end_s, 0, 0, kNoSeq);
}

// After a date: a chunk may end at the midnight one day before the newest
// date handed on (every row with an earlier time has been read, whatever
// the time-zone shift), inside the selected dates. A chunk that may not end
// there is tried again at the next midnight while it holds at most
// kDailyTries days, then after 1, 2, 4, ... more days, so that a chunk that
// keeps somebody inside for long is not simulated again day after day.
void WhatIfCollector::try_close() {
  constexpr int kDailyTries = 7;
  if (first_day_ < 0) return;
  const int end = std::min(seen_day_ - 1, last_day_);
  if (end <= chunk_day_ || end < next_try_) return;
  if (simulate_chunk(end, false)) {
    span_ = 1;
    next_try_ = end + 1;
  } else if (end - chunk_day_ < kDailyTries) {
    next_try_ = end + 1;
  } else {
    next_try_ = end + span_;
    span_ *= 2;
  }
}

void WhatIfCollector::finish(const Catalog& c) {
  if (start_date.empty()) start_date = c.start_date;
  note_windows(c);
  if (first_day_ >= 0 && chunk_day_ <= last_day_) simulate_chunk(last_day_ + 1, true);
  visits_.clear();
  pieces_.clear();
}

bool WhatIfCollector::simulate_chunk(int end_day, bool final) {
  const double from = chunk_day_ * kSecondsPerDay, until = end_day * kSecondsPerDay;
  // The chunk's citizens: tickets before `until` (everything when final), in
  // collection order, then sorted by ticket time as one run of every date sorts them.
  std::vector<std::size_t> in_chunk;
  for (std::size_t i = 0; i < visits_.size(); ++i)
    if (final || visits_[i].x.ticket_s < until) in_chunk.push_back(i);
  std::stable_sort(in_chunk.begin(), in_chunk.end(),
                   [&](std::size_t a, std::size_t b) { return visits_[a].x.ticket_s < visits_[b].x.ticket_s; });
  // seq -> index in the chunk's input (the seqs of visits_ grow with the index).
  std::vector<std::pair<std::uint64_t, std::uint32_t>> local;
  local.reserve(in_chunk.size());
  for (std::size_t k = 0; k < in_chunk.size(); ++k)
    local.emplace_back(visits_[in_chunk[k]].seq, static_cast<std::uint32_t>(k));
  std::sort(local.begin(), local.end());
  const auto local_of = [&](std::uint64_t seq) {
    auto it = std::lower_bound(local.begin(), local.end(), std::make_pair(seq, std::uint32_t{0}));
    return it != local.end() && it->first == seq ? it->second : ops::kNone;
  };
  auto in = std::make_shared<ops::ExternalInput>();
  std::vector<double> observed;
  in->visits.reserve(in_chunk.size());
  observed.reserve(in_chunk.size());
  for (std::size_t i : in_chunk) {
    ops::ExternalVisit x = visits_[i].x;
    x.ticket_s -= from;
    in->visits.push_back(x);
    observed.push_back(visits_[i].observed);
  }
  // The chunk's presence: pieces starting before `until`. A logged slot and
  // its citizen must fall in the same chunk, or the chunk may not end here.
  std::vector<std::size_t> piece_ids;
  for (std::size_t i = 0; i < pieces_.size(); ++i) {
    const PendingPiece& k = pieces_[i];
    const bool mine = final || k.p.start_s < until;
    const std::uint32_t v = k.visit_seq == kNoSeq ? ops::kNone : local_of(k.visit_seq);
    if (!final && k.visit_seq != kNoSeq && (v != ops::kNone) != mine) return false;
    if (!mine) continue;
    ops::PresenceInterval p = k.p;
    p.start_s -= from, p.end_s -= from;
    p.visit = v;
    if (k.visit_seq != kNoSeq && v == ops::kNone) {
      ++skipped["pickup_of_a_citizen_not_replayed"];  // final chunk only: cannot happen with a sane log
      continue;
    }
    in->presence.push_back(p);
    piece_ids.push_back(i);
  }
  // Sorted by start (stable: the log's order for equal starts).
  std::stable_sort(in->presence.begin(), in->presence.end(),
                   [](const auto& a, const auto& b) { return a.start_s < b.start_s; });
  for (std::uint32_t w = 0; w < known_window_.size(); ++w)
    if (known_window_[w]) in->observed_windows.push_back(w);
  in->logged_choices = !calling;
  // The hall with every member added so far (rebuilt when there are new ones).
  if (!chunk_model_ || chunk_members_ != added_.size()) {
    chunk_model_.reset();
    chunk_hall_ = std::make_unique<Hall>(hall_);
    auto& roster = chunk_hall_->operations.roster;
    roster.staff.insert(roster.staff.end(), added_.begin(), added_.end());
    if (calling) {
      roster.calling = *calling;
      roster.calling_by_window.clear();
    }
    chunk_model_ = std::make_unique<ops::OpsModel>(*chunk_hall_);
    chunk_members_ = added_.size();
  }
  ops::RunOptions o;
  o.seed = seed;
  o.start_date = date_of_day(start_date, chunk_day_);
  o.days = final ? last_day_ - chunk_day_ + 1 : end_day - chunk_day_;
  o.external = in;
  std::vector<ops::RandomStream> streams = streams_;
  o.carry_streams = &streams;
  const auto t0 = std::chrono::steady_clock::now();
  ops::RunResult run = ops::simulate(*chunk_model_, o);
  totals_.wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ++totals_.attempts;
  // Nobody left inside and nothing after the chunk's last midnight: one run
  // of every date would have had an empty hall there too.
  if (!final && (run.inside_at_end != 0 || run.pickups_inside_at_end != 0 || run.last_event_s > until - from))
    return false;
  streams_ = std::move(streams);
  ++totals_.chunks;
  totals_.visits += in->visits.size();
  totals_.external_skipped += run.external_skipped;
  totals_.largest_chunk_visits = std::max<std::uint64_t>(totals_.largest_chunk_visits, in->visits.size());
  totals_.largest_chunk_days = std::max(totals_.largest_chunk_days, o.days);
  if (run.accumulator) {
    if (totals_.kpis)
      totals_.kpis->merge(*run.accumulator);
    else
      totals_.kpis = std::move(run.accumulator);
  }
  for (std::size_t i = 0; i < observed.size(); ++i)
    if (!std::isnan(observed[i]) && !std::isnan(run.external_waits[i])) {
      totals_.abs_diff_s.add(std::fabs(run.external_waits[i] - observed[i]));
      totals_.observed_s.add(observed[i]);
    }
  // Forget what was simulated.
  if (final) {
    visits_.clear();
    pieces_.clear();
  } else {
    std::erase_if(visits_, [&](const PendingVisit& v) { return v.x.ticket_s < until; });
    std::erase_if(pieces_, [&](const PendingPiece& k) { return k.p.start_s < until; });
  }
  chunk_day_ = end_day;
  return true;
}

}  // namespace halltwin::connect
