//===- Literals.h - Decoding of Cedar literal tokens ------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Cedar strings use Rust's escape rules (\n \r \t \\ \0 \' \", \x7F-bounded
// hex escapes, \u{...} escapes, and a backslash-newline continuation); in
// `like` patterns `\*` additionally denotes a literal star while a bare `*`
// is a wildcard. These helpers decode the text between the quotes and report
// malformed escapes with their byte offsets so that the caller can point at
// them.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_CEDAR_LITERALS_H
#define RUNE_LIB_FRONTEND_CEDAR_LITERALS_H

#include "rune/Frontend/Cedar/AST.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rune::cedar::detail {

/// A malformed escape sequence in a string literal.
struct EscapeError {
  /// Byte offset of the offending text within the decoded contents (the
  /// text between the quotes).
  size_t offset;
  size_t length;
  std::string message;
};

/// Decodes the contents of a string literal (without the quotes). Malformed
/// escapes are appended to `errors` and skipped.
std::string unescapeString(llvm::StringRef contents,
                           std::vector<EscapeError> &errors);

/// Decodes the contents of a `like` pattern (without the quotes): `*` is a
/// wildcard, `\*` a literal star, other escapes as in strings. As in Cedar,
/// a star produced by another escape (`\u{2A}`) is a wildcard too.
std::vector<PatternElement> unescapePattern(llvm::StringRef contents,
                                            std::vector<EscapeError> &errors);

/// Parses a run of decimal digits; nullopt if it does not fit in 64 bits.
std::optional<uint64_t> parseUnsignedDecimal(llvm::StringRef digits);

/// Quotes `text` as a Cedar string literal, escaping what must be escaped.
/// With `pattern` set, `*` is escaped as `\*` (use for literal pattern text).
std::string quoteString(llvm::StringRef text, bool pattern = false);

} // namespace rune::cedar::detail

#endif // RUNE_LIB_FRONTEND_CEDAR_LITERALS_H
