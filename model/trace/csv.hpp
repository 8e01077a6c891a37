#pragma once
// RFC 4180 CSV, the part the trace format needs: quoting a field on output, and
// a streaming record splitter on input that knows where each field started
// (line and column) so that errors can point at it. Usable by any reader of
// CSV exports (the real-queue-data connector reads the same dialect).
//
// Dialect: fields separated by ',', records by LF or CRLF; a field containing
// ',', '"', CR or LF is enclosed in '"' with inner '"' doubled; a quoted field
// may span lines. A UTF-8 byte-order mark at the start of the input is skipped.
// Text is bytes (UTF-8 is passed through untouched).
#include <cstdint>
#include <istream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace halltwin::csv {

// True when `field` must be quoted: it contains ',', '"', CR or LF.
bool needs_quotes(std::string_view field);

// Appends `field` to `out`, quoted and escaped when needed, verbatim otherwise.
void append_field(std::string& out, std::string_view field);

// 1-based column, counted in characters (UTF-8 code points), of byte `offset`
// of `line`; what editors show for "FILE:LINE:COLUMN".
int column_of(std::string_view line, std::size_t offset);

struct Field {
  std::string text;     // unescaped content
  int line = 0;         // 1-based physical line where the field starts
  int column = 0;       // 1-based character column where the field starts
  bool quoted = false;  // the field was enclosed in quotes
};

// A malformed record: an unterminated quoted field, a quote inside an
// unquoted field, text after a closing quote.
class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(int line, int column, const std::string& message)
      : std::runtime_error(message), line(line), column(column) {}
  int line;
  int column;
};

class RecordReader {
 public:
  // Reads from `in`, which must outlive the reader.
  explicit RecordReader(std::istream& in) : in_(&in) {}

  // Reads the next record; false at the end of the input. Blank lines are
  // skipped (they hold no record). Throws SyntaxError; throws
  // std::runtime_error when the stream fails other than at its end.
  bool next();

  // The fields of the last record read; valid until the next call to next().
  std::span<const Field> fields() const { return {fields_.data(), count_}; }
  // 1-based line where the last record started.
  int line() const { return record_line_; }
  // Number of physical lines consumed so far.
  int lines_read() const { return line_no_; }
  // The input started with a UTF-8 byte-order mark.
  bool had_bom() const { return had_bom_; }

 private:
  bool read_line();  // next physical line into line_, CR stripped; false at end
  Field& new_field(std::size_t pos);

  std::istream* in_;
  std::string line_;
  bool line_had_cr_ = false;
  bool started_ = false;
  bool had_bom_ = false;
  int line_no_ = 0;
  int record_line_ = 0;
  std::vector<Field> fields_;  // grows; strings keep their capacity between records
  std::size_t count_ = 0;
};

}  // namespace halltwin::csv
