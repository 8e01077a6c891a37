#pragma once
// GLFW set-up shared by the interactive view and the screenshot: GLFW itself
// and one window whose compatibility-profile OpenGL context is current.
// Debian's OpenSceneGraph is a fixed-function build: a core profile would draw
// nothing, so no profile is requested.
#include <memory>
#include <string>

struct GLFWwindow;

namespace halltwin::render {

class GlfwWindow {
 public:
  // nullptr and a message in `error` when there is no display or no context.
  // samples: multisampling for the interactive window (0 for screenshots,
  // whose pixels tests compare against the palette).
  static std::unique_ptr<GlfwWindow> open(int width_px, int height_px, const std::string& title, bool visible,
                                          int samples, std::string& error);
  ~GlfwWindow();
  GlfwWindow(const GlfwWindow&) = delete;
  GlfwWindow& operator=(const GlfwWindow&) = delete;

  GLFWwindow* handle() const { return window_; }

 private:
  GlfwWindow() = default;
  GLFWwindow* window_ = nullptr;
};

}  // namespace halltwin::render
