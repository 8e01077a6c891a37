#pragma once
// One random stream per independent source of randomness (the arrivals, the
// citizens' attributes, each window's service times), so that changing one
// source leaves every other stream unchanged: two variants of a hall run with
// the same seed see the same citizens (common random numbers). A stream is
// named by its source's scenario id, not by an index, so adding a window does
// not shift the streams of the others.
//
// The generator is xoshiro256++ (Blackman and Vigna 2019): 32 bytes of state,
// about 1 ns a number, statistically sound for simulation. Seeds are spread by
// SplitMix64 as its authors recommend.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

namespace halltwin::ops {

inline std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a: a stable hash of a source name (the same on every platform and run).
inline std::uint64_t stable_hash(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

class RandomStream {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  RandomStream() : RandomStream(0, 0, "") {}
  // seed: the run's seed; replication: 1-based; source: e.g. "arrivals", "service:A03".
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::string_view source) {
    std::uint64_t x = seed ^ (replication * 0xd1b54a32d192ed03ULL) ^ stable_hash(source);
    for (auto& w : s_) w = splitmix64(x);
  }

  result_type operator()() {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform on (0, 1): never exactly 0, so log() is safe.
  double uniform01() { return (static_cast<double>((*this)() >> 11) + 0.5) * 0x1.0p-53; }
  // Exponential with the given mean (inverse transform: portable, one draw).
  double exponential(double mean) { return -mean * std::log(uniform01()); }
  // Standard normal (Box-Muller, one value per call: no cached state to
  // carry between draws, so a draw sequence is easy to reason about).
  double normal() {
    const double u1 = uniform01(), u2 = uniform01();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias < 2^-32 for small n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((*this)() >> 32) * static_cast<std::uint64_t>(n) >> 32);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace halltwin::ops
