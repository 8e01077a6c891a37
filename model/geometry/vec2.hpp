#pragma once
// A point or vector in a floor's plane, in metres. x grows east, y grows north.
// A plain aggregate (not Eigen) because it is stored by the thousand in the hall
// model and registered with Boost.Geometry; the pedestrian model converts to
// Eigen where it does linear algebra.
#include <cmath>
#include <vector>

namespace halltwin {

struct Vec2 {
  double x = 0.0;  // metres
  double y = 0.0;  // metres

  friend Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
  friend Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
  friend Vec2 operator*(double s, Vec2 a) { return {s * a.x, s * a.y}; }
  friend Vec2 operator*(Vec2 a, double s) { return {s * a.x, s * a.y}; }
  friend bool operator==(Vec2 a, Vec2 b) { return a.x == b.x && a.y == b.y; }
};

inline double dot(Vec2 a, Vec2 b) { return a.x * b.x + a.y * b.y; }
inline double cross(Vec2 a, Vec2 b) { return a.x * b.y - a.y * b.x; }
inline double norm(Vec2 a) { return std::hypot(a.x, a.y); }
inline double distance(Vec2 a, Vec2 b) { return norm(a - b); }

// A simple polygon as its vertices in order, implicitly closed (the last vertex
// connects back to the first; the first vertex is not repeated). Either
// orientation is accepted on input; the loader stores it counter-clockwise.
using Polygon = std::vector<Vec2>;

// A straight segment, e.g. a door opening.
struct Segment {
  Vec2 a;
  Vec2 b;
  double length() const { return distance(a, b); }
  Vec2 midpoint() const { return 0.5 * (a + b); }
};

}  // namespace halltwin
