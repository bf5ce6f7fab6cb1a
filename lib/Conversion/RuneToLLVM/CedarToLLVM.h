//===- CedarToLLVM.h - Lowering Cedar policies to the LLVM dialect -*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Internal to convert-rune-to-llvm (RuneToLLVM.cpp), which emits the module
// descriptor around the functions made here.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_CONVERSION_RUNETOLLVM_CEDARTOLLVM_H
#define RUNE_LIB_CONVERSION_RUNETOLLVM_CEDARTOLLVM_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <string>
#include <vector>

namespace rune {

struct BytecodeLayout;

/// Replaces each policy of `layout.policies` (in bytecode order) by the
/// function `<symbol>_policy<i>` of type rune_policy_fn (rune_native.h),
/// appending the functions' names to `functionNames`.
mlir::LogicalResult lowerCedarPolicies(mlir::ModuleOp module,
                                       const BytecodeLayout &layout,
                                       llvm::StringRef symbol,
                                       std::vector<std::string> &functionNames);

} // namespace rune

#endif // RUNE_LIB_CONVERSION_RUNETOLLVM_CEDARTOLLVM_H
