//===- ASTBuilder.h - Cedar parse tree to AST conversion --------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Converts the ANTLR parse tree into the owned AST, performing the checks
// Cedar makes while building its AST: string escapes, integer literal range
// (with `-` folded into literals), `like` patterns, variable names, slot
// names, scope structure, chained relational operators, unsupported
// operators (`/`, `%`, `=`) and unary operator runs.
//
// Policies whose parse tree contains syntax errors (error nodes or rules
// exited through an exception) are skipped: the syntax error has been
// reported already, and the recovered tree may lack required children.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_CEDAR_ASTBUILDER_H
#define RUNE_LIB_FRONTEND_CEDAR_ASTBUILDER_H

#include "Literals.h"
#include "ParseDiagnostics.h"

#include "rune/Frontend/Cedar/AST.h"
#include "rune/Frontend/Common/SourceLocator.h"

#include "CedarParser.h"

#include "llvm/ADT/DenseMap.h"

#include <optional>

namespace rune::cedar::detail {

using frontend::SourceLocator;

class ASTBuilder {
public:
  /// AST nesting beyond which an expression is rejected, so that recursive
  /// passes over the AST (printing, Sema, lowering) cannot exhaust the stack.
  /// Long operator chains such as `a || b || ...` count, as they nest in the
  /// AST.
  static constexpr unsigned MaxExprDepth = 2000;

  ASTBuilder(const SourceLocator &locator, ParseDiagnostics &diags)
      : locator(locator), diags(diags) {}

  /// Builds every policy of `ctx` that parsed cleanly; the policies with
  /// errors are left out, the errors recorded in the ParseDiagnostics.
  PolicySet build(grammar::CedarParser::PolicySetContext *ctx);

private:
  using CP = grammar::CedarParser;

  std::optional<Policy> buildPolicy(CP::PolicyContext *ctx, unsigned index);
  std::optional<Annotation> buildAnnotation(CP::AnnotationContext *ctx);
  bool buildScope(CP::PolicyContext *ctx, Policy &policy);
  std::optional<ScopeConstraint>
  buildScopeElement(CP::ScopeElementContext *ctx);
  std::optional<Condition> buildCondition(CP::ConditionContext *ctx);

  ExprPtr buildExpr(CP::ExprContext *ctx);
  ExprPtr buildOr(CP::OrExprContext *ctx);
  ExprPtr buildAnd(CP::AndExprContext *ctx);
  template <typename NodeT, typename OperandT, typename BuildOperand>
  ExprPtr
  buildLeftAssociative(const std::vector<OperandT *> &operands,
                       const std::vector<antlr4::tree::TerminalNode *> &ops,
                       BuildOperand buildOperand);
  ExprPtr buildRelation(CP::RelationContext *ctx);
  ExprPtr buildAdd(CP::AddExprContext *ctx);
  ExprPtr buildMult(CP::MultExprContext *ctx);
  ExprPtr buildUnary(CP::UnaryContext *ctx);
  ExprPtr buildMember(CP::MemberContext *ctx);
  ExprPtr buildPrimary(CP::PrimaryContext *ctx);
  ExprPtr buildLiteral(CP::LiteralContext *ctx);
  /// Builds the elements of an optional expression list; nullopt if any
  /// element failed.
  std::optional<std::vector<ExprPtr>> buildExprList(CP::ExprListContext *ctx);
  QualifiedName buildPath(CP::PathContext *ctx);

  /// Reports the escape errors found in the STRING_LIT `token`; returns
  /// true if there are none.
  bool reportEscapeErrors(antlr4::Token *token,
                          llvm::ArrayRef<EscapeError> errors);
  /// Decodes a STRING_LIT token, reporting malformed escapes.
  std::optional<std::string> decodeString(antlr4::Token *token);
  /// Decodes a STRING_LIT token as a `like` pattern.
  std::optional<std::vector<PatternElement>>
  decodePattern(antlr4::Token *token);
  /// Builds an INT_LIT token, negated if `negate` (so that
  /// -9223372036854775808 is representable).
  ExprPtr buildInteger(antlr4::Token *token, llvm::SMRange range, bool negate);

  /// Records the depth of a new node (one more than its deepest child) and
  /// rejects it if it exceeds MaxExprDepth.
  ExprPtr finish(ExprPtr expr, unsigned childDepth);
  unsigned depthOf(const ExprPtr &expr) const;

  void error(llvm::SMLoc loc, const llvm::Twine &message,
             llvm::SMRange range = {});

  const SourceLocator &locator;
  ParseDiagnostics &diags;
  llvm::DenseMap<const Expr *, unsigned> depths;
  bool reportedDepthError = false;
};

} // namespace rune::cedar::detail

#endif // RUNE_LIB_FRONTEND_CEDAR_ASTBUILDER_H
