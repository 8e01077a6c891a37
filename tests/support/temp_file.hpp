#pragma once
// Test support: write text to a fresh temporary file that is removed when the
// object goes out of scope.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace halltwin::testing {

class TempFile {
 public:
  explicit TempFile(const std::string& content, const std::string& suffix = ".yaml") {
    std::string tmpl = "/tmp/halltwin-test-XXXXXX" + suffix;
    int fd = ::mkstemps(tmpl.data(), static_cast<int>(suffix.size()));
    if (fd < 0) std::abort();
    ::close(fd);
    path_ = tmpl;
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Replaces the first occurrence of `from` in `text` (which must occur).
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  if (pos == std::string::npos) std::abort();
  return text.replace(pos, from.size(), to);
}

}  // namespace halltwin::testing
