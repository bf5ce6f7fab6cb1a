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

/// The pipeline for modules of IPE policies (rune.ipe.*): the same folds,
/// CSE and trigger index, with the canonicalizer and CSE replaced by
/// ipe-canonicalize (IpeCanonicalize.h) and ipe-cse (IpeCSE.h), which visit
/// only the policies that hold something to fold or share, and without
/// region simplification: IPE regions are single blocks whose trivially
/// dead operations the driver erases itself. The canonicalizer and CSE were
/// half of the pipeline on 10,000 policies (docs/performance.md, "IPE").
void buildIpeOptimizationPipeline(mlir::OpPassManager &pm);

/// Registers the pipelines as `rune-optimize` and `rune-optimize-ipe` for
/// rune-opt.
void registerOptimizationPipeline();

} // namespace rune

#endif // RUNE_TRANSFORMS_PIPELINE_H
