//===- IpeTriggerIndex.h - The IPE trigger index pass -----------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// `ipe-trigger-index` derives from each IPE policy's trigger the equality
// and `in` tests on request paths that must hold for it to apply, and
// records the index (path -> value -> policies) as rune.ipe.index_field and
// rune.ipe.index_always operations, which both backends emit (docs/ipe.md).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TRANSFORMS_IPETRIGGERINDEX_H
#define RUNE_TRANSFORMS_IPETRIGGERINDEX_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace rune {

std::unique_ptr<mlir::Pass> createIpeTriggerIndexPass();
void registerIpeTriggerIndexPass();

} // namespace rune

#endif // RUNE_TRANSFORMS_IPETRIGGERINDEX_H
