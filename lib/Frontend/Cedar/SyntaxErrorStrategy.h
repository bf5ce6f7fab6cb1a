//===- SyntaxErrorStrategy.h - Cedar syntax error reporting -----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Words the syntax errors of Cedar policies (on the shared strategy of
// rune/Frontend/Common/SyntaxErrorStrategy.h) and collects them in the
// parser's diagnostics:
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

#include "rune/Frontend/Common/SyntaxErrorStrategy.h"

namespace rune::cedar::detail {

using frontend::SourceLocator;

class CedarSyntaxErrorStrategy : public frontend::SyntaxErrorStrategy {
public:
  CedarSyntaxErrorStrategy(const SourceLocator &locator,
                           ParseDiagnostics &diags)
      : SyntaxErrorStrategy(locator), diags(diags) {}

  void sync(antlr4::Parser *recognizer) override;

protected:
  void reportUnexpected(antlr4::Parser *recognizer, antlr4::Token *offending,
                        const antlr4::misc::IntervalSet &expected) override;
  void error(llvm::SMLoc loc, const std::string &message,
             llvm::SMRange range = {}) override;
  const char *
  missingTerminator(antlr4::Parser *recognizer,
                    const antlr4::misc::IntervalSet &expected) const override;
  void leadingExpected(const antlr4::misc::IntervalSet &expected,
                       std::vector<std::string> &names) const override;
  bool isSuggested(size_t type,
                   const antlr4::misc::IntervalSet &expected) const override;
  const char *tokenKindName(size_t type) const override;

private:
  ParseDiagnostics &diags;
};

} // namespace rune::cedar::detail

#endif // RUNE_LIB_FRONTEND_CEDAR_SYNTAXERRORSTRATEGY_H
