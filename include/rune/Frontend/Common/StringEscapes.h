//===- StringEscapes.h - Backslash escapes of string literals ---*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The escapes the IPE, Soufflé and .rune-rules string literals share (Cedar
// has its own, lib/Frontend/Cedar/Literals.cpp). Each language decides what
// another `\c` means: IPE rejects it, the two Datalog syntaxes read `c`.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_COMMON_STRINGESCAPES_H
#define RUNE_FRONTEND_COMMON_STRINGESCAPES_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace rune::frontend {

/// The character `\c` stands for: \n, \t, \r, \\ and \"; none otherwise.
inline std::optional<char> simpleEscape(char c) {
  switch (c) {
  case 'n':
    return '\n';
  case 't':
    return '\t';
  case 'r':
    return '\r';
  case '\\':
    return '\\';
  case '"':
    return '"';
  default:
    return std::nullopt;
  }
}

/// The contents of a Datalog string literal (quotes included in `literal`)
/// with its escapes decoded; `\c` for any other c is c.
inline std::string unquoteDatalogString(llvm::StringRef literal) {
  if (literal.size() >= 2)
    literal = literal.drop_front().drop_back();
  std::string out;
  out.reserve(literal.size());
  for (size_t i = 0; i < literal.size(); ++i) {
    char c = literal[i];
    if (c != '\\' || i + 1 == literal.size()) {
      out += c;
      continue;
    }
    char next = literal[++i];
    out += simpleEscape(next).value_or(next);
  }
  return out;
}

} // namespace rune::frontend

#endif // RUNE_FRONTEND_COMMON_STRINGESCAPES_H
