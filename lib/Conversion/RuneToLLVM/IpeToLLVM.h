//===- IpeToLLVM.h - Lowering IPE modules to the LLVM dialect ---*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Internal to convert-rune-to-llvm: the pass hands modules holding IPE
// policies to lowerIpeModule, which shares the module descriptor with the
// Cedar lowering (rune_native.h).
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_CONVERSION_RUNETOLLVM_IPETOLLVM_H
#define RUNE_LIB_CONVERSION_RUNETOLLVM_IPETOLLVM_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <string>
#include <vector>

namespace rune {

/// Replaces the module's IPE operations by one LLVM function per Policies
/// entry and the exported descriptor `symbol`.
mlir::LogicalResult lowerIpeModule(mlir::ModuleOp module,
                                   llvm::StringRef symbol);

/// Defined in RuneToLLVM.cpp: the embedded bytecode and the exported
/// struct rune_native_module `symbol` listing `functionNames`.
void emitNativeModuleDescriptor(mlir::ModuleOp module, llvm::StringRef symbol,
                                const std::vector<uint8_t> &bytecode,
                                llvm::ArrayRef<std::string> functionNames);

} // namespace rune

#endif // RUNE_LIB_CONVERSION_RUNETOLLVM_IPETOLLVM_H
