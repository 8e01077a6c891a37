#include "render/frame_capture.hpp"

#include <osg/GL>
#include <osgDB/WriteFile>

#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace halltwin::render {

namespace {

// A sibling of `target` with the .png extension osgDB needs to pick its writer,
// hidden and unique per process, so concurrent renders do not collide.
std::filesystem::path temp_sibling(const std::filesystem::path& target) {
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  return dir / ("." + target.stem().string() + ".tmp" + std::to_string(::getpid()) + ".png");
}

}  // namespace

osg::ref_ptr<osg::Image> read_back_buffer(int width_px, int height_px) {
  while (glGetError() != GL_NO_ERROR) {
  }  // errors left by earlier drawing are not ours to report
  osg::ref_ptr<osg::Image> image = new osg::Image;
  glReadBuffer(GL_BACK);
  image->readPixels(0, 0, width_px, height_px, GL_RGB, GL_UNSIGNED_BYTE);
  if (glGetError() != GL_NO_ERROR || image->s() != width_px || image->t() != height_px) return nullptr;
  return image;
}

bool write_png_atomically(const osg::Image& image, const std::string& path, std::string& error) {
  const std::filesystem::path target(path);
  const std::filesystem::path tmp = temp_sibling(target);
  std::error_code ec;
  if (!osgDB::writeImageFile(image, tmp.string())) {
    std::filesystem::remove(tmp, ec);
    error = "cannot write " + tmp.string() + " (PNG writer missing or directory not writable)";
    return false;
  }
  std::filesystem::rename(tmp, target, ec);
  if (ec) {
    error = "cannot write " + target.string() + ": " + ec.message();
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

}  // namespace halltwin::render
