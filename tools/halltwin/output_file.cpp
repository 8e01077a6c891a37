#include "tools/halltwin/output_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "model/input_error.hpp"

namespace halltwin::cli {

namespace fs = std::filesystem;

namespace {

struct Registry {
  std::vector<std::string> outputs;
  std::vector<std::string> inputs;
  std::vector<std::string> committed;  // targets this run wrote
};

Registry& registry() {
  static Registry r;
  return r;
}

[[noreturn]] void fail(const std::string& path, const std::string& flag, const std::string& why) {
  throw InputError(InputProblem{path, 0, 0, flag, "cannot write output file: " + why});
}

// Follows a chain of symlinks to the final target, even a dangling one (the
// file is then created there): renaming onto the link would replace it.
fs::path final_target(const std::string& path, const std::string& flag) {
  fs::path p = path;
  std::error_code ec;
  for (int hops = 0; fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
    if (hops == 40) fail(path, flag, "too many levels of symbolic links");
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) fail(path, flag, ec.message());
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  const fs::path canonical = fs::weakly_canonical(p, ec);
  return ec ? p : canonical;
}

bool same_file(const std::string& a, const std::string& b) {
  struct stat sa {
  }, sb{};
  if (::stat(a.c_str(), &sa) != 0 || ::stat(b.c_str(), &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

// A fresh temporary file beside `target` (same directory, so rename is atomic).
std::string make_temp(const fs::path& target, const std::string& path, const std::string& flag) {
  std::string tmpl = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  if (target.parent_path().empty()) tmpl = "." + target.filename().string() + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) {
    const int err = errno;
    fail(path, flag, std::strerror(err));
  }
  // Keep the permissions of the file we replace (mkstemp makes it 0600).
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode))
    ::fchmod(fd, st.st_mode & 07777);
  else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
  }
  ::close(fd);
  return tmpl;
}

}  // namespace

void register_output(const std::string& path) {
  for (const auto& p : registry().outputs)
    if (p == path) return;
  registry().outputs.push_back(path);
}

void register_inputs(const std::vector<std::string>& inputs) {
  for (const auto& i : inputs) registry().inputs.push_back(i);
}

OutputTarget probe_writable(const std::string& path, const std::string& flag,
                            const std::vector<std::string>& inputs) {
  if (path.empty())
    throw InputError(
        InputProblem{"(command line)", 0, 0, flag, "the output path is empty; expected a file name"});
  register_inputs(inputs);
  OutputTarget out;
  out.path = path;
  out.target = final_target(path, flag).string();
  for (const auto& input : registry().inputs)
    if (same_file(out.target, input))
      fail(path, flag, "it is the input file " + input + "; choose another output path");
  struct stat st {};
  if (::stat(out.target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) fail(path, flag, "it is a directory");
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
      if (::access(out.target.c_str(), W_OK) != 0) {
        const int err = errno;
        fail(path, flag, std::strerror(err));
      }
      out.write_through = true;
      return out;  // never registered: a device is never removed
    }
    if (!S_ISREG(st.st_mode)) fail(path, flag, "it is neither a regular file nor a character device");
  }
  const std::string tmp = make_temp(out.target, path, flag);
  std::remove(tmp.c_str());
  register_output(path);
  return out;
}

std::string probe_live(const std::string& path, const std::string& flag) {
  const OutputTarget t = probe_writable(path, flag);
  if (t.write_through) return t.target;
  // A fixed name beside the target, so that readers can find it: it must be ours to overwrite.
  const std::string partial = t.target + ".partial";
  struct stat st {};
  if (::lstat(partial.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    fail(path, flag, partial + " exists and is not a regular file");
  for (const auto& input : registry().inputs)
    if (same_file(partial, input)) fail(path, flag, partial + " is the input file " + input);
  return partial;
}

OutputFile::OutputFile(const std::string& path, const std::string& flag, bool live) : path_(path), flag_(flag) {
  const OutputTarget t = probe_writable(path, flag);
  target_ = t.target;
  if (!t.write_through && live) {
    temp_ = probe_live(path, flag);
  } else if (!t.write_through) {
    temp_ = make_temp(target_, path, flag);
  }
  // Writing through: no truncation worth the name on a device, and a FIFO takes the stream.
  out_.open(temp_.empty() ? target_ : temp_, std::ios::binary | std::ios::out | std::ios::trunc);
  if (!out_) {
    const int err = errno;
    if (!temp_.empty()) std::remove(temp_.c_str());
    temp_.clear();
    fail(path, flag, std::strerror(err));
  }
}

OutputFile::~OutputFile() {
  if (committed_) return;
  out_.close();
  if (!temp_.empty()) std::remove(temp_.c_str());
}

void OutputFile::commit() {
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (!ok || out_.fail()) fail(path_, flag_, "write failed (disk full?)");
  if (!temp_.empty()) {
    std::error_code ec;
    fs::rename(temp_, target_, ec);
    if (ec) fail(path_, flag_, ec.message());  // the destructor removes the temporary file
    registry().committed.push_back(target_);
  }
  committed_ = true;
}

void write_file_atomically(const std::string& path, const std::string& content, const std::string& flag) {
  OutputFile out(path, flag);
  out.stream() << content;
  out.commit();
}

void remove_outputs_after_failure(std::ostream& err) {
  for (const auto& path : registry().outputs) {
    std::error_code ec;
    const fs::path target = fs::weakly_canonical(path, ec);
    const std::string t = ec ? path : target.string();
    struct stat st {};
    if (::lstat(t.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;  // absent, a device, ...
    bool is_input = false;
    for (const auto& input : registry().inputs) is_input = is_input || same_file(t, input);
    if (is_input) continue;
    if (std::remove(t.c_str()) != 0) continue;
    bool ours = false;
    for (const auto& c : registry().committed) ours = ours || c == t;
    if (ours)
      err << "halltwin: removed " << path << ": it was written by this run, which then failed\n";
    else
      err << "halltwin: removed stale " << path << " from an earlier run\n";
  }
}

}  // namespace halltwin::cli
