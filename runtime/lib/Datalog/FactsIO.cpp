//===- FactsIO.cpp - Soufflé fact files in, Soufflé CSV out ---------------===//

#include "rune/Runtime/Datalog/FactsIO.h"

#include "rune/Runtime/SourceDiagnostic.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace rune::datalog {

namespace {

bool isCSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
         c == '\r';
}

/// The field quoted for a message, shortened so a huge field does not
/// swamp it.
[[gnu::cold]] std::string quoted(std::string_view text) {
  constexpr size_t kMaxShown = 40;
  std::string out = "'";
  if (text.size() > kMaxShown) {
    out += text.substr(0, kMaxShown);
    out += "...";
  } else {
    out += text;
  }
  out += "'";
  return out;
}

/// Parses `digits` entirely in `base`; false on an empty string, a foreign
/// character or a value above `max`.
bool parseDigits(std::string_view digits, int base, uint64_t max,
                 uint64_t &value, bool &overflow) {
  overflow = false;
  if (digits.empty())
    return false;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(),
                                   value, base);
  if (end != digits.data() + digits.size())
    return false;
  if (ec == std::errc::result_out_of_range || value > max) {
    overflow = true;
    return false;
  }
  return ec == std::errc();
}

/// Digits must start the view (from_chars itself would reject a sign, but
/// a second sign after ours must not slip through as "valid").
bool startsWithDigit(std::string_view text) {
  return !text.empty() && text[0] != '+' && text[0] != '-';
}

std::optional<Word> parseNumber(std::string_view text, std::string &error) {
  // As std::stoi: leading white space, one optional sign, decimal digits.
  size_t i = 0;
  while (i < text.size() && isCSpace(text[i]))
    ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-'))
    negative = text[i++] == '-';
  std::string_view digits = text.substr(i);
  uint64_t magnitude = 0;
  bool overflow = false;
  bool parsed = startsWithDigit(digits) &&
                parseDigits(digits, 10, std::numeric_limits<uint64_t>::max(),
                            magnitude, overflow);
  if (!parsed && !overflow) {
    error = "expected a number, got " + quoted(text);
    return std::nullopt;
  }
  uint64_t limit = negative ? uint64_t(1) << 31 : (uint64_t(1) << 31) - 1;
  if (overflow || magnitude > limit) {
    error = "number out of the 32-bit range: " + quoted(text);
    return std::nullopt;
  }
  int64_t value = negative ? -int64_t(magnitude) : int64_t(magnitude);
  return encodeNumber(static_cast<int32_t>(value));
}

std::optional<Word> parseUnsigned(std::string_view text, std::string &error) {
  // Soufflé: no minus sign; 0b binary, 0x hexadecimal, else as std::stoul.
  int base = 10;
  std::string_view digits = text;
  if (!text.empty() && text[0] == '-') {
    error = "expected an unsigned number, got " + quoted(text);
    return std::nullopt;
  }
  if (text.substr(0, 2) == "0b") {
    base = 2;
    digits = text.substr(2);
  } else if (text.substr(0, 2) == "0x") {
    base = 16;
    digits = text.substr(2);
  } else {
    size_t i = 0;
    while (i < text.size() && isCSpace(text[i]))
      ++i;
    if (i < text.size() && text[i] == '+')
      ++i;
    digits = text.substr(i);
  }
  uint64_t value = 0;
  bool overflow = false;
  if (!startsWithDigit(digits) ||
      !parseDigits(digits, base, std::numeric_limits<uint32_t>::max(), value,
                   overflow)) {
    error = overflow
                ? "unsigned number out of the 32-bit range: " + quoted(text)
                : "expected an unsigned number, got " + quoted(text);
    return std::nullopt;
  }
  return encodeUnsigned(static_cast<uint32_t>(value));
}

std::optional<Word> parseFloat(std::string_view text, std::string &error) {
  // std::stof: strtof on the whole field, ERANGE is an error.
  std::string copy(text);
  if (copy.empty() || copy.find('\0') != std::string::npos) {
    error = "expected a float, got " + quoted(text);
    return std::nullopt;
  }
  errno = 0;
  char *end = nullptr;
  float value = std::strtof(copy.c_str(), &end);
  if (end == copy.c_str() || end != copy.c_str() + copy.size()) {
    error = "expected a float, got " + quoted(text);
    return std::nullopt;
  }
  if (errno == ERANGE) {
    error = "float out of range: " + quoted(text);
    return std::nullopt;
  }
  return encodeFloat(value);
}

