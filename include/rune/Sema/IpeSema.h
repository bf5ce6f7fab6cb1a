//===- IpeSema.h - Compile-time checks of IPE policy files -------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The compile-time errors of docs/ipe-language.md that the grammar does not
// catch: duplicate policy names, a `where` without an aggregate
// (`.count`/`.any`/`.all`) in its `requires`, ordering comparisons with a
// boolean literal on either side, and duplicate enum declarations or enum
// members. (Chained comparisons are rejected by the parser.)
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_SEMA_IPESEMA_H
#define RUNE_SEMA_IPESEMA_H

#include "rune/Frontend/Ipe/AST.h"
#include "rune/Support/Diagnostics.h"

namespace rune::ipe {

/// Reports every error of `file`; returns true if there is none.
bool checkPolicyFile(const PolicyFile &file, DiagnosticEngine &diags);

} // namespace rune::ipe

#endif // RUNE_SEMA_IPESEMA_H
