//===- IpeBytecodeEmitter.h - rune.ipe.* to bytecode ------------*- C++ -*-===//
//
// Part of the rune project.
//
//===----------------------------------------------------------------------===//
//
// Writes an IPE module (rune.ipe.policy operations, enums and the trigger
// index) as a .rbc module with the IpeModule and IpeTriggerIndex sections
// (runtime/include/rune/Runtime/IpeFormat.h). The layout it returns tells
// the native lowering which table index every operation got, because the
// object file embeds this bytecode for its tables.
//
//===----------------------------------------------------------------------===//

#ifndef RUNE_TARGET_BYTECODE_IPEBYTECODEEMITTER_H
#define RUNE_TARGET_BYTECODE_IPEBYTECODEEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/DenseMap.h"

#include <cstdint>
#include <string>
#include <vector>

namespace rune {

struct IpeBytecodeLayout {
  /// rune.ipe.read: its slot; rune.ipe.literal / rune.ipe.bool: its
  /// literal; rune.ipe.compare / in / truth: its condition;
  /// rune.ipe.aggregate: its filter (kNoIndex without one).
  llvm::DenseMap<mlir::Operation *, uint32_t> index;
  /// rune.ipe.get: the key and display strings.
  llvm::DenseMap<mlir::Operation *, std::pair<uint32_t, uint32_t>> strings;
  /// Policies section entries in order: the rune.ipe.policy operations,
  /// then the rune.ipe.aggregate operations whose filter is an entry.
  std::vector<mlir::Operation *> entries;
  size_t policyCount = 0;
};

/// Whether `module` holds IPE policies (rather than Cedar ones).
bool isIpeModule(mlir::ModuleOp module);

/// `verifyOutput`: whether the writer re-reads the module it wrote with the
/// runtime's verifier (bc::ModuleWriter::setVerifyOutput).
mlir::LogicalResult emitIpeBytecode(mlir::ModuleOp module,
                                    std::vector<uint8_t> &out,
                                    IpeBytecodeLayout *layout = nullptr,
                                    bool verifyOutput = true);

} // namespace rune

#endif // RUNE_TARGET_BYTECODE_IPEBYTECODEEMITTER_H
