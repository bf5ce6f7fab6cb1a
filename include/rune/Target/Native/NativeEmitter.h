//===- NativeEmitter.h - LLVM dialect -> optimized host object --*- C++ -*-===//

#ifndef RUNE_TARGET_NATIVE_NATIVEEMITTER_H
#define RUNE_TARGET_NATIVE_NATIVEEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace rune {

/// Translates a module holding only LLVM dialect operations (the output of
/// convert-rune-to-llvm) to LLVM IR for the host, optimized at `optLevel`
/// (0-3). Returns null and sets `error` on failure.
std::unique_ptr<llvm::Module> translateToLLVMIR(mlir::ModuleOp module,
                                                llvm::LLVMContext &context,
                                                unsigned optLevel,
                                                std::string &error);

/// Writes `module` as a relocatable object file for the host.
bool emitObjectFile(llvm::Module &module, llvm::raw_pwrite_stream &os,
                    std::string &error);

} // namespace rune

#endif // RUNE_TARGET_NATIVE_NATIVEEMITTER_H
