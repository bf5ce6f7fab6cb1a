//===- IpeCanonicalize.h - Canonicalizing only what can fold ----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// `ipe-canonicalize` gives a module of IPE policies what the canonicalizer
// gives it, but runs the greedy rewrite driver only on the policies holding
// an operation that one of the rune.ipe folds or patterns could change
// (RuneIntentOps.cpp); most policies hold none, and driving the canonicalizer
// over all of them was a tenth of compiling 10,000 policies
// (docs/performance.md, "IPE").
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TRANSFORMS_IPECANONICALIZE_H
#define RUNE_TRANSFORMS_IPECANONICALIZE_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir {
class Operation;
} // namespace mlir

namespace rune {

/// Whether the canonicalizer could change `op` (fold it, rewrite it with a
/// pattern, erase it as dead, or move it as a constant): false only for the
/// rune.ipe operations that none of their folds and patterns apply to as
/// they stand. Any other operation may change.
bool mayCanonicalizeIntentOp(mlir::Operation *op);

std::unique_ptr<mlir::Pass> createIpeCanonicalizePass();
void registerIpeCanonicalizePass();

} // namespace rune

#endif // RUNE_TRANSFORMS_IPECANONICALIZE_H
