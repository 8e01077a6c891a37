// --record: frames rendered headless and piped as raw RGB into Debian's
// ffmpeg, which encodes them (H.264 in MP4). The video is written to a
// temporary sibling and renamed into place only when ffmpeg succeeded, so a
// failed recording never leaves a half-written file under the asked name.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "render/frame_capture.hpp"
#include "render/stage.hpp"

namespace halltwin::render {

namespace {

// The ffmpeg program: HALLTWIN_FFMPEG, else "ffmpeg" on PATH.
std::string ffmpeg_program() {
  const char* env = std::getenv("HALLTWIN_FFMPEG");
  return env && *env ? env : "ffmpeg";
}

// A running ffmpeg reading raw frames on its standard input.
class Encoder {
 public:
  bool start(const std::vector<std::string>& args, std::string& error) {
    int fds[2];
    if (::pipe(fds) != 0) {
      error = std::string("cannot create a pipe: ") + std::strerror(errno);
      return false;
    }
    pid_ = ::fork();
    if (pid_ < 0) {
      error = std::string("cannot start ffmpeg: ") + std::strerror(errno);
      ::close(fds[0]);
      ::close(fds[1]);
      return false;
    }
    if (pid_ == 0) {
      ::dup2(fds[0], 0);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execvp(argv[0], argv.data());
      _exit(127);  // not found: reported by the parent from the exit status
    }
    ::close(fds[0]);
    fd_ = fds[1];
    return true;
  }

  bool write(const unsigned char* data, std::size_t n) {
    while (n > 0) {
      const ssize_t w = ::write(fd_, data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      data += w;
      n -= static_cast<std::size_t>(w);
    }
    return true;
  }

  // Closes the pipe and waits: ffmpeg's exit status (127: not found).
  int finish() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  }

  ~Encoder() {
    if (fd_ >= 0) finish();
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
};

std::string fmt_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

int record_video(const Hall& hall, const ViewPlan& plan, const ViewOptions& options, OverlayData* overlays) {
  const double step_s = options.speed / options.fps;  // simulated seconds between frames
  const long frames = std::lround((options.to_s - options.from_s) * options.fps / options.speed);
  if (frames < 1) {
    std::cerr << "halltwin view: --from/--to/--fps/--speed give no frame ((to - from) x fps / speed < 0.5)\n";
    return 1;
  }
  std::string error;
  const std::unique_ptr<Stage> stage = Stage::open(hall, plan, options, overlays, error);
  if (!stage) {
    std::cerr << "halltwin view: " << error << "\n";
    return 2;
  }
  const std::filesystem::path target(options.record);
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  const std::filesystem::path tmp = dir / ("." + target.stem().string() + ".tmp" + std::to_string(::getpid()) + ".mp4");
  const std::vector<std::string> args = {
      ffmpeg_program(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
      "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", std::to_string(options.width) + "x" + std::to_string(options.height),
      "-framerate", fmt_number(options.fps), "-i", "pipe:0",
      // OpenGL rows run bottom-up; H.264 in 4:2:0 needs even sides.
      "-vf", "vflip,pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
      "-movflags", "+faststart", "-f", "mp4", tmp.string()};
  // A dead ffmpeg must turn into an error message, not a SIGPIPE.
  struct sigaction ignore {}, old {};
  ignore.sa_handler = SIG_IGN;
  ::sigaction(SIGPIPE, &ignore, &old);
  Encoder enc;
  bool ok = enc.start(args, error);
  const std::size_t row_bytes = static_cast<std::size_t>(options.width) * 3;
  for (long i = 0; ok && i < frames; ++i) {
    stage->draw(options.from_s + step_s * static_cast<double>(i));
    const osg::ref_ptr<osg::Image> image = read_back_buffer(options.width, options.height);
    if (!image) {
      error = "reading a rendered frame back failed";
      ok = false;
      break;
    }
    for (int r = 0; ok && r < options.height; ++r) ok = enc.write(image->data(0, r), row_bytes);
    if (!ok && error.empty()) error = "ffmpeg stopped reading frames";
  }
  const int status = enc.finish();
  ::sigaction(SIGPIPE, &old, nullptr);
  std::error_code ec;
  if (status == 127) {
    error = "ffmpeg not found (install Debian's ffmpeg: tools/install-deps.sh, or set HALLTWIN_FFMPEG)";
    ok = false;
  } else if (status != 0 && ok) {
    error = "ffmpeg failed (exit status " + std::to_string(status) + ")";
    ok = false;
  }
  if (ok) {
    std::filesystem::rename(tmp, target, ec);
    if (ec) {
      error = "cannot write " + target.string() + ": " + ec.message();
      ok = false;
    }
  }
  if (!ok) {
    std::filesystem::remove(tmp, ec);
    std::cerr << "halltwin view: --record: " << error << "\n";
    return 1;
  }
  std::cerr << "halltwin view: wrote " << frames << " frames (" << fmt_number(frames / options.fps) << " s) to "
            << options.record << "\n";
  return 0;
}

}  // namespace halltwin::render
