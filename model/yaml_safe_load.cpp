#include "model/yaml_safe_load.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/eventhandler.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <sstream>
#include <unordered_set>
#include <vector>

#include "model/input_error.hpp"
#include "model/text.hpp"

namespace halltwin {

namespace {

[[noreturn]] void fail(const std::string& file, int line, int column, std::string field,
                       std::string message) {
  throw InputError(InputProblem{file, line, column, std::move(field), std::move(message)});
}

// 1-based line and column (in characters, not bytes) of byte `offset`.
std::pair<int, int> line_column(const std::string& text, std::size_t offset) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') ++line, line_start = i + 1;
  int column = 1;
  for (std::size_t i = line_start; i < offset; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  return {line, column};
}

std::string read_bytes(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    fail(path, 0, 0, "", std::string("cannot open file for reading: ") + std::strerror(err));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
    fail(path, 0, 0, "", "is a directory; expected a YAML file");
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      fail(path, 0, 0, "", std::string("cannot read file: ") + std::strerror(err));
    }
    if (n == 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
    // Also bounds endless sources such as /dev/zero.
    if (bytes.size() > kYamlMaxFileBytes)
      fail(path, 0, 0, "",
           fmt::format("file is larger than {} MiB; halltwin refuses it", kYamlMaxFileBytes >> 20));
  }
  return bytes;
}

void check_text(const std::string& text, const std::string& file) {
  if (auto bad = first_invalid_utf8(text)) {
    const auto [line, column] = line_column(text, *bad);
    fail(file, line, column, "",
         fmt::format("not valid UTF-8 (byte 0x{:02X}); a file exported in GBK or another legacy encoding "
                     "must be converted to UTF-8 first (e.g. iconv -f GBK -t UTF-8)",
                     static_cast<unsigned char>(text[*bad])));
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r' || (i + 1 < text.size() && text[i + 1] == '\n')) continue;
    const auto [line, column] = line_column(text, i);
    fail(file, line, column, "",
         "a line ends with a lone carriage return (CR-only line endings, as from classic Mac OS); "
         "save the file with LF or CRLF line endings");
  }
  // A NUL byte is valid UTF-8 but never part of a YAML text (yaml-cpp would stop reading there).
  if (auto nul = text.find('\0'); nul != std::string::npos) {
    const auto [line, column] = line_column(text, nul);
    fail(file, line, column, "", "contains a NUL byte; expected a UTF-8 text file");
  }
}

// One walk over the parsed graph with a depth limit, a visit budget (alias
// re-visits counted), a scalar-bytes budget, cycle and duplicate-key detection.
class Walker {
 public:
  Walker(const std::string& file, std::size_t file_bytes)
      : file_(file), max_scalar_bytes_(kYamlExtraScalarBytes + file_bytes) {}

  void walk(const YAML::Node& node) {
    if (++visits_ > kYamlMaxVisits)
      fail_at(node, fmt::format("the document expands to more than {} nodes through its aliases (an alias "
                                "bomb?); halltwin refuses it",
                                kYamlMaxVisits));
    for (const auto& step : path_)
      if (step.node.is(node))
        fail_at(node, "an alias refers to a node that contains it (an alias cycle); halltwin refuses it");
    if (static_cast<int>(path_.size()) >= kYamlMaxDepth)
      fail_at(node, fmt::format("nested deeper than {} levels; halltwin refuses it", kYamlMaxDepth));
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        scalar_bytes_ += node.Scalar().size();
        if (scalar_bytes_ > max_scalar_bytes_)
          fail_at(node, fmt::format("the document's text expands to more than {} MiB through its aliases (an "
                                    "alias bomb?); halltwin refuses it",
                                    max_scalar_bytes_ >> 20));
        break;
      case YAML::NodeType::Sequence: {
        path_.push_back({node, {}, 0});
        std::size_t i = 0;
        for (const auto& item : node) {
          path_.back().index = i++;
          walk(item);
        }
        path_.pop_back();
        break;
      }
      case YAML::NodeType::Map: {
        path_.push_back({node, {}, 0});
        std::unordered_set<std::string> keys;
        for (const auto& kv : node) {
          path_.back().key = kv.first.IsScalar() ? kv.first.Scalar() : std::string("?");
          walk(kv.first);
          if (kv.first.IsScalar() && !keys.insert(kv.first.Scalar()).second) {
            path_.back().key.clear();
            fail_at(kv.first,
                    fmt::format("key '{}' appears twice in the same map", shorten(kv.first.Scalar())),
                    /*with_field=*/true);
          }
          walk(kv.second);
        }
        path_.pop_back();
        break;
      }
      default:
        break;
    }
  }

