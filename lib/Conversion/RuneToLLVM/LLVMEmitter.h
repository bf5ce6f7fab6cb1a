//===- LLVMEmitter.h - What the LLVM-dialect lowerings build with -*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// The lowerings of Cedar policies, IPE policies and decisions, and Datalog
// strata each build LLVM-dialect code with one builder, the same integer
// and pointer types, and integer constants; they inherit them from here
// rather than each declaring its own.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_CONVERSION_RUNETOLLVM_LLVMEMITTER_H
#define RUNE_LIB_CONVERSION_RUNETOLLVM_LLVMEMITTER_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace rune {

class LLVMEmitter {
protected:
  explicit LLVMEmitter(mlir::MLIRContext *context)
      : builder(context), ptrType(mlir::LLVM::LLVMPointerType::get(context)),
        i1Type(mlir::IntegerType::get(context, 1)),
        i8Type(mlir::IntegerType::get(context, 8)),
        i32Type(mlir::IntegerType::get(context, 32)),
        i64Type(mlir::IntegerType::get(context, 64)) {}

  mlir::Value constI1(mlir::Location loc, bool value) {
    return builder.create<mlir::LLVM::ConstantOp>(loc, i1Type,
                                                  builder.getBoolAttr(value));
  }
  mlir::Value constI8(mlir::Location loc, int64_t value) {
    return builder.create<mlir::LLVM::ConstantOp>(
        loc, i8Type, builder.getI8IntegerAttr(value));
  }
  mlir::Value constI32(mlir::Location loc, int64_t value) {
    return builder.create<mlir::LLVM::ConstantOp>(
        loc, i32Type, builder.getI32IntegerAttr(value));
  }
  mlir::Value constI64(mlir::Location loc, int64_t value) {
    return builder.create<mlir::LLVM::ConstantOp>(
        loc, i64Type, builder.getI64IntegerAttr(value));
  }

  mlir::OpBuilder builder;
  mlir::Type ptrType, i1Type, i8Type, i32Type, i64Type;
};

} // namespace rune

#endif // RUNE_LIB_CONVERSION_RUNETOLLVM_LLVMEMITTER_H
