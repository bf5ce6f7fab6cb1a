//===- SyntaxErrorStrategy.h - ANTLR syntax errors as diagnostics -*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// ANTLR's default error strategy recovers well but words its messages in
// grammar terms ("mismatched input 'x' expecting {...}", with token names).
// SyntaxErrorStrategy keeps the default recovery and routes every error
// ANTLR reports to one hook, reportUnexpected, which each language words for
// its users (the Cedar policy parser and the Cedar schema parser). The
// wording both share lives here:
//
//   unexpected token 'foo'; expected ',' or ')'
//   unexpected end of input
//   expected ';' after <what the language says>    (after the last token)
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_COMMON_SYNTAXERRORSTRATEGY_H
#define RUNE_FRONTEND_COMMON_SYNTAXERRORSTRATEGY_H

#include "rune/Frontend/Common/SourceLocator.h"
#include "rune/Support/Diagnostics.h"

#include "antlr4-runtime.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/SMLoc.h"

#include <string>

namespace rune::frontend {

/// "a", "a or b", "a, b or c".
std::string joinAlternatives(llvm::ArrayRef<std::string> names);

class SyntaxErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  explicit SyntaxErrorStrategy(const SourceLocator &locator)
      : locator(locator) {}

protected:
  void
  reportNoViableAlternative(antlr4::Parser *recognizer,
                            const antlr4::NoViableAltException &e) override;
  void reportInputMismatch(antlr4::Parser *recognizer,
                           const antlr4::InputMismatchException &e) override;
  void
  reportFailedPredicate(antlr4::Parser *recognizer,
                        const antlr4::FailedPredicateException &e) override;
  void reportUnwantedToken(antlr4::Parser *recognizer) override;
  void reportMissingToken(antlr4::Parser *recognizer) override;

  //===--- What each language provides ------------------------------------===//

  /// Reports `offending` as not fitting the grammar, given the tokens that
  /// would have.
  virtual void reportUnexpected(antlr4::Parser *recognizer,
                                antlr4::Token *offending,
                                const antlr4::misc::IntervalSet &expected) = 0;
  /// Records one syntax error.
  virtual void error(llvm::SMLoc loc, const std::string &message,
                     llvm::SMRange range = {}) = 0;
  /// The message for a missing statement terminator (e.g. "expected ';'
  /// after policy") if the parser, in its current rule, expects one among
  /// `expected`; null otherwise.
  virtual const char *
  missingTerminator(antlr4::Parser *recognizer,
                    const antlr4::misc::IntervalSet &expected) const = 0;
  /// Names leading the list of expected tokens (e.g. "expression" standing
  /// for every token that can start one).
  virtual void leadingExpected(const antlr4::misc::IntervalSet &expected,
                               std::vector<std::string> &names) const {}
  /// Whether to list `type` (possibly EOF) among the expected tokens.
  virtual bool isSuggested(size_t type,
                           const antlr4::misc::IntervalSet &expected) const {
    return true;
  }
  /// How an expected token of `type` is named ("identifier"), or null for
  /// its literal name in the grammar ("';'").
  virtual const char *tokenKindName(size_t type) const { return nullptr; }

  //===--- Shared wording -------------------------------------------------===//

  /// The report most grammars want for a token that does not fit: the
  /// missing terminator right after the previous token (as clang puts
  /// "expected ';' after ..."), or else "unexpected X; expected Y" at
  /// `offending`.
  void reportMismatch(antlr4::Parser *recognizer, antlr4::Token *offending,
                      const antlr4::misc::IntervalSet &expected);

  /// Describes `expected` as "expected X, Y or Z", or returns "" if the set
  /// is too large to be helpful.
  std::string describeExpected(antlr4::Parser *recognizer,
                               const antlr4::misc::IntervalSet &expected) const;
  /// How `token` is quoted in messages, e.g. "'foo'" or "end of input".
  std::string describeToken(const antlr4::Token *token) const;
  /// "unexpected end of input" or "unexpected token 'foo'".
  std::string unexpectedToken(const antlr4::Token *token) const;
  /// The report for a token of the lexer's catch-all rule (a character no
  /// other rule matches): "unterminated string literal" for a lone '"',
  /// else "invalid character 'c'".
  void reportUnknownToken(antlr4::Token *offending);

  /// Emits one syntax error to `diags`, underlining `range` when it covers
  /// more than the caret: what most languages' error() does.
  static void emit(DiagnosticEngine &diags, llvm::SMLoc loc,
                   const std::string &message, llvm::SMRange range);

  const SourceLocator &locator;
};

} // namespace rune::frontend

#endif // RUNE_FRONTEND_COMMON_SYNTAXERRORSTRATEGY_H
