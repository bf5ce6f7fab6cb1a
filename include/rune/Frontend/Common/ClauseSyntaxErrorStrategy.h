//===- ClauseSyntaxErrorStrategy.h - Datalog syntax errors ------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// What the error strategies of the two Datalog syntaxes (Soufflé programs,
// grammar/Souffle.g4, and .rune rules, grammar/RuneRules.g4) share: a
// clause (or its body) ends with '.', the lexer's catch-all token is
// UNKNOWN, and errors go to the DiagnosticEngine. Each grammar still names
// its own expected tokens (leadingExpected, isSuggested, tokenKindName).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_FRONTEND_COMMON_CLAUSESYNTAXERRORSTRATEGY_H
#define RUNE_FRONTEND_COMMON_CLAUSESYNTAXERRORSTRATEGY_H

#include "rune/Frontend/Common/SyntaxErrorStrategy.h"

namespace rune::frontend {

/// `GeneratedParser` is the ANTLR-generated parser class of the grammar:
/// it has the token types UNKNOWN and DOT and the rules clause and body.
template <typename GeneratedParser>
class ClauseSyntaxErrorStrategy : public SyntaxErrorStrategy {
public:
  ClauseSyntaxErrorStrategy(const SourceLocator &locator,
                            DiagnosticEngine &diags)
      : SyntaxErrorStrategy(locator), diags(diags) {}

protected:
  void reportUnexpected(antlr4::Parser *recognizer, antlr4::Token *offending,
                        const antlr4::misc::IntervalSet &expected) override {
    if (offending->getType() == GeneratedParser::UNKNOWN)
      return reportUnknownToken(offending);
    reportMismatch(recognizer, offending, expected);
  }

  void error(llvm::SMLoc loc, const std::string &message,
             llvm::SMRange range = {}) override {
    emit(diags, loc, message, range);
  }

  const char *
  missingTerminator(antlr4::Parser *recognizer,
                    const antlr4::misc::IntervalSet &expected) const override {
    size_t rule = recognizer->getContext()->getRuleIndex();
    if ((rule == GeneratedParser::RuleClause ||
         rule == GeneratedParser::RuleBody) &&
        expected.contains(size_t(GeneratedParser::DOT)))
      return "expected '.' after clause";
    return nullptr;
  }

  DiagnosticEngine &diags;
};

} // namespace rune::frontend

#endif // RUNE_FRONTEND_COMMON_CLAUSESYNTAXERRORSTRATEGY_H
