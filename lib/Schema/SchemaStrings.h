//===- SchemaStrings.h - Cedar string literals in schemas -------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The Cedar schema format spells entity ids, action names, attribute names
// and annotation values as Cedar string literals, with Cedar's (Rust's)
// escapes: \n \r \t \\ \0 \' \", \x00-\x7F, \u{...} and a backslash-newline
// continuation. unescapeCedarString decodes such literals; the inverse,
// quoteCedarString, is public (rune/Schema/Schema.h).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_SCHEMA_SCHEMASTRINGS_H
#define RUNE_LIB_SCHEMA_SCHEMASTRINGS_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace rune::schema::detail {

/// A malformed escape in a string literal.
struct StringEscapeError {
  /// Byte offset within the literal's contents (the text between quotes).
  size_t offset;
  std::string message;
};

/// Decodes the contents of a string literal (without its quotes); malformed
/// escapes are appended to `errors` and skipped.
std::string unescapeCedarString(llvm::StringRef contents,
                                std::vector<StringEscapeError> &errors);

} // namespace rune::schema::detail

#endif // RUNE_LIB_SCHEMA_SCHEMASTRINGS_H
