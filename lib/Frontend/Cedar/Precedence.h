//===- Precedence.h - Binding strength of Cedar expressions -----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The precedence levels of Cedar's expression grammar, shared by the printer
// and the formatter so that both insert parentheses at exactly the same
// places.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_FRONTEND_CEDAR_PRECEDENCE_H
#define RUNE_LIB_FRONTEND_CEDAR_PRECEDENCE_H

#include "rune/Frontend/Cedar/AST.h"

namespace rune::cedar::detail {

/// Binding strength of each level of Cedar's expression grammar.
enum Precedence : unsigned {
  PrecIf,
  PrecOr,
  PrecAnd,
  PrecRelation,
  PrecAdd,
  PrecMul,
  PrecUnary,
  PrecMember,
};

/// Cedar rejects more consecutive unary operators than this.
constexpr unsigned MaxUnaryRun = 4;

/// The level `expr` is parsed at; an operand printed at a lower level than
/// its context requires needs parentheses.
unsigned precedenceOf(const Expr &expr);

} // namespace rune::cedar::detail

#endif // RUNE_LIB_FRONTEND_CEDAR_PRECEDENCE_H
