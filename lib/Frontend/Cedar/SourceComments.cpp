//===- SourceComments.cpp - The `//` comments of a Cedar source -----------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "SourceComments.h"

using namespace rune::cedar::detail;

std::vector<SourceComment>
rune::cedar::detail::scanComments(llvm::StringRef source) {
  std::vector<SourceComment> comments;
  size_t i = 0;
  while (i < source.size()) {
    char c = source[i];
    if (c == '"') {
      // Skip the string, escapes included; an unterminated string cannot
      // reach here because the source parsed.
      for (++i; i < source.size() && source[i] != '"'; ++i)
        if (source[i] == '\\')
          ++i;
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < source.size() && source[i + 1] == '/') {
      size_t end = source.find_first_of("\r\n", i);
      if (end == llvm::StringRef::npos)
        end = source.size();
      comments.push_back({i, source.slice(i, end).rtrim().str()});
      i = end;
      continue;
    }
    ++i;
  }
  return comments;
}
