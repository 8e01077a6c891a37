#include "model/trace/trace_merge.hpp"

#include <cstdlib>
#include <utility>

namespace halltwin {

std::string merge_traces(const std::vector<std::string>& texts) {
  struct Cursor {
    std::size_t pos = 0;
    const std::string* text = nullptr;
  };
  std::string out;
  std::vector<Cursor> cur(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    cur[i].text = &texts[i];
    // Skip the header: the comment lines and the column line.
    std::size_t p = 0;
    while (p < texts[i].size()) {
      const std::size_t e = texts[i].find('\n', p);
      const std::size_t next = e == std::string::npos ? texts[i].size() : e + 1;
      const bool column_line = texts[i].compare(p, 4, "day,") == 0;
      if (i == 0) out.append(texts[i], p, next - p);
      p = next;
      if (column_line) break;
    }
    cur[i].pos = p;
  }
  auto key = [](const Cursor& c) {
    const char* s = c.text->data() + c.pos;
    char* end = nullptr;
    const double day = std::strtod(s, &end);
    const double t = std::strtod(end + 1, nullptr);
    return std::pair<double, double>{day, t};
  };
  for (;;) {
    int best = -1;
    std::pair<double, double> bk;
    for (std::size_t i = 0; i < cur.size(); ++i) {
      if (cur[i].pos >= cur[i].text->size()) continue;
      const auto k = key(cur[i]);
      if (best < 0 || k < bk) best = static_cast<int>(i), bk = k;
    }
    if (best < 0) break;
    Cursor& c = cur[static_cast<std::size_t>(best)];
    const std::size_t e = c.text->find('\n', c.pos);
    const std::size_t next = e == std::string::npos ? c.text->size() : e + 1;
    out.append(*c.text, c.pos, next - c.pos);
    c.pos = next;
  }
  return out;
}

}  // namespace halltwin
