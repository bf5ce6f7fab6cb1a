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

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <string>
#include <vector>

namespace rune {
namespace bc {
class Module;
}

/// Replaces the module's IPE operations by one LLVM function per Policies
/// entry and the exported descriptor `symbol`.
mlir::LogicalResult lowerIpeModule(mlir::ModuleOp module,
                                   llvm::StringRef symbol);

/// Defined in IpeDecideToLLVM.cpp: the module's whole decision with the
/// trigger index of `image` compiled in, as the internal function `name`
/// of type rune_ipe_decide_fn (rune_ipe_native.h) calling
/// `policyFunctions` (one per policy, in order). Emits nothing and returns
/// false when the index lists a policy twice (the compiler's never does;
/// the runtime's generic decision de-duplicates).
bool emitIpeDecideFunction(
    mlir::ModuleOp module, const bc::Module &image,
    llvm::ArrayRef<mlir::LLVM::LLVMFuncOp> policyFunctions,
    llvm::StringRef name);

/// Defined in RuneToLLVM.cpp: the embedded bytecode and the exported
/// struct rune_native_module `symbol` listing `functionNames`.
void emitNativeModuleDescriptor(mlir::ModuleOp module, llvm::StringRef symbol,
                                const std::vector<uint8_t> &bytecode,
                                llvm::ArrayRef<std::string> functionNames);

} // namespace rune

#endif // RUNE_LIB_CONVERSION_RUNETOLLVM_IPETOLLVM_H
