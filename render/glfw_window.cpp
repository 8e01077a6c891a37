#include "render/glfw_window.hpp"

#define GLFW_INCLUDE_NONE
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
