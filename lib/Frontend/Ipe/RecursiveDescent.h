//===- RecursiveDescent.h - The IPE parser's fast path ----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// A hand-written recursive-descent parser for grammar/Ipe.g4 that builds the
// AST straight from the tokens of scanToken (Lexer.h), with no parse tree,
// no token objects and no diagnostics: it returns nullopt at the first
// thing it does not accept (a syntax error, or what the ASTBuilder would
// report: chained comparisons, unknown escapes, integers out of range,
// nesting too deep), and lib/Frontend/Ipe/Parser.cpp then parses the file
// again with the ANTLR-generated parser, which words the errors.
//
// Why: the generated parser (its runtime's per-rule bookkeeping, token
// objects and parse-tree nodes) was a third of compiling 10,000 policies
// (docs/performance.md, "IPE"). Every decision of the grammar is LL(1), so
// a recursive-descent parser accepts exactly the same files; the grammar
// stays the definition: unittests/Frontend/IpeFastPathTest.cpp requires
// the same AST (every node and source range) as the ANTLR road, or a
// rejection where that road reports an error.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_IPE_RECURSIVEDESCENT_H
#define RUNE_LIB_FRONTEND_IPE_RECURSIVEDESCENT_H

#include "rune/Frontend/Common/SourceLocator.h"
#include "rune/Frontend/Ipe/AST.h"
#include "rune/Support/Diagnostics.h"

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace rune::ipe::detail {

/// Bracket and `not` nesting accepted: at any token, the open `(` and `[`
/// plus the `not`s in a row just before it (both parsers check it on the
/// tokens, and it bounds their recursion).
constexpr unsigned kMaxNesting = 200;

/// The AST of `text` (a whole policy file, valid UTF-8, whose source
/// ranges point into `text`), or nullopt when the file has any error.
std::optional<PolicyFile> parseWithoutDiagnostics(llvm::StringRef text);

/// The other road (Parser.cpp): the ANTLR-generated parser and the
/// ASTBuilder over the whole of `text`, reporting every error to `diags`.
std::optional<PolicyFile>
parseWithGeneratedParser(llvm::StringRef text,
                         const frontend::SourceLocator &locator,
                         DiagnosticEngine &diags);

} // namespace rune::ipe::detail

#endif // RUNE_LIB_FRONTEND_IPE_RECURSIVEDESCENT_H
