//===- RulesASTBuilder.h - [rules] parse tree to Datalog AST ----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_RUNE_RULESASTBUILDER_H
#define RUNE_LIB_FRONTEND_RUNE_RULESASTBUILDER_H

#include "rune/Frontend/Common/SourceLocator.h"
#include "rune/Frontend/Souffle/AST.h"
#include "rune/Support/Diagnostics.h"

#include "RuneRulesParser.h"

#include <vector>

namespace rune::runefile::detail {

/// Builds the shared Datalog AST from a [rules] parse tree without syntax
/// errors, reporting what the grammar leaves open:
///  * method names (`starts_with`, `ends_with`, `contains` are conditions,
///    `len` a value) and aggregate names (count, sum, min, max, mean);
///  * aggregates only in comparisons, or alone as the short form;
///  * integer constants within the 62 bits of an `any` column.
///
/// Mapping: a symbol `alice` is the string "alice" (symbols are interned
/// strings); `true`/`false` are Bool terms; `T.starts_with(s)` and
/// `T.ends_with(s)` are Test literals with operands {T, s};
/// `T.contains(s)` is the Test `contains(s, T)` in Soufflé's argument order
/// (needle first); `T.len()` is the functor `strlen(T)`.
class RulesASTBuilder {
public:
  RulesASTBuilder(const frontend::SourceLocator &locator,
                  DiagnosticEngine &diags)
      : locator(locator), diags(diags) {}

  std::vector<souffle::Clause>
  build(grammar::RuneRulesParser::ProgramContext *tree);

private:
  using P = grammar::RuneRulesParser;
  souffle::Clause buildClause(P::ClauseContext *ctx);
  souffle::Literal buildLiteral(P::LiteralContext *ctx);
  souffle::Atom buildAtom(P::AtomContext *ctx);
  souffle::Atom buildCall(P::RelationCallContext *ctx);
  souffle::Term buildAggregate(P::AggregateContext *ctx);
  souffle::Term buildTerm(P::TermContext *ctx, bool allowAggregate);
  souffle::Term buildMethod(P::MethodTermContext *ctx, bool asCondition);
  souffle::Term buildInteger(llvm::StringRef digits, bool negative,
                             llvm::SMRange range);

  const frontend::SourceLocator &locator;
  DiagnosticEngine &diags;
};

} // namespace rune::runefile::detail

#endif // RUNE_LIB_FRONTEND_RUNE_RULESASTBUILDER_H
