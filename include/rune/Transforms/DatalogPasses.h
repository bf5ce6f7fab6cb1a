//===- DatalogPasses.h - Passes over the relational ops ---------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The passes that turn IRGen's unplanned Datalog program (one query per
// clause, atoms in source order) into the plan both backends run:
//
//   rune-dl-stratify        strata from the precedence graph's SCCs, in
//                           dependency order; a fixpoint per recursive SCC;
//                           a located error naming the relations of a
//                           cycle through negation or aggregation.
//   rune-dl-semi-naive      in a fixpoint, one version of each recursive
//                           query per recursive atom, reading that atom's
//                           delta.
//   rune-dl-plan            join order (delta atoms first, then the atom
//                           with the most bound columns) and loop nests:
//                           scans, index lookups on the bound columns,
//                           guards as early as their operands allow.
//   rune-dl-select-indexes  the column orders each relation is stored in:
//                           a minimal chain cover of its lookup patterns.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TRANSFORMS_DATALOGPASSES_H
#define RUNE_TRANSFORMS_DATALOGPASSES_H

#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

#include <memory>

namespace rune {

std::unique_ptr<mlir::Pass> createDatalogStratifyPass();
std::unique_ptr<mlir::Pass> createDatalogSemiNaivePass();
std::unique_ptr<mlir::Pass> createDatalogPlanPass();
std::unique_ptr<mlir::Pass> createDatalogIndexSelectionPass();

/// The four passes, in order (they do nothing on modules without a
/// rune.dl.program).
void buildDatalogPipeline(mlir::OpPassManager &pm);

/// Registers the passes and the `rune-dl-pipeline` pipeline with mlir-opt.
void registerDatalogPasses();

} // namespace rune

#endif // RUNE_TRANSFORMS_DATALOGPASSES_H