 private:
  struct Step {
    YAML::Node node;
    std::string key;    // the key being walked, for maps
    std::size_t index;  // the item being walked, for lists
  };

  // The dotted field path of the current position, as loaders spell it.
  std::string field() const {
    std::string out;
    for (std::size_t i = 0; i < path_.size(); ++i) {
      const auto& s = path_[i];
      if (s.node.IsSequence()) {
        out += fmt::format("[{}]", s.index);
      } else if (!s.key.empty()) {
        if (!out.empty()) out += '.';
        out += shorten(s.key);
      }
    }
    return out.empty() ? "(top level)" : out;
  }

  [[noreturn]] void fail_at(const YAML::Node& node, std::string message, bool with_field = false) const {
    const auto m = node.Mark();
    fail(file_, m.line < 0 ? 0 : m.line + 1, m.line < 0 ? 0 : m.column + 1, with_field ? field() : "",
         std::move(message));
  }

  const std::string& file_;
  std::size_t max_scalar_bytes_;
  std::size_t visits_ = 0, scalar_bytes_ = 0;
  std::vector<Step> path_;
};

// Where the second document of a stream starts: the mark of its first node and
// whether that node is null (an empty document), for the message below. Reads
// events only; builds no nodes.
class SecondDocument : public YAML::EventHandler {
 public:
  int documents = 0;
  YAML::Mark first_node = YAML::Mark::null_mark();
  bool null_root = false;

  void OnDocumentStart(const YAML::Mark&) override { ++documents, seen_ = false; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { node(m, true); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { node(m, false); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override {
    node(m, false);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(m, false);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(m, false);
  }
  void OnMapEnd() override {}

 private:
  void node(const YAML::Mark& m, bool null) {
    if (documents == 2 && !seen_) first_node = m, null_root = null;
    seen_ = true;
  }
  bool seen_ = false;
};

// A second document needs a line starting with "---" (or one after a "..." end marker).
bool may_hold_several_documents(const std::string& text) {
  for (std::size_t pos = 0; pos < text.size();) {
    if (text.compare(pos, 3, "---") == 0 || text.compare(pos, 3, "...") == 0) return true;
    pos = text.find('\n', pos);
    if (pos == std::string::npos) break;
    ++pos;
  }
  return false;
}

}  // namespace

YAML::Node load_yaml_text(const std::string& text, const std::string& file) {
  check_text(text, file);
  YAML::Node doc;
  SecondDocument second;
  try {
    // The first document only, then at most one more parsed as events: never YAML::LoadAll,
    // which in yaml-cpp 0.7 loops forever, allocating, on a stray ',' (one empty document after
    // another without consuming the token; jbeder/yaml-cpp#1040, fixed upstream after 0.8 by
    // PR #1319). tests/fuzz/ found it (docs/fuzzing.md).
    doc = YAML::Load(text);
    if (may_hold_several_documents(text)) {
      std::istringstream in(text);
      YAML::Parser parser(in);
      for (int i = 0; i < 2 && parser.HandleNextDocument(second); ++i) {
      }
    }
  } catch (const YAML::ParserException& e) {
    fail(file, e.mark.line + 1, e.mark.column + 1, "", "YAML syntax: " + e.msg);
  }
  if (second.documents > 1) {
    // Name the line of the `---` that starts the second document: the last one at or
    // before its first node (an empty document has no position: the last one at all).
    auto m = second.first_node;
    const int limit = second.null_root || m.line < 0 ? std::numeric_limits<int>::max() : m.line;
    int line = 0;
    for (std::size_t pos = 0; pos < text.size() && line <= limit; ++line) {
      if (text.compare(pos, 3, "---") == 0) m.line = line, m.column = 0;
      pos = text.find('\n', pos);
      if (pos == std::string::npos) break;
      ++pos;
    }
    fail(file, m.line < 0 ? 0 : m.line + 1, m.line < 0 ? 0 : m.column + 1, "",
         "a second YAML document (after '---'); a halltwin file holds exactly one document");
  }
  Walker(file, text.size()).walk(doc);
  return doc;
}

YAML::Node load_yaml_file(const std::string& path) { return load_yaml_text(read_bytes(path), path); }

}  // namespace halltwin
