//===- SourceComments.h - The `//` comments of a Cedar source ---*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The parser drops comments; the formatter needs them back. This scans the
// source for `//` comments, skipping string literals (a `//` inside a string
// is not a comment).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_CEDAR_SOURCECOMMENTS_H
#define RUNE_LIB_FRONTEND_CEDAR_SOURCECOMMENTS_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace rune::cedar::detail {

struct SourceComment {
  /// Byte offset of the `//`.
  size_t offset;
  /// From `//` to the end of the line, trailing whitespace removed.
  std::string text;
};

/// Every comment of `source`, in order.
std::vector<SourceComment> scanComments(llvm::StringRef source);

} // namespace rune::cedar::detail

#endif // RUNE_LIB_FRONTEND_CEDAR_SOURCECOMMENTS_H
