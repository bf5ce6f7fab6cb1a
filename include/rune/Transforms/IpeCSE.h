//===- IpeCSE.h - CSE only where there is something to share ----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// `ipe-cse` gives a module of IPE policies what `cse` gives it, but runs
// common subexpression elimination only on the policies that hold two
// equivalent operations CSE could merge (or one it would erase as dead);
// most policies hold none, and CSE over all of them was a tenth of compiling
// 10,000 policies (docs/performance.md, "IPE").
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TRANSFORMS_IPECSE_H
#define RUNE_TRANSFORMS_IPECSE_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace rune {

std::unique_ptr<mlir::Pass> createIpeCSEPass();
void registerIpeCSEPass();

} // namespace rune

#endif // RUNE_TRANSFORMS_IPECSE_H
