#pragma once
// THE entry point for every YAML file halltwin reads: scenarios, rulebooks,
// and every format added later (queue-log mappings, new scenario sections).
// A new loader must read its file through `load_yaml_file` (directly or via
// `YamlInput::load_file`), never through YAML::LoadFile / YAML::Load, so that
// it gets the same protection against hostile files:
//
// - the bytes are read here (an unreadable file names the system's reason),
//   at most kYamlMaxFileBytes;
// - invalid UTF-8 (a GBK export) is refused with line and column;
// - CR-only line endings are refused plainly (LF and CRLF are fine);
// - a second YAML document (after `---`) is refused, naming its line, instead
//   of being silently ignored;
// - after parsing, one walk over the node graph refuses, with file and line:
//   nesting deeper than kYamlMaxDepth, an alias cycle (`a: &x [*x]`: yaml-cpp
//   shares aliased nodes, so a node already on the current path), an alias
//   bomb ("billion laughs": the walk counts every node it visits, alias
//   re-visits included, against kYamlMaxVisits, and the scalar bytes against
//   a budget), and duplicate keys in a map (YAML forbids them; yaml-cpp keeps
//   both silently).
//
// After a successful load every later traversal of the returned tree is
// bounded by those budgets, so loaders may recurse and copy freely.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>

namespace halltwin {

inline constexpr int kYamlMaxDepth = 64;
inline constexpr std::size_t kYamlMaxVisits = 1'000'000;
inline constexpr std::size_t kYamlMaxFileBytes = 64u << 20;  // 64 MiB
// Scalar bytes the walk may see (aliases re-counted): 32 MiB plus the file's size.
inline constexpr std::size_t kYamlExtraScalarBytes = 32u << 20;

// Reads, checks and parses `path`; throws InputError (file, line, column) on
// any of the problems above or a YAML syntax error. An empty file gives a
// Null node.
YAML::Node load_yaml_file(const std::string& path);

// The same checks on text already in memory (`file` names it in messages).
YAML::Node load_yaml_text(const std::string& text, const std::string& file);

}  // namespace halltwin
