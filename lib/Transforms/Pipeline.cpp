//===- Pipeline.cpp - The rune optimization pipeline ----------------------===//

#include "rune/Transforms/Pipeline.h"
#include "rune/Transforms/IpeCSE.h"
#include "rune/Transforms/IpeCanonicalize.h"
#include "rune/Transforms/IpeTriggerIndex.h"
#include "rune/Transforms/DatalogPasses.h"

#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

void rune::buildOptimizationPipeline(mlir::OpPassManager &pm) {
  // Datalog programs are stratified, planned and indexed first (nothing
  // happens to modules without one); folding and CSE then clean up both.
  buildDatalogPipeline(pm);
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
  // Only touches modules with IPE policies (docs/ipe.md).
  pm.addPass(createIpeTriggerIndexPass());
}

void rune::buildIpeOptimizationPipeline(mlir::OpPassManager &pm) {
  pm.addPass(createIpeCanonicalizePass());
  pm.addPass(createIpeCSEPass());
  pm.addPass(createIpeTriggerIndexPass());
}

void rune::registerOptimizationPipeline() {
  mlir::PassPipelineRegistration<>(
      "rune-optimize", "Fold and simplify rune policies",
      [](mlir::OpPassManager &pm) { buildOptimizationPipeline(pm); });
  mlir::PassPipelineRegistration<>(
      "rune-optimize-ipe",
      "Fold and simplify IPE policies and build their trigger index",
      [](mlir::OpPassManager &pm) { buildIpeOptimizationPipeline(pm); });
}
