//===- ASTClone.cpp - Deep copies of Cedar ASTs ---------------------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Frontend/Cedar/AST.h"

#include "llvm/Support/ErrorHandling.h"

using namespace rune::cedar;

namespace {

ExprPtr cloneOrNull(const Expr *expr) {
  return expr ? cloneExpr(*expr) : nullptr;
}

std::vector<ExprPtr> cloneList(const std::vector<ExprPtr> &exprs) {
  std::vector<ExprPtr> copies;
  copies.reserve(exprs.size());
  for (const ExprPtr &expr : exprs)
    copies.push_back(cloneExpr(*expr));
  return copies;
}

ScopeConstraint cloneScope(const ScopeConstraint &scope) {
  ScopeConstraint copy;
  copy.var = scope.var;
  copy.kind = scope.kind;
  copy.entityType = scope.entityType;
  copy.operand = cloneOrNull(scope.operand.get());
  copy.range = scope.range;
  return copy;
}

} // namespace

ExprPtr rune::cedar::cloneExpr(const Expr &expr) {
  llvm::SMRange range = expr.getRange();
  llvm::SMLoc loc = expr.getLoc();
  switch (expr.getKind()) {
  case Expr::Kind::BoolLiteral:
    return std::make_unique<BoolLiteralExpr>(
        llvm::cast<BoolLiteralExpr>(expr).getValue(), range);
  case Expr::Kind::LongLiteral:
    return std::make_unique<LongLiteralExpr>(
        llvm::cast<LongLiteralExpr>(expr).getValue(), range);
  case Expr::Kind::StringLiteral:
    return std::make_unique<StringLiteralExpr>(
        llvm::cast<StringLiteralExpr>(expr).getValue().str(), range);
  case Expr::Kind::EntityUid: {
    const auto &uid = llvm::cast<EntityUidExpr>(expr);
    return std::make_unique<EntityUidExpr>(uid.getType(), uid.getId().str(),
                                           range);
  }
  case Expr::Kind::Var:
    return std::make_unique<VarExpr>(llvm::cast<VarExpr>(expr).getVar(), range);
  case Expr::Kind::Slot:
    return std::make_unique<SlotExpr>(llvm::cast<SlotExpr>(expr).getSlot(),
                                      range);
  case Expr::Kind::If: {
    const auto &e = llvm::cast<IfExpr>(expr);
    return std::make_unique<IfExpr>(cloneExpr(e.getCond()),
                                    cloneExpr(e.getThen()),
                                    cloneExpr(e.getElse()), range);
  }
  case Expr::Kind::And: {
    const auto &e = llvm::cast<AndExpr>(expr);
    return std::make_unique<AndExpr>(cloneExpr(e.getLHS()),
                                     cloneExpr(e.getRHS()), range, loc);
  }
  case Expr::Kind::Or: {
    const auto &e = llvm::cast<OrExpr>(expr);
    return std::make_unique<OrExpr>(cloneExpr(e.getLHS()),
                                    cloneExpr(e.getRHS()), range, loc);
  }
  case Expr::Kind::Not:
    return std::make_unique<NotExpr>(
        cloneExpr(llvm::cast<NotExpr>(expr).getOperand()), range);
  case Expr::Kind::Neg:
    return std::make_unique<NegExpr>(
        cloneExpr(llvm::cast<NegExpr>(expr).getOperand()), range);
  case Expr::Kind::Binary: {
    const auto &e = llvm::cast<BinaryExpr>(expr);
    return std::make_unique<BinaryExpr>(e.getOp(), cloneExpr(e.getLHS()),
                                        cloneExpr(e.getRHS()), range, loc);
  }
  case Expr::Kind::Has: {
    const auto &e = llvm::cast<HasExpr>(expr);
    return std::make_unique<HasExpr>(cloneExpr(e.getObject()), e.getAttrs(),
                                     range, loc);
  }
  case Expr::Kind::Like: {
    const auto &e = llvm::cast<LikeExpr>(expr);
    return std::make_unique<LikeExpr>(cloneExpr(e.getObject()), e.getPattern(),
                                      range, loc);
  }
  case Expr::Kind::Is: {
    const auto &e = llvm::cast<IsExpr>(expr);
    return std::make_unique<IsExpr>(cloneExpr(e.getObject()), e.getType(),
                                    cloneOrNull(e.getInExpr()), range, loc);
  }
  case Expr::Kind::GetAttr: {
    const auto &e = llvm::cast<GetAttrExpr>(expr);
    return std::make_unique<GetAttrExpr>(cloneExpr(e.getObject()),
                                         e.getAttr().str(), e.getAttrRange(),
                                         e.usesIndexSyntax(), range, loc);
  }
  case Expr::Kind::MethodCall: {
    const auto &e = llvm::cast<MethodCallExpr>(expr);
    return std::make_unique<MethodCallExpr>(cloneExpr(e.getReceiver()),
                                            e.getName().str(), e.getNameRange(),
                                            cloneList(e.getArgs()), range);
  }
  case Expr::Kind::FunctionCall: {
    const auto &e = llvm::cast<FunctionCallExpr>(expr);
    return std::make_unique<FunctionCallExpr>(e.getName(),
                                              cloneList(e.getArgs()), range);
  }
  case Expr::Kind::Set:
    return std::make_unique<SetExpr>(
        cloneList(llvm::cast<SetExpr>(expr).getElements()), range);
  case Expr::Kind::Record: {
    std::vector<RecordEntry> entries;
    for (const RecordEntry &entry : llvm::cast<RecordExpr>(expr).getEntries())
      entries.push_back({entry.key, entry.keyRange, cloneExpr(*entry.value)});
    return std::make_unique<RecordExpr>(std::move(entries), range);
  }
  }
  llvm_unreachable("unknown expression kind");
}

Policy rune::cedar::clonePolicy(const Policy &policy) {
  Policy copy;
  copy.effect = policy.effect;
  copy.annotations = policy.annotations;
  copy.principal = cloneScope(policy.principal);
  copy.action = cloneScope(policy.action);
  copy.resource = cloneScope(policy.resource);
  for (const Condition &condition : policy.conditions)
    copy.conditions.push_back(
        {condition.kind, cloneExpr(*condition.body), condition.range});
  copy.id = policy.id;
  copy.range = policy.range;
  copy.effectLoc = policy.effectLoc;
  return copy;
}
