#pragma once
// Calibration: a hall's demand, service times, patience and staffing fitted
// to observed visits (docs/queue-data.md, "Calibration").
//
// - arrivals: visits with a ticket (queued, or served without queueing) per
//   weekday and time block, averaged over the fit days of that weekday;
// - service time per matter: exponential, lognormal and gamma fitted
//   (maximum likelihood for exponential and lognormal, moments for gamma),
//   the family with the smallest Kolmogorov-Smirnov distance chosen, the
//   CDFs from Boost.Math;
// - patience: waits that ended in abandonment are events, waits that ended
//   in service are censored: the Kaplan-Meier survival curve is reported and
//   an exponential patience fitted by censored maximum likelihood
//   (mean = total time at risk / abandonments);
// - staff present per weekday and hour: the presence pieces (shift records,
//   or inferred from service periods) averaged over the fit days.
#include <array>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/operations.hpp"
#include "tools/connect/sinks.hpp"

namespace halltwin::connect {

class CalibrationSink : public VisitSink {
 public:
  // block_min: 15, 30 or 60; days: the fit dates (empty: all).
  CalibrationSink(int block_min, std::set<std::string> days)
      : block_min_(block_min), filter_(std::move(days)) {}
  void day(const Catalog& c, int date_day, std::span<const Visit> visits) override;
  // Presence from shift records (a halltwin trace): absolute seconds.
  void presence(int date_day, double start, double end, const Catalog& c);

  int block_min_;
  std::set<std::string> filter_;
  std::set<std::string> dates;  // fit dates seen
  std::array<std::set<std::string>, kWeekdays> weekday_dates;
  std::array<std::vector<double>, kWeekdays> arrivals;        // per block, summed over dates
  std::array<std::array<double, 24>, kWeekdays> present_s{};  // server-seconds per hour, summed
  std::map<std::string, std::vector<double>> service_s;       // per matter
  std::map<std::string, std::uint64_t> matter_arrivals;
  std::vector<std::pair<double, bool>> waits;  // (wait, abandoned) of queued visits
  bool use_inferred_presence = true;
  // Staffing from availability (infer_availability: a server who leaves a
  // call it serves waiting is not counted) rather than presence (first to
  // last service, gaps over 30 minutes out).
  bool availability = true;

 private:
  bool select(const Catalog& c, int date_day, Weekday& wd);
  std::vector<PresencePiece> pieces_;
};

struct FamilyFit {
  std::string family;  // exponential, lognormal, gamma
  double mean_s = 0, cv = 1, ks = 1;
};
struct MatterFit {
  std::string matter;
  std::uint64_t n = 0;
  double share = 0, sample_mean_s = 0, sample_cv = 0, mean_ci95_half_s = 0;
  std::vector<FamilyFit> families;
  FamilyFit chosen;
};
struct PatienceFit {
  std::uint64_t abandoned = 0, censored = 0;
  double mean_s = 0, mean_ci95_low_s = 0, mean_ci95_high_s = 0;
  double km_median_s = -1;                           // -1: survival stays above 1/2
  std::vector<std::pair<double, double>> km_points;  // (t, S(t)) at report times
};
struct Calibration {
  std::vector<MatterFit> matters;
  PatienceFit patience;
  int block_min = 30;
  std::array<std::vector<double>, kWeekdays> arrivals_per_block;   // averaged
  std::array<std::array<double, 24>, kWeekdays> staff_per_hour{};  // average present
  std::array<std::array<int, 24>, kWeekdays> staff_rostered{};     // rounded: what the scenario gets
  std::array<int, kWeekdays> fit_days{};
  std::vector<std::string> dates;
};

Calibration calibrate(const CalibrationSink& data);

// The weekday of a YYYY-MM-DD date.
Weekday weekday_of(const std::string& date);

// The hall file with `services`, `demand` and `roster` replaced by the
// calibration (YAML text). The hall's windows are staffed in file order;
// throws InputError when it has fewer windows than the staff needed.
std::string calibrated_scenario(const std::string& hall_file, const Calibration& cal,
                                const std::vector<std::string>& window_ids);

}  // namespace halltwin::connect
