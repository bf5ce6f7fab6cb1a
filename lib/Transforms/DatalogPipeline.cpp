//===- DatalogPipeline.cpp - The Datalog passes, in order -----------------===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//

#include "rune/Transforms/DatalogPasses.h"

#include "mlir/Pass/PassRegistry.h"

void rune::buildDatalogPipeline(mlir::OpPassManager &pm) {
  pm.addPass(createDatalogStratifyPass());
  pm.addPass(createDatalogSemiNaivePass());
  pm.addPass(createDatalogPlanPass());
  pm.addPass(createDatalogIndexSelectionPass());
}

void rune::registerDatalogPasses() {
  mlir::registerPass(createDatalogStratifyPass);
  mlir::registerPass(createDatalogSemiNaivePass);
  mlir::registerPass(createDatalogPlanPass);
  mlir::registerPass(createDatalogIndexSelectionPass);
  mlir::PassPipelineRegistration<>(
      "rune-dl-pipeline",
      "Stratify, make semi-naive, plan and index a Datalog program",
      [](mlir::OpPassManager &pm) { buildDatalogPipeline(pm); });
}