std::optional<Word> parseAny(std::string_view text, SymbolTable &symbols,
                             std::string &error) {
  if (text == "true" || text == "false")
    return encodeAnyBool(text == "true");
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && digits[0] == '-') {
    negative = true;
    digits.remove_prefix(1);
  }
  uint64_t magnitude = 0;
  bool overflow = false;
  if (startsWithDigit(digits) &&
      parseDigits(digits, 10, std::numeric_limits<uint64_t>::max(), magnitude,
                  overflow)) {
    if (negative ? magnitude > uint64_t(-kAnyIntegerMin)
                 : magnitude > uint64_t(kAnyIntegerMax)) {
      error =
          "integer out of the 62-bit range of an any column: " + quoted(text);
      return std::nullopt;
    }
    return encodeAnyInteger(negative ? -int64_t(magnitude)
                                     : int64_t(magnitude));
  }
  if (overflow) {
    error = "integer out of the 62-bit range of an any column: " + quoted(text);
    return std::nullopt;
  }
  return encodeAnySymbol(symbols.intern(text));
}

/// Parses fact lines one at a time into a relation, so a file can be read
/// in blocks (memory stays at one block plus the relation, whatever the
/// file's size) and a string in one go, with the same messages.
class LineParser {
public:
  LineParser(std::string_view sourceName, SymbolTable &symbols,
             Relation &target, const FactsOptions &options)
      : sourceName(sourceName), symbols(symbols), target(target),
        delimiter(options.delimiter), tuple(target.arity()) {}

  /// False (with `error` set) when the options cannot be used.
  bool checkOptions(std::string &error) const {
    if (!delimiter.empty() && delimiter.find('\n') == std::string::npos)
      return true;
    error = sourceName + ": error: invalid column delimiter";
    return false;
  }

  /// Parses one line (without its '\n'). False with a located message in
  /// `error` when the line is bad.
  bool parseLine(std::string_view line, std::string &error) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    unsigned arity = target.arity();
    if (arity == 0) {
      // Any line at all means the nullary fact holds (its text is not read,
      // as in Soufflé).
      target.insert(nullptr);
      return true;
    }
    const std::vector<ColumnType> &types = target.columnTypes();
    size_t position = 0;
    for (unsigned column = 0; column < arity; ++column) {
      if (column > 0) {
        if (position >= line.size() ||
            line.compare(position, delimiter.size(), delimiter) != 0)
          return fail(line, position, error,
                      "missing column " + std::to_string(column + 1) +
                          ": expected " + std::to_string(arity) +
                          " columns, found " + std::to_string(column));
        position += delimiter.size();
      }
      size_t fieldEnd = line.find(delimiter, position);
      if (fieldEnd == std::string_view::npos)
        fieldEnd = line.size();
      if (column + 1 == arity && fieldEnd != line.size())
        return fail(line, fieldEnd, error,
                    "too many columns: expected " + std::to_string(arity));
      std::string_view field = line.substr(position, fieldEnd - position);
      std::optional<Word> value =
          parseFactValue(types[column], field, symbols, valueError);
      if (!value)
        return fail(line, position, error, valueError);
      tuple[column] = *value;
      position = fieldEnd;
    }
    target.insert(tuple.data());
    return true;
  }

  /// Parses every complete line of `text`; with `final`, a last line
  /// without '\n' too. Returns the bytes consumed (or npos after an error).
  size_t parseBlock(std::string_view text, bool final, std::string &error) {
    size_t lineStart = 0;
    while (lineStart < text.size()) {
      size_t lineEnd = text.find('\n', lineStart);
      if (lineEnd == std::string_view::npos) {
        if (!final)
          return lineStart;
        lineEnd = text.size();
      }
      if (!parseLine(text.substr(lineStart, lineEnd - lineStart), error))
        return std::string_view::npos;
      lineStart = lineEnd + 1;
    }
    return text.size();
  }

private:
  [[gnu::cold]] bool fail(std::string_view line, size_t column,
                          std::string &error,
                          const std::string &message) const {
    // Format against the line alone, then put the real line number in.
    std::string formatted =
        formatSourceDiagnostic(sourceName, line, column, message);
    std::string firstLine = sourceName + ":1:";
    error = sourceName + ":" + std::to_string(lineNumber) + ":" +
            formatted.substr(firstLine.size());
    return false;
  }

  std::string sourceName;
  SymbolTable &symbols;
  Relation &target;
  const std::string &delimiter;
  std::vector<Word> tuple;
  std::string valueError;
  size_t lineNumber = 0;
};

