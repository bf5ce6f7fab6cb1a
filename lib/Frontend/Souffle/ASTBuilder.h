//===- ASTBuilder.h - Soufflé parse tree to AST -----------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_SOUFFLE_ASTBUILDER_H
#define RUNE_LIB_FRONTEND_SOUFFLE_ASTBUILDER_H

#include "rune/Frontend/Common/SourceLocator.h"
#include "rune/Frontend/Souffle/AST.h"

#include "SouffleParser.h"

namespace rune::souffle::detail {

/// Builds the AST from a parse tree that had no syntax errors.
class ASTBuilder {
public:
  explicit ASTBuilder(const frontend::SourceLocator &locator)
      : locator(locator) {}

  Program build(grammar::SouffleParser::ProgramContext *tree);

private:
  using P = grammar::SouffleParser;
  void buildRelations(P::RelationDeclContext *ctx, Program &program);
  void buildIO(P::IoDeclContext *ctx, Program &program);
  Clause buildClause(P::ClauseContext *ctx);
  std::vector<Literal> buildBody(P::BodyContext *ctx);
  Literal buildLiteral(P::LiteralContext *ctx);
  Atom buildAtom(P::AtomContext *ctx);
  Term buildTerm(P::TermContext *ctx);

  const frontend::SourceLocator &locator;
};

/// The contents of a string literal token (quotes removed, escapes decoded).
std::string unquote(llvm::StringRef literal);

} // namespace rune::souffle::detail

#endif // RUNE_LIB_FRONTEND_SOUFFLE_ASTBUILDER_H
