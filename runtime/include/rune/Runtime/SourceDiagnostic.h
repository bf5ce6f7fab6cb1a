//===- SourceDiagnostic.h - clang-style messages for input files -*- C++
//-*-===//
//
// Formats an error at a byte offset of a text input as
//
//   entities.json:3:15: error: expected ',' or '}' after an object member
//       "attrs": {"a": 1 "b": 2},
//                        ^
//
// Header-only on purpose: the command-line driver uses it for its own
// request files and links against the shared runtime, which exports nothing
// but the C API.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_SOURCEDIAGNOSTIC_H
#define RUNE_RUNTIME_SOURCEDIAGNOSTIC_H

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace rune {

struct SourcePosition {
  size_t line;   // 1-based
  size_t column; // 1-based, in bytes (as clang counts)
};

inline SourcePosition positionOf(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  SourcePosition position{1, 1};
  size_t lineStart = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++position.line;
      lineStart = i + 1;
    }
  }
  position.column = offset - lineStart + 1;
  return position;
}

inline std::string formatSourceDiagnostic(std::string_view sourceName,
                                          std::string_view text, size_t offset,
                                          std::string_view message) {
  offset = std::min(offset, text.size());
  SourcePosition position = positionOf(text, offset);
  std::string out(sourceName);
  out += ':' + std::to_string(position.line) + ':' +
         std::to_string(position.column) + ": error: ";
  out += message;

  size_t lineStart = offset - (position.column - 1);
  size_t lineEnd = text.find('\n', lineStart);
  if (lineEnd == std::string_view::npos)
    lineEnd = text.size();
  if (lineEnd > lineStart && text[lineEnd - 1] == '\r')
    --lineEnd;
  // Show at most ~80 bytes either side of the error (minified JSON can be
  // one huge line), cut at UTF-8 character boundaries.
  constexpr size_t kContext = 80;
  auto isContinuation = [&](size_t i) {
    return i < text.size() &&
           (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
  };
  size_t shownStart = offset - std::min(offset - lineStart, kContext);
  while (shownStart > lineStart && isContinuation(shownStart))
    --shownStart;
  size_t shownEnd = std::min(lineEnd, std::max(offset, lineStart) + kContext);
  while (shownEnd < lineEnd && isContinuation(shownEnd))
    ++shownEnd;
  std::string prefix = shownStart > lineStart ? "..." : "";
  std::string suffix = shownEnd < lineEnd ? "..." : "";
  out += '\n';
  out += prefix;
  out += text.substr(shownStart, shownEnd - shownStart);
  out += suffix;
  out += '\n';
  std::string caret(prefix.size(), ' ');
  for (size_t i = shownStart; i < offset && i < shownEnd; ++i) {
    if (text[i] == '\t')
      caret += '\t';
    else if (!isContinuation(i))
      caret += ' ';
  }
  caret += '^';
  out += caret;
  return out;
}

} // namespace rune

#endif // RUNE_RUNTIME_SOURCEDIAGNOSTIC_H
