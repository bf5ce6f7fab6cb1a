//===- Lexer.cpp - The IPE lexer ------------------------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "Lexer.h"

#include "IpeParser.h"

#include "llvm/ADT/StringSwitch.h"

using namespace rune::ipe::detail;
using P = rune::ipe::grammar::IpeParser;

namespace {

bool isIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdentChar(char c) { return isIdentStart(c) || isDigit(c); }
bool isLineEnd(char c) { return c == '\r' || c == '\n'; }

size_t keywordOrIdent(llvm::StringRef word) {
  return llvm::StringSwitch<size_t>(word)
      .Case("policy", P::KW_POLICY)
      .Case("predicate", P::KW_PREDICATE)
      .Case("triggers", P::KW_TRIGGERS)
      .Case("when", P::KW_WHEN)
      .Case("requires", P::KW_REQUIRES)
      .Case("where", P::KW_WHERE)
      .Case("denies", P::KW_DENIES)
      .Case("with", P::KW_WITH)
      .Case("reason", P::KW_REASON)
      .Case("metadata", P::KW_METADATA)
      .Case("enum", P::KW_ENUM)
      .Case("or", P::KW_OR)
      .Case("and", P::KW_AND)
      .Case("not", P::KW_NOT)
      .Case("in", P::KW_IN)
      .Case("true", P::KW_TRUE)
      .Case("false", P::KW_FALSE)
      .Default(P::IDENT);
}

} // namespace

// The longest match wins, as in ANTLR; on equal lengths the rule written
// first in the grammar (keywords before IDENT).
std::pair<size_t, size_t> rune::ipe::detail::scanToken(llvm::StringRef text,
                                                       size_t pos) {
  const char *s = text.data() + pos;
  size_t left = text.size() - pos;
  auto at = [&](size_t i) { return i < left ? s[i] : '\0'; };
  auto has = [&](size_t i) { return i < left; };
  char c = s[0];

  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
    size_t n = 1;
    while (has(n) &&
           (s[n] == ' ' || s[n] == '\t' || s[n] == '\r' || s[n] == '\n'))
      ++n;
    return {kSkippedToken, n};
  }
  if (c == '#' || (c == '/' && has(1) && s[1] == '/')) {
    size_t n = 1;
    while (has(n) && !isLineEnd(s[n]))
      ++n;
    return {kSkippedToken, n};
  }
  if (isIdentStart(c)) {
    size_t n = 1;
    while (has(n) && isIdentChar(s[n]))
      ++n;
    return {keywordOrIdent(llvm::StringRef(s, n)), n};
  }
  if (isDigit(c)) {
    size_t n = 1;
    while (has(n) && isDigit(s[n]))
      ++n;
    if (at(n) == '.' && has(n + 1) && isDigit(s[n + 1])) {
      n += 2;
      while (has(n) && isDigit(s[n]))
        ++n;
      return {P::FLOAT_LIT, n};
    }
    return {P::INT_LIT, n};
  }
  if (c == '"') {
    // STRING_LIT or, without its closing quote on the line,
    // UNTERMINATED_STRING (up to the first character no string holds).
    size_t n = 1;
    while (has(n)) {
      char d = s[n];
      if (d == '"')
        return {P::STRING_LIT, n + 1};
      if (isLineEnd(d))
        break;
      if (d == '\\') {
        if (!has(n + 1) || isLineEnd(s[n + 1]))
          break;
        n += 2;
        continue;
      }
      ++n;
    }
    return {P::UNTERMINATED_STRING, n};
  }
  char next = at(1);
  bool twoChars = has(1);
  switch (c) {
  case '=':
    if (twoChars && next == '=')
      return {P::EQ, 2};
    break;
  case '!':
    if (twoChars && next == '=')
      return {P::NE, 2};
    break;
  case '<':
    return twoChars && next == '=' ? std::pair{size_t(P::LE), size_t(2)}
                                   : std::pair{size_t(P::LT), size_t(1)};
  case '>':
    return twoChars && next == '=' ? std::pair{size_t(P::GE), size_t(2)}
                                   : std::pair{size_t(P::GT), size_t(1)};
  case ':':
    return {P::COLON, 1};
  case ',':
    return {P::COMMA, 1};
  case '.':
    return {P::DOT, 1};
  case '-':
    return {P::MINUS, 1};
  case '(':
    return {P::LPAREN, 1};
  case ')':
    return {P::RPAREN, 1};
  case '[':
    return {P::LBRACKET, 1};
  case ']':
    return {P::RBRACKET, 1};
  case '{':
    return {P::LBRACE, 1};
  case '}':
    return {P::RBRACE, 1};
  default:
    break;
  }
  return {P::INVALID_CHAR, 1};
}

void IpeTokenSource::advance(size_t length) {
  // ANTLR counts lines at '\n' only and columns in symbols (bytes here).
  for (size_t i = 0; i < length; ++i) {
    if (text[pos + i] == '\n') {
      ++line;
      column = 0;
    } else {
      ++column;
    }
  }
  pos += length;
}

std::unique_ptr<antlr4::Token> IpeTokenSource::eofAt(size_t position) {
  return getTokenFactory()->create({this, input}, antlr4::Token::EOF, "",
                                   antlr4::Token::DEFAULT_CHANNEL, position,
                                   position - 1, line, column);
}

std::unique_ptr<antlr4::Token> IpeTokenSource::nextToken() {
  for (;;) {
    if (pos >= text.size())
      return eofAt(pos);
    auto [type, length] = scan();
    size_t startLine = line, startColumn = column, start = pos;
    advance(length);
    if (type == kSkippedToken)
      continue;
    return getTokenFactory()->create(
        {this, input}, type, "", antlr4::Token::DEFAULT_CHANNEL, start,
        start + length - 1, startLine, startColumn);
  }
}

void SourceCharStream::consume() {
  if (position >= text.size())
    throw antlr4::IllegalStateException("cannot consume EOF");
  ++position;
}

size_t SourceCharStream::LA(ssize_t i) {
  // 1 is the current symbol, -1 the previous one; 0 is undefined.
  ssize_t at = i > 0 ? ssize_t(position) + i - 1 : ssize_t(position) + i;
  if (i == 0 || at < 0 || size_t(at) >= text.size())
    return antlr4::IntStream::EOF;
  return static_cast<unsigned char>(text[at]);
}

void SourceCharStream::seek(size_t index) {
  position = std::min(index, text.size());
}

std::string SourceCharStream::getText(const antlr4::misc::Interval &interval) {
  if (interval.a < 0 || interval.b < interval.a ||
      size_t(interval.a) >= text.size())
    return "";
  size_t stop = std::min(size_t(interval.b), text.size() - 1);
  return text.slice(interval.a, stop + 1).str();
}
