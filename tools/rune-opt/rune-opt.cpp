//===- rune-opt.cpp - mlir-opt for the rune dialect -----------------------===//

#include "rune/Conversion/Passes.h"
#include "rune/Dialect/Rune/RuneDialect.h"
#include "rune/Transforms/IpeCSE.h"
#include "rune/Transforms/IpeCanonicalize.h"
#include "rune/Transforms/IpeTriggerIndex.h"
#include "rune/Transforms/Pipeline.h"
#include "rune/Transforms/DatalogPasses.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  rune::registerConvertRuneToLLVM();
  rune::registerOptimizationPipeline();
  rune::registerIpeTriggerIndexPass();
  rune::registerIpeCanonicalizePass();
  rune::registerIpeCSEPass();
  rune::registerDatalogPasses();

  mlir::DialectRegistry registry;
  registry.insert<rune::RuneDialect, mlir::LLVM::LLVMDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "rune optimizer driver: the rune dialect's mlir-opt\n",
      registry));
}