/// Runs `parse(Relation &)` all-or-nothing: an empty relation is filled in
/// place (and emptied again on error); otherwise the facts are staged and
/// merged on success.
template <typename Parse> bool allOrNothing(Relation &into, Parse &&parse) {
  if (into.empty()) {
    if (parse(into))
      return true;
    into.clear();
    return false;
  }
  Relation staged(into.columnTypes(), {into.indexOrder(0)});
  if (!parse(staged))
    return false;
  into.insertAll(staged);
  return true;
}

} // namespace

namespace {

void appendFloat(std::string &out, float value) {
  // What `std::ostream << float` prints at precision max_digits10 (9) with
  // the default float field, i.e. printf's %.9g.
  char buffer[48];
  int length = std::snprintf(buffer, sizeof buffer, "%.*g",
                             std::numeric_limits<float>::max_digits10,
                             static_cast<double>(value));
  out.append(buffer, static_cast<size_t>(length));
}

void appendSymbol(std::string &out, uint32_t id, const SymbolTable &symbols) {
  if (!symbols.isValid(id))
    throw std::out_of_range("symbol id " + std::to_string(id) +
                            " is not in the symbol table");
  out += symbols.resolve(id);
}

} // namespace

std::optional<Word> parseFactValue(ColumnType type, std::string_view text,
                                   SymbolTable &symbols, std::string &error) {
  switch (type) {
  case ColumnType::Number:
    return parseNumber(text, error);
  case ColumnType::Unsigned:
    return parseUnsigned(text, error);
  case ColumnType::Float:
    return parseFloat(text, error);
  case ColumnType::Symbol:
    return encodeSymbol(symbols.intern(text));
  case ColumnType::Any:
    return parseAny(text, symbols, error);
  }
  error = "unknown column type";
  return std::nullopt;
}

bool parseFacts(std::string_view sourceName, std::string_view text,
                SymbolTable &symbols, Relation &into, std::string &error,
                const FactsOptions &options) {
  return allOrNothing(into, [&](Relation &target) {
    LineParser parser(sourceName, symbols, target, options);
    return parser.checkOptions(error) &&
           parser.parseBlock(text, /*final=*/true, error) !=
               std::string_view::npos;
  });
}

bool readFactsFile(const std::string &path, SymbolTable &symbols,
                   Relation &into, std::string &error,
                   const FactsOptions &options) {
  std::ifstream file(path, std::ios::in | std::ios::binary);
  if (!file) {
    error = path + ": error: cannot open fact file: " + std::strerror(errno);
    return false;
  }
  // Blocks of 1 MiB: a line cut by the block end is carried over.
  constexpr size_t kBlockBytes = size_t(1) << 20;
  return allOrNothing(into, [&](Relation &target) {
    LineParser parser(path, symbols, target, options);
    if (!parser.checkOptions(error))
      return false;
    std::string buffer;
    size_t carried = 0;
    while (true) {
      buffer.resize(carried + kBlockBytes);
      file.read(buffer.data() + carried,
                static_cast<std::streamsize>(kBlockBytes));
      size_t got = static_cast<size_t>(file.gcount());
      if (file.bad()) {
        error =
            path + ": error: cannot read fact file: " + std::strerror(errno);
        return false;
      }
      buffer.resize(carried + got);
      bool final = got == 0 || file.eof();
      size_t consumed = parser.parseBlock(buffer, final, error);
      if (consumed == std::string_view::npos)
        return false;
      if (final)
        return true;
      buffer.erase(0, consumed);
      carried = buffer.size();
    }
  });
}

