//===- Json.cpp - A strict JSON parser that remembers positions -----------===//

#include "rune/Runtime/Json.h"

#include "rune/Runtime/Utf8.h"

#include <limits>
#include <unordered_set>

namespace rune::json {

const Node *Node::find(std::string_view key) const {
  for (const Member &member : members)
    if (member.key == key)
      return &member.value;
  return nullptr;
}

std::string_view kindName(Kind kind) {
  switch (kind) {
  case Kind::Null:
    return "null";
  case Kind::Bool:
    return "a boolean";
  case Kind::Number:
    return "a number";
  case Kind::String:
    return "a string";
  case Kind::Array:
    return "an array";
  case Kind::Object:
    return "an object";
  }
  return "?";
}

namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

class Parser {
public:
  Parser(std::string_view text, ParseError &error) : text(text), error(error) {}

  bool parseDocument(Node &out) {
    // A UTF-8 byte order mark is tolerated, as most JSON tools do.
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
      pos = 3;
    skipSpace();
    if (!parseValue(out, 0))
      return false;
    skipSpace();
    if (pos != text.size())
      return fail(pos, "unexpected text after the JSON value");
    return true;
  }

private:
  bool fail(size_t at, std::string message) {
    error.offset = at;
    error.message = std::move(message);
    return false;
  }

  void skipSpace() {
    while (pos < text.size()) {
      char c = text[pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      ++pos;
    }
  }

  bool parseValue(Node &out, unsigned depth) {
    out.offset = pos;
    if (pos >= text.size())
      return fail(pos, "unexpected end of input, expected a value");
    char c = text[pos];
    switch (c) {
    case '{':
      return parseObject(out, depth);
    case '[':
      return parseArray(out, depth);
    case '"':
      out.kind = Kind::String;
      return parseString(out.text);
    case 't':
      return parseLiteral(out, "true", Kind::Bool, true);
    case 'f':
      return parseLiteral(out, "false", Kind::Bool, false);
    case 'n':
      return parseLiteral(out, "null", Kind::Null, false);
    default:
      if (c == '-' || (c >= '0' && c <= '9'))
        return parseNumber(out);
      return fail(pos, "expected a value");
    }
  }

  bool parseLiteral(Node &out, std::string_view word, Kind kind, bool value) {
    if (text.substr(pos, word.size()) != word)
      return fail(pos, "expected a value");
    pos += word.size();
    out.kind = kind;
    out.boolean = value;
    return true;
  }

  bool parseNumber(Node &out) {
    size_t start = pos;
    if (text[pos] == '-')
      ++pos;
    auto digits = [&] {
      size_t first = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9')
        ++pos;
      return pos - first;
    };
    if (pos < text.size() && text[pos] == '0') {
      ++pos;
    } else if (digits() == 0) {
      return fail(start, "invalid number");
    }
    bool integral = true;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      integral = false;
      if (digits() == 0)
        return fail(start, "invalid number (expected digits after `.`)");
    }
    if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
      ++pos;
      integral = false;
      if (pos < text.size() && (text[pos] == '+' || text[pos] == '-'))
        ++pos;
      if (digits() == 0)
        return fail(start, "invalid number (expected exponent digits)");
    }
    out.kind = Kind::Number;
    out.text = std::string(text.substr(start, pos - start));
    if (integral) {
      // Accumulate negatively so i64::MIN is representable.
      bool negative = out.text[0] == '-';
      int64_t value = 0;
      bool fits = true;
      constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
      for (size_t i = negative ? 1 : 0; i < out.text.size(); ++i) {
        int64_t digit = out.text[i] - '0';
        if (value < (kMin + digit) / 10) {
          fits = false;
          break;
        }
        value = value * 10 - digit;
      }
      if (fits && !negative) {
        if (value == kMin)
          fits = false;
        else
          value = -value;
      }
      out.isInteger = fits;
      out.integer = fits ? value : 0;
    }
    return true;
  }

