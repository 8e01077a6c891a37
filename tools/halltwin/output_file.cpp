#include "tools/halltwin/output_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "model/input_error.hpp"

namespace halltwin::cli {

namespace fs = std::filesystem;

namespace {
std::string temp_name(const std::string& path) { return path + ".tmp." + std::to_string(::getpid()); }

[[noreturn]] void fail(const std::string& path, const std::string& flag, const std::string& why) {
  throw InputError(InputProblem{path, 0, 0, flag, "cannot write output file: " + why});
}
}  // namespace

void probe_writable(const std::string& path, const std::string& flag) {
  if (path.empty()) fail(path, flag, "empty path");
  if (fs::is_directory(path)) fail(path, flag, "it is a directory");
  const std::string tmp = temp_name(path);
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) fail(path, flag, std::strerror(errno));
  }
  std::remove(tmp.c_str());
}

void write_file_atomically(const std::string& path, const std::string& content, const std::string& flag) {
  const std::string tmp = temp_name(path);
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) fail(path, flag, std::strerror(errno));
    out << content;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      fail(path, flag, "write failed");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    fail(path, flag, ec.message());
  }
}

}  // namespace halltwin::cli
