#pragma once
// The one writer of output files for every command and flag (`check --json`,
// `view --screenshot`, and later `run --json/--trace`). Its promises:
//
// - Whole or absent: content goes to a temporary file beside the final target,
//   renamed over it when complete; a failed write leaves no partial file.
// - Never onto an input: `probe_writable` refuses an output that is one of the
//   run's input files (same device and inode: symlinks and hard links followed).
// - Symlinks are followed: the temporary file is written beside the link's
//   final target and renamed onto it, so the link stays a link.
// - Devices are written through: an existing character device (/dev/null,
//   /dev/stdout) or FIFO is opened and written directly, never replaced by
//   rename (which, as root, would replace the device node). Block devices,
//   sockets and directories are refused.
// - A failed run removes a stale file: `probe_writable` registers the path;
//   when the run fails (exit 2 or 3), main() calls `remove_outputs_after_failure`,
//   which deletes the regular file at each registered path (never an input,
//   never a device) and says so on stderr, so that a previous run's result is
//   not taken for this one's.
//
// Failures throw InputError with field = the flag (exit 2).
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

namespace halltwin::cli {

struct OutputTarget {
  std::string path;            // as given on the command line
  std::string target;          // the final target (symlinks followed)
  bool write_through = false;  // an existing character device or FIFO: written directly
};

// Checks early, before long work, that `path` can take the output of `flag`:
// refuses an empty path, a directory, a block device or socket, a path that is
// one of `inputs`, and a directory that cannot take a new file. Registers the
// path for removal after a failed run.
OutputTarget probe_writable(const std::string& path, const std::string& flag,
                            const std::vector<std::string>& inputs = {});

// probe_writable for a live output (OutputFile's `live`): also refuses a
// `<target>.partial` that is not a regular file or is one of the inputs.
// Returns the path written until commit (the target itself when written through).
std::string probe_live(const std::string& path, const std::string& flag);

// Writes `content` to `path` whole (or directly, for a device); throws InputError on failure.
void write_file_atomically(const std::string& path, const std::string& content, const std::string& flag);

// For large outputs: stream into `stream()`, then `commit()`. Without commit
// (an exception, an early return) the destructor removes the temporary file
// and the target is untouched.
//
// Live (`live`): for an output that others read while it grows (`import
// --follow --trace`): a regular target is written in place as
// `<target>.partial` (a fixed name readers can open), renamed onto the target
// by commit(); without commit the .partial file is removed, as a temporary
// file is. Devices and FIFOs are written through as always.
class OutputFile {
 public:
  OutputFile(const std::string& path, const std::string& flag, bool live = false);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  std::ostream& stream() { return out_; }
  // Where the content goes until commit() (the target itself when written through).
  const std::string& writing_to() const { return temp_.empty() ? target_ : temp_; }
  // Flushes and renames onto the target; throws InputError on failure.
  void commit();

 private:
  std::string path_, flag_, target_, temp_;  // temp_ empty when writing through
  std::ofstream out_;
  bool committed_ = false;
};

// Registers an output path (probe_writable does it) and the run's inputs, which
// are never removed.
void register_output(const std::string& path);
void register_inputs(const std::vector<std::string>& inputs);
// After a failed run: removes the regular file at each registered output path
// and writes one line per removal to `err`.
void remove_outputs_after_failure(std::ostream& err);

}  // namespace halltwin::cli
