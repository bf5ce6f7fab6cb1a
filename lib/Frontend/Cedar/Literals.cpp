//===- Literals.cpp - Decoding of Cedar literal tokens --------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "Literals.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

using namespace rune::cedar;
using namespace rune::cedar::detail;

namespace {

/// Walks the contents of a string literal, decoding escapes. Every decoded
/// piece is passed to the `emit` callback as (text, isWildcard); wildcards
/// only occur in pattern mode.
class Unescaper {
public:
  Unescaper(llvm::StringRef contents, bool pattern,
            std::vector<EscapeError> &errors)
      : s(contents), pattern(pattern), errors(errors) {}

  template <typename Emit> void run(Emit &&emit) {
    while (pos < s.size()) {
      char c = s[pos];
      if (c == '\\') {
        decodeEscape(emit);
        continue;
      }
      if (c == '\r') {
        // Rust (and therefore Cedar) rejects a carriage return that is not
        // part of an escape, even in a CRLF line break inside a string.
        error(pos, 1, "bare carriage return in string literal; use \\r");
        ++pos;
        continue;
      }
      if (pattern && c == '*') {
        emit(llvm::StringRef(), /*isWildcard=*/true);
        ++pos;
        continue;
      }
      emit(s.substr(pos, 1), /*isWildcard=*/false);
      ++pos;
    }
  }

private:
  void error(size_t offset, size_t length, const llvm::Twine &message) {
    errors.push_back({offset, length, message.str()});
  }

  /// Length of the UTF-8 sequence starting at `offset` (1 for malformed
  /// bytes), so that error ranges cover whole characters.
  size_t charLength(size_t offset) const {
    unsigned length = llvm::getNumBytesForUTF8(s[offset]);
    return std::min<size_t>(std::max(length, 1u), s.size() - offset);
  }

