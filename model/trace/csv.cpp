#include "model/trace/csv.hpp"

namespace halltwin::csv {

bool needs_quotes(std::string_view field) { return field.find_first_of(",\"\r\n") != std::string_view::npos; }

void append_field(std::string& out, std::string_view field) {
  if (!needs_quotes(field)) {
    out.append(field);
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

int column_of(std::string_view line, std::size_t offset) {
  int column = 1;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;  // not a continuation byte
  return column;
}

bool RecordReader::read_line() {
  if (!std::getline(*in_, line_)) {
    if (in_->bad()) throw std::runtime_error("read error");
    return false;
  }
  ++line_no_;
  if (!started_) {
    started_ = true;
    if (line_.starts_with("\xEF\xBB\xBF")) {
      had_bom_ = true;
      line_.erase(0, 3);
    }
  }
  line_had_cr_ = !line_.empty() && line_.back() == '\r';
  if (line_had_cr_) line_.pop_back();
  return true;
}

Field& RecordReader::new_field(std::size_t pos) {
  if (count_ == fields_.size()) fields_.emplace_back();
  Field& f = fields_[count_++];
  f.text.clear();
  f.line = line_no_;
  f.column = column_of(line_, pos);
  f.quoted = false;
  return f;
}

bool RecordReader::next() {
  count_ = 0;
  do {
    if (!read_line()) return false;
  } while (line_.empty());
  record_line_ = line_no_;

  std::size_t pos = 0;
  for (;;) {  // one iteration per field
    Field& f = new_field(pos);
    if (pos < line_.size() && line_[pos] == '"') {
      f.quoted = true;
      ++pos;
      for (;;) {  // until the closing quote, possibly on a later line
        std::size_t q = line_.find('"', pos);
        if (q == std::string::npos) {
          f.text.append(line_, pos);
          f.text += line_had_cr_ ? "\r\n" : "\n";
          if (!read_line())
            throw SyntaxError(f.line, f.column, "quoted field not closed before the end of the file");
          pos = 0;
          continue;
        }
        f.text.append(line_, pos, q - pos);
        if (q + 1 < line_.size() && line_[q + 1] == '"') {  // "" is an escaped quote
          f.text += '"';
          pos = q + 2;
          continue;
        }
        pos = q + 1;
        break;
      }
      if (pos == line_.size()) return true;
      if (line_[pos] != ',')
        throw SyntaxError(line_no_, column_of(line_, pos),
                          "unexpected text after a closing quote (expected ',' or the end of the line)");
      ++pos;
      continue;
    }
    std::size_t comma = line_.find(',', pos);
    std::size_t end = comma == std::string::npos ? line_.size() : comma;
    std::size_t quote = line_.find('"', pos);
    if (quote < end)
      throw SyntaxError(line_no_, column_of(line_, quote),
                        "double quote inside an unquoted field (enclose the whole field in quotes and "
                        "double the inner quote)");
    f.text.append(line_, pos, end - pos);
    if (comma == std::string::npos) return true;
    pos = comma + 1;
  }
}

}  // namespace halltwin::csv
