//===- CedarSyntax.cpp - Names, strings and entity uids in Cedar syntax ---===//

#include "rune/Runtime/CedarSyntax.h"

#include "rune/Runtime/Utf8.h"

#include <array>
#include <cstdio>

namespace rune::syntax {

namespace {

constexpr std::array<std::string_view, 10> kReservedWords = {
    "true", "false", "if",   "then", "else",
    "in",   "is",    "like", "has",  "__cedar"};

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isIdentChar(char c) { return isIdentStart(c) || (c >= '0' && c <= '9'); }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hexDigitValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// A cursor over the text of one entity uid.
class UidParser {
public:
  UidParser(std::string_view text, std::string &error)
      : text(text), error(error) {}

  bool parse(ParsedEntityUid &out) {
    skipSpace();
    std::string_view first = identifier();
    if (first.empty())
      return fail("expected an entity type name");
    std::string type(first);
    for (;;) {
      skipSpace();
      if (!consume("::"))
        return fail("expected `::` after the entity type name");
      skipSpace();
      if (pos < text.size() && text[pos] == '"')
        break;
      std::string_view part = identifier();
      if (part.empty())
        return fail("expected an identifier or a quoted entity id after `::`");
      type += "::";
      type += part;
    }
    std::string id;
    if (!quotedString(id))
      return false;
    skipSpace();
    if (pos != text.size())
      return fail("unexpected text after the entity id");
    out.type = std::move(type);
    out.id = std::move(id);
    return true;
  }

private:
  bool fail(std::string_view message) {
    error = "invalid entity uid " + quoteString(text) + ": ";
    error += message;
    return false;
  }

  void skipSpace() {
    while (pos < text.size() && isSpace(text[pos]))
      ++pos;
  }

  bool consume(std::string_view token) {
    if (text.substr(pos, token.size()) != token)
      return false;
    pos += token.size();
    return true;
  }

  std::string_view identifier() {
    size_t start = pos;
    if (pos >= text.size() || !isIdentStart(text[pos]))
      return {};
    while (pos < text.size() && isIdentChar(text[pos]))
      ++pos;
    std::string_view ident = text.substr(start, pos - start);
    for (std::string_view reserved : kReservedWords) {
      if (ident == reserved) {
        pos = start;
        return {};
      }
    }
    return ident;
  }

  bool quotedString(std::string &out) {
    ++pos; // opening quote
    for (;;) {
      if (pos >= text.size())
        return fail("unterminated string");
      char c = text[pos];
      if (c == '"') {
        ++pos;
        return true;
      }
      if (c != '\\') {
        size_t length = utf8::sequenceLength(text, pos);
        if (length == 0)
          return fail("the entity id is not valid UTF-8");
        out.append(text.substr(pos, length));
        pos += length;
        continue;
      }
      ++pos;
      if (pos >= text.size())
        return fail("unterminated string");
      char escape = text[pos++];
      switch (escape) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case '0':
        out += '\0';
        break;
      case '\\':
      case '\'':
      case '"':
        out += escape;
        break;
      case 'x': {
        if (pos + 2 > text.size())
          return fail("invalid \\x escape");
        int hi = hexDigitValue(text[pos]), lo = hexDigitValue(text[pos + 1]);
        if (hi < 0 || lo < 0 || hi > 7)
          return fail("invalid \\x escape (expected two hex digits <= 7F)");
        out += static_cast<char>(hi * 16 + lo);
        pos += 2;
        break;
      }
      case 'u': {
        if (pos >= text.size() || text[pos] != '{')
          return fail("invalid \\u escape (expected `{`)");
        ++pos;
        uint32_t scalar = 0;
        int digits = 0;
        while (pos < text.size() && text[pos] != '}') {
          int digit = hexDigitValue(text[pos]);
          if (digit < 0 || ++digits > 6)
            return fail("invalid \\u escape (expected 1 to 6 hex digits)");
          scalar = scalar * 16 + static_cast<uint32_t>(digit);
          ++pos;
        }
        if (pos >= text.size() || digits == 0)
          return fail("invalid \\u escape (expected 1 to 6 hex digits)");
        ++pos; // '}'
        if (!utf8::isScalarValue(scalar))
          return fail("invalid \\u escape (not a Unicode scalar value)");
        utf8::append(out, scalar);
        break;
      }
      default:
        return fail(std::string("unknown escape sequence `\\") + escape + "`");
      }
    }
  }

  std::string_view text;
  std::string &error;
  size_t pos = 0;
};

} // namespace

bool isIdentifier(std::string_view text) {
  if (text.empty() || !isIdentStart(text[0]))
    return false;
  for (char c : text)
    if (!isIdentChar(c))
      return false;
  for (std::string_view reserved : kReservedWords)
    if (text == reserved)
      return false;
  return true;
}

bool isTypeName(std::string_view text) {
  for (;;) {
    size_t sep = text.find("::");
    if (!isIdentifier(text.substr(0, sep)))
      return false;
    if (sep == std::string_view::npos)
      return true;
    text.remove_prefix(sep + 2);
  }
}

std::string quoteString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
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
    case '\\':
      out += "\\\\";
      break;
    case '\'':
      out += "\\'";
      break;
    case '"':
      out += "\\\"";
      break;
    default:
      if (static_cast<uint8_t>(c) < 0x20 || c == 0x7F) {
        char buffer[16];
        std::snprintf(buffer, sizeof buffer, "\\u{%x}",
                      static_cast<unsigned>(static_cast<uint8_t>(c)));
        out += buffer;
      } else {
        out += c;
      }
    }
  }
  out += '"';
  return out;
}

std::string formatEntityUid(std::string_view type, std::string_view id) {
  std::string out(type);
  out += "::";
  out += quoteString(id);
  return out;
}

bool parseEntityUid(std::string_view text, ParsedEntityUid &out,
                    std::string &error) {
  return UidParser(text, error).parse(out);
}

} // namespace rune::syntax