void appendValue(std::string &out, ColumnType type, Word value,
                 const SymbolTable &symbols) {
  char buffer[24];
  auto appendInteger = [&](auto number) {
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
    (void)ec;
    out.append(buffer, end);
  };
  switch (type) {
  case ColumnType::Number:
    appendInteger(decodeNumber(value));
    return;
  case ColumnType::Unsigned:
    appendInteger(decodeUnsigned(value));
    return;
  case ColumnType::Float:
    appendFloat(out, decodeFloat(value));
    return;
  case ColumnType::Symbol:
    appendSymbol(out, decodeSymbol(value), symbols);
    return;
  case ColumnType::Any:
    switch (anyKind(value)) {
    case AnyKind::Integer:
      appendInteger(decodeAnyInteger(value));
      return;
    case AnyKind::Symbol:
      appendSymbol(out, decodeAnySymbol(value), symbols);
      return;
    case AnyKind::Bool:
      out += decodeAnyBool(value) ? "true" : "false";
      return;
    }
    throw std::out_of_range("invalid tag in an any value");
  }
}

std::string formatValue(ColumnType type, Word value,
                        const SymbolTable &symbols) {
  std::string out;
  appendValue(out, type, value, symbols);
  return out;
}

namespace {

/// Receives the output text in chunks (a plain function pointer, so the
/// formatting loop exists once in the binary).
using ChunkSink = void (*)(void *context, std::string_view chunk);

/// Streams the relation's lines through a buffer of about `kFlushBytes`.
void emitFacts(const Relation &relation, const SymbolTable &symbols,
               const FactsOptions &options, ChunkSink sink, void *context) {
  constexpr size_t kFlushBytes = 1 << 16;
  std::string buffer;
  if (relation.arity() == 0) {
    if (!relation.empty())
      sink(context, std::string_view("()\n"));
    return;
  }
  const std::vector<ColumnType> &types = relation.columnTypes();
  for (Relation::Cursor c = relation.scan(); c.valid(); c.next()) {
    const Word *tuple = c.tuple();
    for (unsigned column = 0; column < relation.arity(); ++column) {
      if (column > 0)
        buffer += options.delimiter;
      appendValue(buffer, types[column], tuple[column], symbols);
    }
    buffer += '\n';
    if (buffer.size() >= kFlushBytes) {
      sink(context, std::string_view(buffer));
      buffer.clear();
    }
  }
  if (!buffer.empty())
    sink(context, std::string_view(buffer));
}

} // namespace

std::string formatFacts(const Relation &relation, const SymbolTable &symbols,
                        const FactsOptions &options) {
  std::string out;
  emitFacts(
      relation, symbols, options,
      [](void *context, std::string_view chunk) {
        *static_cast<std::string *>(context) += chunk;
      },
      &out);
  return out;
}

void writeFacts(std::ostream &out, const Relation &relation,
                const SymbolTable &symbols, const FactsOptions &options) {
  emitFacts(
      relation, symbols, options,
      [](void *context, std::string_view chunk) {
        static_cast<std::ostream *>(context)->write(
            chunk.data(), static_cast<std::streamsize>(chunk.size()));
      },
      &out);
}

bool writeFactsFile(const std::string &path, const Relation &relation,
                    const SymbolTable &symbols, std::string &error,
                    const FactsOptions &options) {
  // C stdio rather than ofstream/filesystem: the same job in a fraction of
  // the code, which matters for the shared runtime's size budget.
  std::string temporary = path + ".partial";
  auto fail = [&](int code) {
    error = path + ": error: cannot write output file: " + std::strerror(code);
    std::remove(temporary.c_str());
    return false;
  };
  std::FILE *file = std::fopen(temporary.c_str(), "wb");
  if (!file) {
    error = path + ": error: cannot write output file: " + std::strerror(errno);
    return false;
  }
  struct Output {
    std::FILE *file;
    bool written = true;
    int code = 0;
  } output{file};
  emitFacts(
      relation, symbols, options,
      [](void *context, std::string_view chunk) {
        auto *out = static_cast<Output *>(context);
        if (out->written && std::fwrite(chunk.data(), 1, chunk.size(),
                                        out->file) != chunk.size()) {
          out->written = false;
          out->code = errno;
        }
      },
      &output);
  bool written = output.written;
  int code = output.code;
  if (std::fclose(file) != 0 && written) {
    written = false;
    code = errno;
  }
  if (!written)
    return fail(code);
  if (std::rename(temporary.c_str(), path.c_str()) != 0)
    return fail(errno);
  return true;
}

void writeStdoutBlock(std::ostream &out, std::string_view relationName,
                      const Relation &relation, const SymbolTable &symbols,
                      const FactsOptions &options) {
  out << "---------------\n" << relationName << "\n===============\n";
  writeFacts(out, relation, symbols, options);
  out << "===============\n";
}

} // namespace rune::datalog
