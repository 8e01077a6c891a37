// docs/trace-format.md is the reference: its example must be what the writer
// writes, and its tables must list exactly the vocabulary the code knows.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "model/trace/trace_reader.hpp"
#include "tests/trace/example_trace.hpp"

namespace halltwin {
namespace {

std::string doc_text() {
  std::ifstream in(std::string(HALLTWIN_SOURCE_DIR) + "/docs/trace-format.md", std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The body of the first ```csv block after `heading`.
std::string csv_block_after(const std::string& doc, const std::string& heading) {
  auto at = doc.find(heading);
  if (at == std::string::npos) return {};
  auto open = doc.find("```csv\n", at);
  if (open == std::string::npos) return {};
  open += 7;
  auto close = doc.find("```", open);
  return doc.substr(open, close - open);
}

TEST(TraceTest, DocExampleIsWhatTheWriterWrites) {
  const std::string doc = doc_text();
  ASSERT_FALSE(doc.empty()) << "docs/trace-format.md not found";
  const std::string example = csv_block_after(doc, "\n## Example");
  EXPECT_EQ(example, test::kExampleCsv);
  std::istringstream in(example);
  TraceReader reader(in, "docs/trace-format.md example");
  TraceEvent e;
  std::size_t n = 0;
  while (reader.next(e)) ++n;
  EXPECT_EQ(n, test::example_events().size());
}

TEST(TraceTest, DocListsEveryEventTypeAndColumn) {
  const std::string doc = doc_text();
  for (auto type : names<EventType>())
    EXPECT_NE(doc.find(fmt::format("| `{}` |", type)), std::string::npos)
        << type << " missing from the doc's table";
  for (auto column : trace_column_names())
    EXPECT_NE(doc.find(fmt::format("| `{}` |", column)), std::string::npos)
        << column << " missing from the doc";
  for (auto key : kTraceHeaderKeys)
    EXPECT_NE(doc.find(fmt::format("| `#{}` |", key)), std::string::npos) << key << " missing from the doc";
}

}  // namespace
}  // namespace halltwin
