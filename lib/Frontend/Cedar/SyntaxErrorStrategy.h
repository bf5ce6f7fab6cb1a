//===- SyntaxErrorStrategy.h - Cedar syntax error reporting -----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// ANTLR's default error strategy recovers well but words its messages in
// grammar terms ("mismatched input 'x' expecting {...}", with token names).
// This strategy keeps the default recovery and reports through the
// parser's diagnostics instead, with Cedar-oriented messages:
//
//   expected ';' after policy                 (located after the last token)
//   unexpected token 'foo'; expected ',' or ')'
//   'if' is a reserved word and cannot be used as an identifier
//   unterminated string literal
//
// It also skips stray tokens between policies up to the next policy, which
// the default strategy would handle by discarding the rest of the file.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_CEDAR_SYNTAXERRORSTRATEGY_H
#define RUNE_LIB_FRONTEND_CEDAR_SYNTAXERRORSTRATEGY_H

#include "ParseDiagnostics.h"
#include "SourceLocator.h"

#include "antlr4-runtime.h"

#include <string>

namespace rune::cedar::detail {

class SyntaxErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  SyntaxErrorStrategy(const SourceLocator &locator, ParseDiagnostics &diags)
      : locator(locator), diags(diags) {}

  void sync(antlr4::Parser *recognizer) override;

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

private:
  /// Reports `offending` as not fitting the grammar, given the tokens that
  /// would have.
  void reportUnexpected(antlr4::Parser *recognizer, antlr4::Token *offending,
                        const antlr4::misc::IntervalSet &expected);
  /// Describes `expected` as "expected X, Y or Z", or returns "" if the set
  /// is too large to be helpful.
  std::string describeExpected(antlr4::Parser *recognizer,
                               const antlr4::misc::IntervalSet &expected) const;
  /// How `token` is quoted in messages, e.g. "'foo'" or "end of input".
  std::string describeToken(const antlr4::Token *token) const;
  void error(llvm::SMLoc loc, const std::string &message,
             llvm::SMRange range = {});

  const SourceLocator &locator;
  ParseDiagnostics &diags;
};

} // namespace rune::cedar::detail

#endif // RUNE_LIB_FRONTEND_CEDAR_SYNTAXERRORSTRATEGY_H