  template <typename Emit> void emitCodePoint(uint32_t codePoint, Emit &emit) {
    // Cedar decodes escapes before looking for wildcards, so in a pattern
    // \u{2A} and \x2A are wildcards; only \* is a literal star.
    if (pattern && codePoint == '*')
      return emit(llvm::StringRef(), /*isWildcard=*/true);
    char buffer[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
    char *end = buffer;
    if (llvm::ConvertCodePointToUTF8(codePoint, end))
      emit(llvm::StringRef(buffer, end - buffer), /*isWildcard=*/false);
  }

  template <typename Emit> void decodeEscape(Emit &emit) {
    size_t start = pos;
    if (pos + 1 >= s.size()) {
      error(start, 1, "lone backslash at the end of a string literal");
      pos = s.size();
      return;
    }
    char c = s[pos + 1];
    pos += 2;
    switch (c) {
    case 'n':
      return emit("\n", false);
    case 'r':
      return emit("\r", false);
    case 't':
      return emit("\t", false);
    case '0':
      return emit(llvm::StringRef("\0", 1), false);
    case '\\':
      return emit("\\", false);
    case '\'':
      return emit("'", false);
    case '"':
      return emit("\"", false);
    case '*':
      if (pattern)
        return emit("*", false);
      break;
    case '\n':
      // A backslash before a line break continues the string on the next
      // line, skipping the leading whitespace there.
      while (pos < s.size() && llvm::StringRef(" \t\n\r").contains(s[pos]))
        ++pos;
      return;
    case 'x':
      return decodeHexEscape(start, emit);
    case 'u':
      return decodeUnicodeEscape(start, emit);
    default:
      break;
    }
    size_t length = 1 + charLength(start + 1);
    pos = start + length;
    error(start, length,
          "invalid escape sequence '" + s.substr(start, length) + "'" +
              (c == '*' ? "; '\\*' is only valid in 'like' patterns" : ""));
  }

  template <typename Emit> void decodeHexEscape(size_t start, Emit &emit) {
    unsigned value = 0;
    for (int i = 0; i < 2; ++i) {
      if (pos >= s.size() || !llvm::isHexDigit(s[pos])) {
        error(start, pos - start,
              "'\\x' escape must be followed by two hexadecimal digits");
        return;
      }
      value = value * 16 + llvm::hexDigitValue(s[pos]);
      ++pos;
    }
    if (value > 0x7F) {
      error(start, pos - start,
            "'" + s.substr(start, pos - start) +
                "' is out of range: '\\x' escapes must be at most \\x7F; use "
                "'\\u{...}' for other characters");
      return;
    }
    emitCodePoint(value, emit);
  }

  template <typename Emit> void decodeUnicodeEscape(size_t start, Emit &emit) {
    if (pos >= s.size() || s[pos] != '{') {
      error(start, pos - start, "unicode escapes must be written '\\u{...}'");
      return;
    }
    ++pos;
    uint64_t value = 0;
    unsigned digits = 0;
    bool sawInvalid = false;
    while (pos < s.size() && s[pos] != '}') {
      char c = s[pos];
      if (c == '_' && digits != 0) {
        ++pos;
        continue;
      }
      if (!llvm::isHexDigit(c)) {
        sawInvalid = true;
        break;
      }
      if (digits < 16)
        value = value * 16 + llvm::hexDigitValue(c);
      ++digits;
      ++pos;
    }
    if (sawInvalid || pos >= s.size()) {
      error(start, pos - start,
            sawInvalid ? "invalid character in unicode escape"
                       : "unterminated unicode escape; expected '}'");
      return;
    }
    ++pos; // '}'
    size_t length = pos - start;
    if (digits == 0)
      return error(start, length, "empty unicode escape");
    if (digits > 6)
      return error(start, length,
                   "unicode escape has more than 6 hexadecimal digits");
    if (value > 0x10FFFF)
      return error(start, length,
                   "unicode escape '" + s.substr(start, length) +
                       "' is out of range; the maximum is \\u{10FFFF}");
    if (value >= 0xD800 && value <= 0xDFFF)
      return error(start, length,
                   "unicode escape '" + s.substr(start, length) +
                       "' is a surrogate, not a character");
    emitCodePoint(static_cast<uint32_t>(value), emit);
  }

  llvm::StringRef s;
  bool pattern;
  std::vector<EscapeError> &errors;
  size_t pos = 0;
};

} // namespace

std::string detail::unescapeString(llvm::StringRef contents,
                                   std::vector<EscapeError> &errors) {
  std::string result;
  result.reserve(contents.size());
  Unescaper(contents, /*pattern=*/false, errors)
      .run([&](llvm::StringRef text, bool) { result += text; });
  return result;
}

std::vector<PatternElement>
detail::unescapePattern(llvm::StringRef contents,
                        std::vector<EscapeError> &errors) {
  std::vector<PatternElement> elements;
  Unescaper(contents, /*pattern=*/true, errors)
      .run([&](llvm::StringRef text, bool isWildcard) {
        if (isWildcard) {
          elements.push_back(PatternElement::wildcard());
          return;
        }
        if (elements.empty() || elements.back().isWildcard())
          elements.push_back(PatternElement::literal(""));
        elements.back().text += text;
      });
  return elements;
}

std::optional<uint64_t> detail::parseUnsignedDecimal(llvm::StringRef digits) {
  uint64_t value;
  // getAsInteger reports overflow (and malformed input) by returning true.
  if (digits.empty() || digits.getAsInteger(10, value))
    return std::nullopt;
  return value;
}

std::string detail::quoteString(llvm::StringRef text, bool pattern) {
  std::string result = "\"";
  for (unsigned char c : text) {
    switch (c) {
    case '"':
      result += "\\\"";
      break;
    case '\\':
      result += "\\\\";
      break;
    case '\n':
      result += "\\n";
      break;
    case '\r':
      result += "\\r";
      break;
    case '\t':
      result += "\\t";
      break;
    case '\0':
      result += "\\0";
      break;
    case '*':
      result += pattern ? "\\*" : "*";
      break;
    default:
      if (c < 0x20 || c == 0x7F) {
        result += "\\u{";
        result += llvm::utohexstr(c);
        result += "}";
      } else {
        result += static_cast<char>(c);
      }
      break;
    }
  }
  result += '"';
  return result;
}
