//===- SchemaSyntaxErrors.h - Cedar schema syntax errors --------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Words syntax errors for schema authors (on the strategy shared with the
// policy parser, rune/Frontend/Common/SyntaxErrorStrategy.h), and reports
// only the first (the following ones
// are usually artifacts of the recovery), e.g.
//
//   expected ';' after declaration
//   unexpected token '}'; expected identifier or string literal
//   unterminated string literal
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_SCHEMA_SCHEMASYNTAXERRORS_H
#define RUNE_LIB_SCHEMA_SCHEMASYNTAXERRORS_H

#include "rune/Frontend/Common/SyntaxErrorStrategy.h"
#include "rune/Support/Diagnostics.h"

namespace rune::schema::detail {

using frontend::SourceLocator;

class SchemaSyntaxErrorStrategy : public frontend::SyntaxErrorStrategy {
public:
  SchemaSyntaxErrorStrategy(const SourceLocator &locator,
                            DiagnosticEngine &diags)
      : SyntaxErrorStrategy(locator), diags(diags) {}

  /// Number of syntax errors reported so far.
  unsigned getNumErrors() const { return numErrors; }

protected:
  void reportUnexpected(antlr4::Parser *recognizer, antlr4::Token *offending,
                        const antlr4::misc::IntervalSet &expected) override;
  void error(llvm::SMLoc loc, const std::string &message,
             llvm::SMRange range = {}) override;
  const char *
  missingTerminator(antlr4::Parser *recognizer,
                    const antlr4::misc::IntervalSet &expected) const override;
  bool isSuggested(size_t type,
                   const antlr4::misc::IntervalSet &expected) const override;
  const char *tokenKindName(size_t type) const override;

private:
  DiagnosticEngine &diags;
  unsigned numErrors = 0;
};

} // namespace rune::schema::detail

#endif // RUNE_LIB_SCHEMA_SCHEMASYNTAXERRORS_H
