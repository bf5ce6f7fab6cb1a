//===- Pipeline.h - The rune optimization pipeline --------------*- C++ -*-===//

#ifndef RUNE_TRANSFORMS_PIPELINE_H
#define RUNE_TRANSFORMS_PIPELINE_H

#include "mlir/Pass/PassManager.h"

namespace rune {

/// Adds the passes `runec` runs on the rune dialect before either backend:
/// folding and canonicalization (constant conditions, short-circuits with
/// constant operands, policies that can never be satisfied), then common
/// subexpression elimination of side-effect-free operations.
void buildOptimizationPipeline(mlir::OpPassManager &pm);

/// Registers the pipeline as `rune-optimize` for rune-opt.
void registerOptimizationPipeline();

} // namespace rune

#endif // RUNE_TRANSFORMS_PIPELINE_H
