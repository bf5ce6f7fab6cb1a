//===- DatalogToLLVM.h - Lowering Datalog programs to the LLVM dialect -*- C++
//-*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Internal to convert-rune-to-llvm: the pass hands a module's planned
// rune.dl.program to lowerDatalogProgram, which turns each top-level
// statement into a native stratum function (rune_datalog_native.h); the
// pass lists them in the module descriptor after the policy functions.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_LIB_CONVERSION_RUNETOLLVM_DATALOGTOLLVM_H
#define RUNE_LIB_CONVERSION_RUNETOLLVM_DATALOGTOLLVM_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rune {

/// Replaces the module's rune.dl.program (if any) by one function
/// `void <symbol>_stratum<i>(ptr frame)` per top-level statement, in
/// program order, and appends their names to `functionNames`. `bytecode` is
/// the module's bytecode as embedded in the object: symbol constants are
/// read from the frame at the index its string table gives their text.
mlir::LogicalResult
lowerDatalogProgram(mlir::ModuleOp module, llvm::StringRef symbol,
                    const std::vector<uint8_t> &bytecode,
                    std::vector<std::string> &functionNames);

} // namespace rune

#endif // RUNE_LIB_CONVERSION_RUNETOLLVM_DATALOGTOLLVM_H
