//===- RuntimeDeclarations.h - Runtime helpers declared once ----*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The lowerings of Cedar policies, IPE policies and Datalog strata call
// runtime helpers (rune_native.h, rune_ipe_native.h,
// rune_datalog_native.h); each helper is declared in the LLVM-dialect
// module the first time it is called. Found again through a map:
// ModuleOp::lookupSymbol scans the module, and a module of 10,000 policies
// has 10,000 functions.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_CONVERSION_RUNETOLLVM_RUNTIMEDECLARATIONS_H
#define RUNE_LIB_CONVERSION_RUNETOLLVM_RUNTIMEDECLARATIONS_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

namespace rune {

class RuntimeDeclarations {
public:
  explicit RuntimeDeclarations(mlir::ModuleOp module) : module(module) {}

  /// The declaration of helper `name` returning `result`, created at the
  /// start of the module the first time.
  mlir::LLVM::LLVMFuncOp get(mlir::OpBuilder &builder, llvm::StringRef name,
                             mlir::Type result, mlir::TypeRange args) {
    mlir::LLVM::LLVMFuncOp &function = declared[name];
    if (function)
      return function;
    // Another lowering of the same module may have declared it already.
    if ((function = module.lookupSymbol<mlir::LLVM::LLVMFuncOp>(name)))
      return function;
    mlir::OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPointToStart(module.getBody());
    function = builder.create<mlir::LLVM::LLVMFuncOp>(
        module.getLoc(), name,
        mlir::LLVM::LLVMFunctionType::get(
            result, llvm::SmallVector<mlir::Type>(args.begin(), args.end())));
    return function;
  }

  /// Calls helper `name` with `operands`, declaring it (returning
  /// `result`, taking the operands' types) on its first call; returns the
  /// call's result, or a null value for a void helper.
  mlir::Value call(mlir::OpBuilder &builder, mlir::Location loc,
                   llvm::StringRef name, mlir::Type result,
                   mlir::ValueRange operands) {
    mlir::LLVM::LLVMFuncOp callee =
        get(builder, name, result, mlir::TypeRange(operands));
    auto op = builder.create<mlir::LLVM::CallOp>(loc, callee, operands);
    return mlir::isa<mlir::LLVM::LLVMVoidType>(result) ? mlir::Value()
                                                       : op.getResult();
  }

private:
  mlir::ModuleOp module;
  llvm::StringMap<mlir::LLVM::LLVMFuncOp> declared;
};

} // namespace rune

#endif // RUNE_LIB_CONVERSION_RUNETOLLVM_RUNTIMEDECLARATIONS_H
