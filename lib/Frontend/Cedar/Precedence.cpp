//===- Precedence.cpp - Binding strength of Cedar expressions -------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "Precedence.h"

using namespace rune::cedar;

unsigned rune::cedar::detail::precedenceOf(const Expr &expr) {
  switch (expr.getKind()) {
  case Expr::Kind::If:
    return PrecIf;
  case Expr::Kind::Or:
    return PrecOr;
  case Expr::Kind::And:
    return PrecAnd;
  case Expr::Kind::Has:
  case Expr::Kind::Like:
  case Expr::Kind::Is:
    return PrecRelation;
  case Expr::Kind::Binary:
    switch (llvm::cast<BinaryExpr>(expr).getOp()) {
    case BinaryExpr::Op::Add:
    case BinaryExpr::Op::Sub:
      return PrecAdd;
    case BinaryExpr::Op::Mul:
      return PrecMul;
    default:
      return PrecRelation;
    }
  case Expr::Kind::Not:
  case Expr::Kind::Neg:
    return PrecUnary;
  case Expr::Kind::LongLiteral:
    // A negative literal is spelled with a leading '-'.
    return llvm::cast<LongLiteralExpr>(expr).getValue() < 0 ? PrecUnary
                                                            : PrecMember;
  default:
    return PrecMember;
  }
}