  bool parseHex4(uint32_t &value) {
    if (text.size() - pos < 4)
      return false;
    value = 0;
    for (int i = 0; i < 4; ++i) {
      int digit = hexValue(text[pos + i]);
      if (digit < 0)
        return false;
      value = value * 16 + static_cast<uint32_t>(digit);
    }
    pos += 4;
    return true;
  }

  bool parseString(std::string &out) {
    size_t start = pos;
    ++pos; // opening quote
    for (;;) {
      if (pos >= text.size())
        return fail(start, "unterminated string");
      unsigned char c = static_cast<unsigned char>(text[pos]);
      if (c == '"') {
        ++pos;
        return true;
      }
      if (c < 0x20)
        return fail(pos, "control character in string (must be escaped)");
      if (c != '\\') {
        size_t length = utf8::sequenceLength(text, pos);
        if (length == 0)
          return fail(pos, "invalid UTF-8 in string");
        out.append(text.substr(pos, length));
        pos += length;
        continue;
      }
      size_t escapeStart = pos;
      ++pos;
      if (pos >= text.size())
        return fail(start, "unterminated string");
      char e = text[pos++];
      switch (e) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        uint32_t unit;
        if (!parseHex4(unit))
          return fail(escapeStart,
                      "invalid \\u escape (expected 4 hex digits)");
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          uint32_t low;
          if (text.substr(pos, 2) != "\\u" || (pos += 2, !parseHex4(low)) ||
              low < 0xDC00 || low > 0xDFFF)
            return fail(escapeStart, "unpaired surrogate in \\u escape");
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
          return fail(escapeStart, "unpaired surrogate in \\u escape");
        }
        utf8::append(out, unit);
        break;
      }
      default:
        return fail(escapeStart, "invalid escape sequence in string");
      }
    }
  }

  bool parseArray(Node &out, unsigned depth) {
    if (depth >= kMaxDepth)
      return fail(pos, "nesting too deep (more than " +
                           std::to_string(kMaxDepth) + " levels)");
    out.kind = Kind::Array;
    ++pos; // '['
    skipSpace();
    if (pos < text.size() && text[pos] == ']') {
      ++pos;
      return true;
    }
    for (;;) {
      skipSpace();
      out.elements.emplace_back();
      if (!parseValue(out.elements.back(), depth + 1))
        return false;
      skipSpace();
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == ']') {
        ++pos;
        return true;
      }
      return fail(pos, "expected ',' or ']' after an array element");
    }
  }

  bool parseObject(Node &out, unsigned depth) {
    if (depth >= kMaxDepth)
      return fail(pos, "nesting too deep (more than " +
                           std::to_string(kMaxDepth) + " levels)");
    out.kind = Kind::Object;
    ++pos; // '{'
    skipSpace();
    if (pos < text.size() && text[pos] == '}') {
      ++pos;
      return true;
    }
    std::unordered_set<std::string> keys;
    for (;;) {
      skipSpace();
      if (pos >= text.size() || text[pos] != '"')
        return fail(pos, "expected a string as object key");
      Member member;
      member.keyOffset = pos;
      if (!parseString(member.key))
        return false;
      if (!keys.insert(member.key).second)
        return fail(member.keyOffset, "duplicate key `" + member.key + "`");
      skipSpace();
      if (pos >= text.size() || text[pos] != ':')
        return fail(pos, "expected ':' after an object key");
      ++pos;
      skipSpace();
      if (!parseValue(member.value, depth + 1))
        return false;
      out.members.push_back(std::move(member));
      skipSpace();
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < text.size() && text[pos] == '}') {
        ++pos;
        return true;
      }
      return fail(pos, "expected ',' or '}' after an object member");
    }
  }

  std::string_view text;
  ParseError &error;
  size_t pos = 0;
};

} // namespace

bool parse(std::string_view text, Node &out, ParseError &error) {
  out = Node();
  return Parser(text, error).parseDocument(out);
}

} // namespace rune::json
