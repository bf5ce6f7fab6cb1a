//===- SchemaSyntaxErrors.h - Cedar schema syntax errors --------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Keeps ANTLR's error recovery but words syntax errors for schema authors
// instead of in grammar terms, and reports only the first (the following ones
// are usually artifacts of the recovery), e.g.
//
//   expected ';' after declaration
//   unexpected token '}'; expected identifier or string literal
//   unterminated string literal
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_SCHEMA_SCHEMASYNTAXERRORS_H
#define RUNE_LIB_SCHEMA_SCHEMASYNTAXERRORS_H

#include "TokenLocator.h"

#include "rune/Support/Diagnostics.h"

#include "antlr4-runtime.h"

#include <string>

namespace rune::schema::detail {

class SchemaSyntaxErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  SchemaSyntaxErrorStrategy(const TokenLocator &locator,
                            DiagnosticEngine &diags)
      : locator(locator), diags(diags) {}

  /// Number of syntax errors reported so far.
  unsigned getNumErrors() const { return numErrors; }

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
  void reportUnexpected(antlr4::Parser *recognizer, antlr4::Token *offending,
                        const antlr4::misc::IntervalSet &expected);
  /// "expected X, Y or Z", or "" if the set is too large to help.
  std::string describeExpected(antlr4::Parser *recognizer,
                               const antlr4::misc::IntervalSet &expected) const;
  std::string describeToken(const antlr4::Token *token) const;
  void error(llvm::SMLoc loc, const std::string &message,
             llvm::SMRange range = {});

  const TokenLocator &locator;
  DiagnosticEngine &diags;
  unsigned numErrors = 0;
};

} // namespace rune::schema::detail

#endif // RUNE_LIB_SCHEMA_SCHEMASYNTAXERRORS_H
