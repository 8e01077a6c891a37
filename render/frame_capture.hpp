#pragma once
// Reading a rendered frame back and writing it as a PNG. OSG-dependent:
// only render/*.cpp include this.
#include <osg/Image>
#include <osg/ref_ptr>

#include <string>

namespace halltwin::render {

// The current context's back buffer (call before swapping), w x h RGB pixels;
// nullptr when OpenGL reports an error.
osg::ref_ptr<osg::Image> read_back_buffer(int width_px, int height_px);

// Writes `image` to `path` as a PNG by way of a temporary sibling that is
// renamed into place: readers never see a half-written file. false and a
// message in `error` on failure (the temporary file is removed).
bool write_png_atomically(const osg::Image& image, const std::string& path, std::string& error);

}  // namespace halltwin::render
