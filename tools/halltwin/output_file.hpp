#pragma once
// Output files are written whole or not at all: content goes to a temporary
// file beside the target, renamed over it when complete. `probe` checks early
// that the target can be written, so that a bad path fails before long work.
#include <string>

namespace halltwin::cli {

// Throws InputError (field = flag) when the path's directory cannot take a file.
void probe_writable(const std::string& path, const std::string& flag);
// Writes `content` to `path` atomically; throws InputError on failure.
void write_file_atomically(const std::string& path, const std::string& content, const std::string& flag);

}  // namespace halltwin::cli
