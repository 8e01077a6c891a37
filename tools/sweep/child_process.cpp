#include "tools/sweep/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

extern char** environ;

namespace halltwin::sweep {

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out[1], 1);
  posix_spawn_file_actions_adddup2(&fa, err[1], 2);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = posix_spawn(&pid_, argv[0].c_str(), &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(out[0]);
    close(err[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  out_fd_ = out[0];
  err_fd_ = err[0];
}

ChildProcess::~ChildProcess() {
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
  if (pid_ > 0 && !reaped_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

bool ChildProcess::poll(int timeout_ms) {
  std::array<pollfd, 2> fds{};
  int n = 0;
  if (out_fd_ >= 0) fds[static_cast<std::size_t>(n++)] = {out_fd_, POLLIN, 0};
  if (err_fd_ >= 0) fds[static_cast<std::size_t>(n++)] = {err_fd_, POLLIN, 0};
  if (n > 0) {
    if (::poll(fds.data(), static_cast<nfds_t>(n), timeout_ms) > 0) {
      for (int i = 0; i < n; ++i) {
        const pollfd& p = fds[static_cast<std::size_t>(i)];
        if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        std::array<char, 65536> buf{};
        const ssize_t got = read(p.fd, buf.data(), buf.size());
        std::string& sink = p.fd == out_fd_ ? outcome_.out : outcome_.err;
        if (got > 0) {
          sink.append(buf.data(), static_cast<std::size_t>(got));
        } else if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN)) {
          close(p.fd);
          (p.fd == out_fd_ ? out_fd_ : err_fd_) = -1;
        }
      }
    }
    if (out_fd_ >= 0 || err_fd_ >= 0) return false;
  }
  if (!reaped_) {
    int status = 0;
    if (waitpid(pid_, &status, 0) < 0) return false;
    reaped_ = true;
    if (WIFEXITED(status)) {
      outcome_.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      outcome_.signal = WTERMSIG(status);
    }
  }
  return true;
}

std::string self_executable() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw std::runtime_error("cannot find the running program (/proc/self/exe): " + ec.message());
  return p.string();
}

}  // namespace halltwin::sweep
