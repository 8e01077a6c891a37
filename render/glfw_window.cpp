#include "render/glfw_window.hpp"

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>

#include <cstdlib>

namespace halltwin::render {

namespace {

// GLFW reports errors through a callback; keep the last one for the message.
std::string g_last_glfw_error;

void on_glfw_error(int code, const char* description) {
  g_last_glfw_error = std::string(description ? description : "unknown error") + " (GLFW error " +
                      std::to_string(code) + ")";
}

}  // namespace

std::unique_ptr<GlfwWindow> GlfwWindow::open(int width_px, int height_px, const std::string& title, bool visible,
                                             int samples, std::string& error) {
  g_last_glfw_error.clear();
  glfwSetErrorCallback(on_glfw_error);
  if (!glfwInit()) {
    const char* display = std::getenv("DISPLAY");
    error = std::string("no X display") + (display && *display ? std::string(" (cannot open ") + display + ")" : "") +
            ": run under xvfb-run -a -s \"-screen 0 1280x720x24\" halltwin view ... for a screenshot [" +
            g_last_glfw_error + "]";
    return nullptr;
  }
  std::unique_ptr<GlfwWindow> w(new GlfwWindow);
  if (samples > 0) {
    // Multisampling costs a software renderer (llvmpipe: no GPU, e.g. under
    // Xvfb or a remote desktop) about 40% of its frame rate: ask a throwaway
    // context which renderer this is before choosing.
    glfwDefaultWindowHints();
    glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    if (GLFWwindow* probe = glfwCreateWindow(16, 16, "probe", nullptr, nullptr)) {
      glfwMakeContextCurrent(probe);
      const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
      const std::string r = renderer ? renderer : "";
      if (r.find("llvmpipe") != std::string::npos || r.find("softpipe") != std::string::npos) samples = 0;
      glfwMakeContextCurrent(nullptr);
      glfwDestroyWindow(probe);
    }
  }
  glfwDefaultWindowHints();  // default = compatibility context of the highest version
  glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_DOUBLEBUFFER, GLFW_TRUE);
  glfwWindowHint(GLFW_DEPTH_BITS, 24);
  glfwWindowHint(GLFW_SAMPLES, samples);
  w->window_ = glfwCreateWindow(width_px, height_px, title.c_str(), nullptr, nullptr);
  if (!w->window_ && samples > 0) {  // no multisampled visual: go without
    glfwWindowHint(GLFW_SAMPLES, 0);
    w->window_ = glfwCreateWindow(width_px, height_px, title.c_str(), nullptr, nullptr);
  }
  if (!w->window_) {
    error = "could not create an OpenGL window/context [" + g_last_glfw_error +
            "]; headless: run under xvfb-run -a -s \"-screen 0 1280x720x24\"";
    return nullptr;  // the destructor terminates GLFW
  }
  glfwMakeContextCurrent(w->window_);
  return w;
}

GlfwWindow::~GlfwWindow() {
  if (window_) glfwDestroyWindow(window_);
  glfwTerminate();
}

}  // namespace halltwin::render
