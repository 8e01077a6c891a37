#pragma once
// Support for the libFuzzer harnesses (docs/fuzzing.md). The readers take file
// paths, so each harness writes its input to a file in a private directory
// (one per process, so that parallel fuzzers never share a file and a
// rulebook's relative `extends:` finds nothing but what the fuzzer wrote) and
// calls the loader on it. InputError is the expected answer to bad input;
// every other exception escapes the harness on purpose: libFuzzer reports it
// as a crash, with the input that caused it.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "model/input_error.hpp"

namespace halltwin::fuzz {

class InputFile {
 public:
  // `name` is the file name inside the private directory, e.g. "hall.yaml".
  explicit InputFile(const std::string& name) {
    std::string dir = "/tmp/halltwin-fuzz-XXXXXX";
    if (::mkdtemp(dir.data()) == nullptr) std::abort();  // the harness cannot run at all
    dir_ = dir;
    path_ = dir_ + "/" + name;
  }
  ~InputFile() {
    std::remove(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // Replaces the file's content with the fuzzer's bytes and returns its path.
  const std::string& write(const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) std::abort();  // a full /tmp would make every later run meaningless
    return path_;
  }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

// Runs `load`; an InputError is the reader saying no, which is fine. Returns
// whether the input loaded.
template <class F>
bool loads(F&& load) {
  try {
    load();
    return true;
  } catch (const InputError& e) {
    // The message must name something: an empty what() would leave the user
    // with nothing to fix (README: file, line, field and what was expected).
    if (e.problems().empty() || e.what()[0] == '\0') std::abort();
    return false;
  }
}

}  // namespace halltwin::fuzz
