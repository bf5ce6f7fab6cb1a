//===- CedarSyntax.h - Names, strings and entity uids in Cedar syntax
//-*-C++-*-//
//
// The little of Cedar's surface syntax the runtime reads and writes: entity
// type names (`NS::User`), quoted strings with Cedar's escapes and entity
// uids (`NS::User::"alice"`), as given on command lines and in requests, and
// as printed in error messages and disassembly.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_RUNTIME_CEDARSYNTAX_H
#define RUNE_RUNTIME_CEDARSYNTAX_H

#include <string>
#include <string_view>

namespace rune::syntax {

/// [A-Za-z_][A-Za-z0-9_]*, excluding Cedar's reserved words.
bool isIdentifier(std::string_view text);
/// Identifiers separated by `::` (no whitespace).
bool isTypeName(std::string_view text);

/// Quotes `text` as a Cedar string literal, escaping as Cedar prints entity
/// ids: \n \r \t \0 \\ \' \" and other control characters as \u{..}.
std::string quoteString(std::string_view text);

/// `type::"id"` with the id quoted by quoteString.
std::string formatEntityUid(std::string_view type, std::string_view id);

struct ParsedEntityUid {
  std::string type;
  std::string id;
};

/// Parses `A::B::"id"`. Whitespace may surround the tokens. The id accepts
/// Cedar's escapes: \" \\ \n \t \r \0 \' \xHH (ASCII) and \u{1 to 6 hex
/// digits}. On failure returns false with a message in `error`.
bool parseEntityUid(std::string_view text, ParsedEntityUid &out,
                    std::string &error);

} // namespace rune::syntax

#endif // RUNE_RUNTIME_CEDARSYNTAX_H
