#pragma once
// The people of a trace in the scene, and what is drawn from them: figures
// coloured by state, the queue length above each window, the people-density
// heatmap. Rebuilt in place each frame from a Playback at the frame's time.
// Only render/*.cpp include this header (it pulls in OSG).
#include <optional>
#include <vector>

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Group>
#include <osg/Switch>
#include <osg/ref_ptr>
#include <osgText/Font>
#include <osgText/Text>

#include "model/trace/playback.hpp"
#include "render/hall_scene.hpp"

namespace halltwin::render {

// Person figures are this tall (the top face carries the state colour).
inline constexpr double kFigureHeight_m = 1.7;
// Queue numbers float this high above the window position.
inline constexpr double kQueueLabelZ_m = 2.6;
// People density heatmap: cell size, and the density drawn fully red
// (Fruin's level of service E for queues: below 0.28 m2 a person).
inline constexpr double kDensityCell_m = 1.0;
inline constexpr double kDensityFull_ppm2 = 3.5;

class PlaybackScene {
 public:
  // `figure_radius_m`: the figures' radius (larger in the plan of a big hall,
  // so a person stays a few pixels wide).
  PlaybackScene(const Hall& hall, const Playback& playback, const HallScene& scene, osgText::Font* font,
                double figure_radius_m);

  osg::Node* node() const { return root_.get(); }

  // Moves everyone to time `t_s`. `selected`: a person drawn with a white rim.
  void update(double t_s, std::optional<std::uint32_t> selected = std::nullopt);

  void show_people(bool on) { root_->setValue(0, on); }
  void show_queues(bool on) { root_->setValue(1, on); }
  void show_density(bool on) { root_->setValue(2, on); }

  // The people drawn by the last update().
  const std::vector<PersonAt>& present() const { return present_; }
  // The person whose figure holds triangle `primitive` of the figures'
  // drawable (from a pick), if any.
  std::optional<std::uint32_t> person_of_triangle(unsigned primitive) const;
  const osg::Drawable* figures() const { return figures_.get(); }
  // Queue per window at the last update (hall order).
  const std::vector<int>& queues() const { return queues_; }

 private:
  void update_people(std::optional<std::uint32_t> selected);
  void update_queues(double t_s);
  void update_density(double t_s);

  const Hall& hall_;
  const Playback& playback_;
  const HallScene& scene_;
  osgText::Font* font_;
  double radius_m_;
  osg::ref_ptr<osg::Switch> root_;  // people, queues, density
  osg::ref_ptr<osg::Geometry> figures_;
  osg::ref_ptr<osg::Vec3Array> fig_v_;
  osg::ref_ptr<osg::Vec4ubArray> fig_c_;
  osg::ref_ptr<osg::DrawElementsUInt> fig_draw_;
  std::size_t figure_count_ = 0;
  osg::ref_ptr<osg::Geode> queue_geode_;
  std::vector<osg::ref_ptr<osgText::Text>> queue_text_;  // per window (null when its floor is not shown)
  osg::ref_ptr<osg::Geometry> density_;
  osg::ref_ptr<osg::Vec3Array> den_v_;
  osg::ref_ptr<osg::Vec4ubArray> den_c_;
  osg::ref_ptr<osg::DrawArrays> den_draw_;
  std::vector<PersonAt> present_;
  std::vector<std::uint32_t> drawn_;  // person of each figure slot
  std::vector<int> queues_;
  double last_density_t_ = -1e300;
};

// RGB of a person's state (the top face of the figure).
Rgb person_state_colour(PersonState s);

// Density colour: transparent at 0, yellow, orange, red at kDensityFull_ppm2.
osg::Vec4ub density_colour(double persons_per_m2);

}  // namespace halltwin::render
