//===- ASTBuilder.h - IPE parse tree to owned AST ----------------*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_IPE_ASTBUILDER_H
#define RUNE_LIB_FRONTEND_IPE_ASTBUILDER_H

#include "rune/Frontend/Common/SourceLocator.h"
#include "rune/Frontend/Ipe/AST.h"
#include "rune/Support/Diagnostics.h"

#include "IpeParser.h"

namespace rune::ipe::detail {

/// Builds the AST of a parse tree that had no syntax errors. Reports what
/// the grammar lets through on purpose (chained comparisons, unknown string
/// escapes, integers out of range).
class ASTBuilder {
public:
  using P = grammar::IpeParser;

  ASTBuilder(const frontend::SourceLocator &locator, DiagnosticEngine &diags)
      : locator(locator), diags(diags) {}

  PolicyFile build(P::File_Context *tree);

private:
  Policy buildPolicy(P::PolicyContext *ctx);
  EnumDecl buildEnum(P::EnumDeclContext *ctx);
  ExprPtr buildExpr(P::ExprContext *ctx);
  ExprPtr buildAnd(P::AndExprContext *ctx);
  ExprPtr buildNot(P::NotExprContext *ctx);
  ExprPtr buildComparison(P::ComparisonContext *ctx);
  ExprPtr buildIn(P::InExprContext *ctx);
  ExprPtr buildPrimary(P::PrimaryContext *ctx);
  std::vector<std::string> buildPath(P::PathContext *ctx);
  Value buildLiteral(P::LiteralContext *ctx);
  Value buildValue(P::ValueContext *ctx);
  std::string unquote(antlr4::Token *token);

  ExprPtr binary(Expr::Kind kind, ExprPtr lhs, ExprPtr rhs);

  const frontend::SourceLocator &locator;
  DiagnosticEngine &diags;
};

/// The comparison a token of the grammar's `comparison` rule names (EQ, NE,
/// LT, LE, GT, GE); none for any other token. Shared by both parsers.
std::optional<CompareOp> compareOpOfToken(size_t type);

} // namespace rune::ipe::detail

#endif // RUNE_LIB_FRONTEND_IPE_ASTBUILDER_H
