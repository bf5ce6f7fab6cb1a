//===- SchemaStrings.cpp - Cedar string literals in schemas ---------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "SchemaStrings.h"

#include "rune/Schema/Schema.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

using namespace rune::schema::detail;

namespace {

/// Appends `codePoint` to `out` as UTF-8; false if it is not a Unicode
/// scalar value.
bool appendCodePoint(uint32_t codePoint, std::string &out) {
  if (codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
    return false;
  char buffer[UNI_MAX_UTF8_BYTES_PER_CODE_POINT];
  char *end = buffer;
  if (!llvm::ConvertCodePointToUTF8(codePoint, end))
    return false;
  out.append(buffer, end);
  return true;
}

} // namespace

std::string rune::schema::detail::unescapeCedarString(
    llvm::StringRef s, std::vector<StringEscapeError> &errors) {
  std::string out;
  size_t pos = 0;
  auto error = [&](size_t offset, const std::string &message) {
    errors.push_back({offset, message});
  };
  while (pos < s.size()) {
    char c = s[pos];
    if (c == '\r') {
      // Rust (and so Cedar) rejects carriage returns outside escapes.
      error(pos, "bare carriage return in string literal; use \\r");
      ++pos;
      continue;
    }
    if (c != '\\') {
      out += c;
      ++pos;
      continue;
    }
    size_t start = pos;
    if (pos + 1 >= s.size()) {
      error(start, "lone backslash at the end of a string literal");
      break;
    }
    char escape = s[pos + 1];
    pos += 2;
    switch (escape) {
    case 'n':
      out += '\n';
      continue;
    case 'r':
      out += '\r';
      continue;
    case 't':
      out += '\t';
      continue;
    case '0':
      out += '\0';
      continue;
    case '\\':
    case '\'':
    case '"':
      out += escape;
      continue;
    case '\n':
      // A backslash before a line break continues the string, skipping the
      // indentation of the next line.
      while (pos < s.size() && llvm::StringRef(" \t\n\r").contains(s[pos]))
        ++pos;
      continue;
    case 'x': {
      if (pos + 2 > s.size() || !llvm::isHexDigit(s[pos]) ||
          !llvm::isHexDigit(s[pos + 1])) {
        error(start, "'\\x' escape must be followed by two hexadecimal digits");
        continue;
      }
      unsigned value =
          llvm::hexDigitValue(s[pos]) * 16 + llvm::hexDigitValue(s[pos + 1]);
      pos += 2;
      if (value > 0x7F) {
        error(start, "'\\x' escapes must be at most \\x7F");
        continue;
      }
      out += static_cast<char>(value);
      continue;
    }
    case 'u': {
      size_t close = s.find('}', pos);
      if (pos >= s.size() || s[pos] != '{' || close == llvm::StringRef::npos) {
        error(start, "'\\u' escape must have the form \\u{...}");
        continue;
      }
      llvm::StringRef digits = s.slice(pos + 1, close);
      pos = close + 1;
      uint32_t value = 0;
      bool valid = !digits.empty() && digits.size() <= 6;
      for (char digit : digits) {
        if (digit == '_')
          continue;
        if (!llvm::isHexDigit(digit)) {
          valid = false;
          break;
        }
        value = value * 16 + llvm::hexDigitValue(digit);
      }
      if (!valid || !appendCodePoint(value, out))
        error(start, "invalid unicode escape '\\u{" + digits.str() + "}'");
      continue;
    }
    default:
      error(start,
            "invalid escape sequence '\\" + std::string(1, escape) + "'");
      continue;
    }
  }
  return out;
}

std::string rune::schema::quoteCedarString(llvm::StringRef text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\0':
      out += "\\0";
      break;
    default:
      if (c < 0x20 || c == 0x7F)
        out += "\\u{" + llvm::utohexstr(c, /*LowerCase=*/true) + "}";
      else
        out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}
